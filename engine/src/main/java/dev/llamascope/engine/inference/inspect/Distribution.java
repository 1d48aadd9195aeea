package dev.llamascope.engine.inference.inspect;

import dev.llamascope.engine.tensor.Kernels;

/**
 * Turns logits into probabilities and the few numbers the views show. Uses the engine's vectorised softmax (one
 * exp per token) and gets the entropy with a single log: with m the largest logit and Z = sum e^(l_i - m),
 * p_max = 1/Z, so H = log Z - sum p_i (l_i - m) = -log p_max + m - sum p_i l_i.
 */
public final class Distribution {
    private static final double LN2 = Math.log(2);

    private Distribution() {}

    /** Softmax of logits[0 .. n) into probs[0 .. n) (probs may be the same array). */
    public static void softmax(float[] logits, float[] probs, int n) {
        if (probs != logits) System.arraycopy(logits, 0, probs, 0, n);
        Kernels.softmax(probs, 0, n);
    }

    /** Entropy in bits of softmax(logits), given those probabilities. */
    public static double entropyBits(float[] logits, float[] probs, int n) {
        int top = Kernels.argmax(logits, n);
        double m = logits[top], dot = 0;
        for (int i = 0; i < n; i++) dot += (double) probs[i] * logits[i];
        double h = -Math.log(probs[top]) + m - dot;
        return Math.max(0, h) / LN2;
    }

    /** The k largest probabilities' indices, largest first (ties: lower id first). */
    public static int[] topK(float[] probs, int n, int k) {
        return topK(probs, 0, n, k);
    }

    /** The same over probs[off .. off + n), indices relative to off. */
    public static int[] topK(float[] probs, int off, int n, int k) {
        k = Math.min(k, n);
        int[] ids = new int[k];
        float[] vals = new float[k];
        int filled = 0;
        for (int i = 0; i < n; i++) {
            float v = probs[off + i];
            if (filled == k && v <= vals[k - 1]) continue;
            int j = filled < k ? filled++ : k - 1;
            while (j > 0 && vals[j - 1] < v) {
                vals[j] = vals[j - 1];
                ids[j] = ids[j - 1];
                j--;
            }
            vals[j] = v;
            ids[j] = i;
        }
        return ids;
    }

    /** How many tokens are strictly more likely than token t: its rank, 0 = the top. */
    public static int rank(float[] probs, int n, int t) {
        return rank(probs, 0, n, t);
    }

    /** The same over probs[off .. off + n), t relative to off. */
    public static int rank(float[] probs, int off, int n, int t) {
        float p = probs[off + t];
        int r = 0;
        for (int i = 0; i < n; i++) {
            float v = probs[off + i];
            if (v > p || (v == p && i < t)) r++;
        }
        return r;
    }

    /**
     * The summary of one position's logits.
     *
     * @param scratch a buffer of at least n floats (the probabilities end up there)
     * @param chosen  the token that came next, or -1
     */
    public static Prediction predict(float[] logits, int n, int k, int chosen, float[] scratch) {
        softmax(logits, scratch, n);
        int[] ids = topK(scratch, n, k);
        float[] p = new float[ids.length];
        for (int i = 0; i < ids.length; i++) p[i] = scratch[ids[i]];
        double h = entropyBits(logits, scratch, n);
        if (chosen < 0) return new Prediction(ids, p, h, -1, 0f, -1);
        return new Prediction(ids, p, h, chosen, scratch[chosen], rank(scratch, n, chosen));
    }
}

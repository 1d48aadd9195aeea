package dev.llamascope.engine.inference;

import dev.llamascope.engine.tensor.Kernels;
import java.util.Arrays;

/**
 * Chooses the next token from logits. The temperature/top-p path reproduces llama2.c's run.c bit for bit where
 * the arithmetic allows: its xorshift64* generator, one coin per sampled token, its softmax, its top-p cutoff
 * (candidates below (1 - p) / (n - 1) are dropped before sorting), its inverse-CDF walk.
 */
public final class Sampler {
    private final SamplerSettings s;
    private final int vocab;
    private long rng;
    private final float[] probs;
    private final int[] order;
    private final float[] sortedProbs;

    public Sampler(int vocabSize, SamplerSettings settings) {
        this.s = settings;
        this.vocab = vocabSize;
        this.rng = settings.seed();
        this.probs = new float[vocabSize];
        this.order = new int[vocabSize];
        this.sortedProbs = new float[vocabSize];
    }

    public SamplerSettings settings() {
        return s;
    }

    /** run.c's random_u32: xorshift64* returning the high 32 bits. */
    long nextU32() {
        rng ^= rng >>> 12;
        rng ^= rng << 25;
        rng ^= rng >>> 27;
        return (rng * 0x2545F4914F6CDD1DL) >>> 32;
    }

    /** run.c's random_f32: a float in [0, 1) from the top 24 bits. */
    float nextFloat() {
        return (nextU32() >>> 8) / 16777216.0f;
    }

    /**
     * Samples from logits[0 .. vocab) (modified in place). {@code history} holds the tokens so far, of which the
     * last {@code historyLength} are valid; the repetition penalty looks at its tail.
     */
    public int sample(float[] logits, int[] history, int historyLength) {
        if (s.repeatPenalty() != 1f && s.repeatLastN() > 0) penalize(logits, history, historyLength);
        if (s.temperature() == 0f) return Kernels.argmax(logits, vocab);
        for (int i = 0; i < vocab; i++) logits[i] /= s.temperature();
        softmaxRunC(logits, probs, vocab);
        float coin = nextFloat();
        if (s.topK() > 0 && s.topK() < vocab) keepTopK(s.topK());
        if (s.minP() > 0f) keepMinP(s.minP());
        if (s.topP() <= 0 || s.topP() >= 1) return sampleMult(coin);
        return sampleTopP(s.topP(), coin);
    }

    private void penalize(float[] logits, int[] history, int n) {
        boolean[] seen = new boolean[vocab];
        for (int i = Math.max(0, n - s.repeatLastN()); i < n; i++) {
            int t = history[i];
            if (t < 0 || t >= vocab || seen[t]) continue;
            seen[t] = true;
            logits[t] = logits[t] > 0 ? logits[t] / s.repeatPenalty() : logits[t] * s.repeatPenalty();
        }
    }

    /** run.c's softmax: max, expf(x - max) summed in order, then divide. */
    static void softmaxRunC(float[] x, float[] out, int n) {
        float max = x[0];
        for (int i = 1; i < n; i++) if (x[i] > max) max = x[i];
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            out[i] = (float) Math.exp(x[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < n; i++) out[i] /= sum;
    }

    private void keepTopK(int k) {
        float[] copy = probs.clone();
        Arrays.sort(copy);
        float threshold = copy[vocab - k];
        int kept = 0;
        for (int i = 0; i < vocab; i++) {
            if (probs[i] >= threshold && kept < k) kept++;
            else probs[i] = 0f;
        }
        renormalize();
    }

    private void keepMinP(float minP) {
        float max = 0f;
        for (int i = 0; i < vocab; i++) max = Math.max(max, probs[i]);
        float floor = minP * max;
        for (int i = 0; i < vocab; i++) if (probs[i] < floor) probs[i] = 0f;
        renormalize();
    }

    private void renormalize() {
        float sum = 0f;
        for (int i = 0; i < vocab; i++) sum += probs[i];
        for (int i = 0; i < vocab; i++) probs[i] /= sum;
    }

    private int sampleMult(float coin) {
        float cdf = 0f;
        for (int i = 0; i < vocab; i++) {
            cdf += probs[i];
            if (coin < cdf) return i;
        }
        return lastNonZero();
    }

    private int lastNonZero() {
        for (int i = vocab - 1; i > 0; i--) if (probs[i] > 0) return i;
        return 0;
    }

    private int sampleTopP(float topP, float coin) {
        int n0 = 0;
        float cutoff = (1.0f - topP) / (vocab - 1);
        for (int i = 0; i < vocab; i++) {
            if (probs[i] >= cutoff) order[n0++] = i;
        }
        sortByProbDescending(n0);
        float cumulative = 0f;
        int last = n0 - 1;
        for (int i = 0; i < n0; i++) {
            cumulative += sortedProbs[i];
            if (cumulative > topP) {
                last = i;
                break;
            }
        }
        float r = coin * cumulative;
        float cdf = 0f;
        for (int i = 0; i <= last; i++) {
            cdf += sortedProbs[i];
            if (r < cdf) return order[i];
        }
        return order[last];
    }

    /**
     * Sorts order[0..n) by probability, largest first, ties by index (glibc's qsort is a stable merge sort here).
     * Non-negative floats order like their bit patterns, so one primitive long sort does it without boxing.
     */
    private void sortByProbDescending(int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) (0x7fffffff - Float.floatToRawIntBits(probs[order[i]])) << 32) | order[i];
        }
        Arrays.sort(keys);
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
            sortedProbs[i] = probs[order[i]];
        }
    }
}

package dev.llamascope.engine.inference.inspect;

import dev.llamascope.engine.inference.Probe;
import dev.llamascope.engine.model.ModelConfig;

/**
 * A {@link Probe} that records a text of n positions into arrays sized up front: per layer and head the attention
 * weights and scores, per position the top-k prediction, the residual stream per layer, optionally the logits.
 * Positions outside 0..n-1 are an error (the recorder was sized for another text).
 */
public final class ProbeRecorder implements Probe {
    private final ModelConfig c;
    private final int n;
    private final RecordOptions options;
    private final int[] tokens;
    private final AttentionMatrix[][] attention, scores;
    private final float[][] residuals;
    private final Prediction[] predictions;
    private final float[][] logits;
    private final float[] scratch;

    /**
     * @param tokens the text's tokens, to know which token came next at each position (may be shorter than n, or
     *               null: positions without a next token get no chosen token)
     */
    public ProbeRecorder(ModelConfig c, int n, RecordOptions options, int[] tokens) {
        if (n < 1 || n > c.seqLen()) throw new IllegalArgumentException(n + " positions do not fit the context of " + c.seqLen());
        this.c = c;
        this.n = n;
        this.options = options;
        this.tokens = tokens == null ? new int[0] : tokens.clone();
        int layers = c.nLayers(), heads = c.nHeads();
        attention = options.attention() ? matrices(layers, heads, false) : null;
        scores = options.scores() ? matrices(layers, heads, true) : null;
        residuals = options.residuals() ? new float[layers + 1][Math.multiplyExact(n, c.dim())] : null;
        predictions = options.topK() > 0 ? new Prediction[n] : null;
        logits = options.logits() ? new float[n][] : null;
        scratch = predictions != null ? new float[c.vocabSize()] : null;
    }

    private AttentionMatrix[][] matrices(int layers, int heads, boolean isScores) {
        AttentionMatrix[][] m = new AttentionMatrix[layers][heads];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) m[l][h] = isScores ? AttentionMatrix.scores(n) : AttentionMatrix.weights(n);
        }
        return m;
    }

    private void check(int pos) {
        if (pos < 0 || pos >= n) throw new IllegalStateException("position " + pos + " outside the " + n + " positions this recorder was made for");
    }

    @Override
    public void scores(int layer, int head, int pos, float[] s, int so, int count) {
        if (scores == null) return;
        check(pos);
        scores[layer][head].setRow(pos, s, so);
    }

    @Override
    public void attention(int layer, int head, int pos, float[] w, int wo, int count) {
        if (attention == null) return;
        check(pos);
        attention[layer][head].setRow(pos, w, wo);
    }

    @Override
    public void activation(Site site, int layer, int pos, float[] v, int vo, int len) {
        if (residuals == null || site != Site.EMBEDDING) return;
        check(pos);
        System.arraycopy(v, vo, residuals[0], pos * c.dim(), c.dim());
    }

    @Override
    public void residual(int layer, int pos, float[] x, int xo) {
        if (residuals == null) return;
        check(pos);
        System.arraycopy(x, xo, residuals[layer + 1], pos * c.dim(), c.dim());
    }

    @Override
    public void logits(int pos, float[] l) {
        check(pos);
        int vocab = c.vocabSize();
        if (logits != null) logits[pos] = java.util.Arrays.copyOf(l, vocab);
        if (predictions != null) {
            int chosen = pos + 1 < tokens.length ? tokens[pos + 1] : -1;
            predictions[pos] = Distribution.predict(l, vocab, options.topK(), chosen, scratch);
        }
    }

    @Override
    public boolean logitsAtEveryPosition() {
        return predictions != null || logits != null;
    }

    public int positions() {
        return n;
    }

    /** [layer][head], or null when not recorded. */
    public AttentionMatrix[][] attention() {
        return attention;
    }

    /** [layer][head], or null when not recorded. */
    public AttentionMatrix[][] scores() {
        return scores;
    }

    /** [0] the embeddings, [l + 1] the output of layer l; each n x dim row-major. Null when not recorded. */
    public float[][] residuals() {
        return residuals;
    }

    /** Per position, or null when not recorded. */
    public Prediction[] predictions() {
        return predictions;
    }

    /** Per position the full logits, or null when not recorded. */
    public float[][] logits() {
        return logits;
    }
}

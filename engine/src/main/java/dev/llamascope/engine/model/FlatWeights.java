package dev.llamascope.engine.model;

import dev.llamascope.engine.tensor.F32ArrayMatrix;
import dev.llamascope.engine.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * All weights of a model in one fp32 array, in llama2.c's version 0 order (embedding; per kind across layers:
 * attention norm, wq, wk, wv, wo, ffn norm, w1, w2, w3; final norm; the classifier when separate). The trainer
 * updates it in place (one array makes AdamW and the gradient norm single loops, as in llm.c); inference can run
 * on it directly through {@link #toModel}; writing version 0 is one pass over it.
 */
public final class FlatWeights {
    /** The tensors in storage order. */
    public enum Kind { EMBEDDING, ATTN_NORM, WQ, WK, WV, WO, FFN_NORM, W1, W2, W3, FINAL_NORM, CLASSIFIER }

    private final ModelConfig config;
    private final float[] data;
    private final long[] offsets = new long[Kind.values().length];
    private final int[][] shapes = new int[Kind.values().length][];

    public FlatWeights(ModelConfig config) {
        this(config, null);
    }

    /** Wraps existing values (length must be {@link #size(ModelConfig)}), e.g. a gradient buffer. */
    public FlatWeights(ModelConfig config, float[] values) {
        this.config = config;
        int d = config.dim(), h = config.hiddenDim(), L = config.nLayers(), kv = config.kvDim(), V = config.vocabSize();
        long o = 0;
        o = place(Kind.EMBEDDING, o, 1, V, d);
        o = place(Kind.ATTN_NORM, o, L, 1, d);
        o = place(Kind.WQ, o, L, d, d);
        o = place(Kind.WK, o, L, kv, d);
        o = place(Kind.WV, o, L, kv, d);
        o = place(Kind.WO, o, L, d, d);
        o = place(Kind.FFN_NORM, o, L, 1, d);
        o = place(Kind.W1, o, L, h, d);
        o = place(Kind.W2, o, L, d, h);
        o = place(Kind.W3, o, L, h, d);
        o = place(Kind.FINAL_NORM, o, 1, 1, d);
        o = place(Kind.CLASSIFIER, o, config.sharedClassifier() ? 0 : 1, V, d);
        if (o > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("model of " + o + " parameters is too large for one fp32 array");
        if (values != null && values.length != o) throw new IllegalArgumentException("expected " + o + " values, got " + values.length);
        this.data = values != null ? values : new float[(int) o];
    }

    /** Number of floats for a config. */
    public static long size(ModelConfig c) {
        return c.parameterCount();
    }

    private long place(Kind k, long o, int count, int rows, int cols) {
        offsets[k.ordinal()] = o;
        shapes[k.ordinal()] = new int[]{count, rows, cols};
        return o + (long) count * rows * cols;
    }

    public ModelConfig config() {
        return config;
    }

    /** The values, in version 0 order. */
    public float[] data() {
        return data;
    }

    /** Offset of tensor kind k of a layer (layer 0 for the unlayered kinds). */
    public int offset(Kind k, int layer) {
        int[] s = shapes[k.ordinal()];
        return (int) (offsets[k.ordinal()] + (long) layer * s[1] * s[2]);
    }

    /** Floats of one tensor of kind k (one layer's). */
    public int numel(Kind k) {
        int[] s = shapes[k.ordinal()];
        return s[1] * s[2];
    }

    public int rows(Kind k) {
        return shapes[k.ordinal()][1];
    }

    public int cols(Kind k) {
        return shapes[k.ordinal()][2];
    }

    /** How many tensors of kind k there are (layers, or 1, or 0 for a shared classifier). */
    public int count(Kind k) {
        return shapes[k.ordinal()][0];
    }

    /** Offset of the classifier: the embedding when shared. */
    public int classifierOffset() {
        return config.sharedClassifier() ? offset(Kind.EMBEDDING, 0) : offset(Kind.CLASSIFIER, 0);
    }

    /** True for the kinds weight decay applies to (matrices and the embedding; never norms). */
    public static boolean decays(Kind k) {
        return k != Kind.ATTN_NORM && k != Kind.FFN_NORM && k != Kind.FINAL_NORM;
    }

    /** Random weights: N(0, 0.02) for matrices and the embedding (as llama2.c's model.py), ones for norms. */
    public static FlatWeights random(ModelConfig c, long seed) {
        FlatWeights w = new FlatWeights(c);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] d = w.data;
        for (Kind k : Kind.values()) {
            int n = w.count(k) * w.numel(k);
            int o = w.offset(k, 0);
            boolean norm = !decays(k);
            for (int i = 0; i < n; i++) d[o + i] = norm ? 1f : (float) (rng.nextGaussian() * 0.02);
        }
        return w;
    }

    /** Copies (and dequantizes) the weights of any loaded model. */
    public static FlatWeights of(LlamaModel m) {
        ModelConfig c = m.config();
        FlatWeights w = new FlatWeights(c);
        copy(m.tokenEmbedding(), w.data, w.offset(Kind.EMBEDDING, 0));
        for (int l = 0; l < c.nLayers(); l++) {
            LayerWeights lw = m.layers().get(l);
            System.arraycopy(lw.attnNorm(), 0, w.data, w.offset(Kind.ATTN_NORM, l), c.dim());
            System.arraycopy(lw.ffnNorm(), 0, w.data, w.offset(Kind.FFN_NORM, l), c.dim());
            copy(lw.wq(), w.data, w.offset(Kind.WQ, l));
            copy(lw.wk(), w.data, w.offset(Kind.WK, l));
            copy(lw.wv(), w.data, w.offset(Kind.WV, l));
            copy(lw.wo(), w.data, w.offset(Kind.WO, l));
            copy(lw.w1(), w.data, w.offset(Kind.W1, l));
            copy(lw.w2(), w.data, w.offset(Kind.W2, l));
            copy(lw.w3(), w.data, w.offset(Kind.W3, l));
        }
        System.arraycopy(m.finalNorm(), 0, w.data, w.offset(Kind.FINAL_NORM, 0), c.dim());
        if (!c.sharedClassifier()) copy(m.classifier(), w.data, w.offset(Kind.CLASSIFIER, 0));
        return w;
    }

    private static void copy(Matrix m, float[] dst, int off) {
        for (int r = 0; r < m.rows(); r++) m.readRow(r, dst, off + r * m.cols());
    }

    /** A model that runs directly on these values (no copy): changes to the array are seen by the next forward pass. */
    public LlamaModel toModel(String format, java.nio.file.Path source) {
        Matrix emb = matrix(Kind.EMBEDDING, 0);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < config.nLayers(); l++) {
            layers.add(new LayerWeights(vector(Kind.ATTN_NORM, l), matrix(Kind.WQ, l), matrix(Kind.WK, l),
                    matrix(Kind.WV, l), matrix(Kind.WO, l), vector(Kind.FFN_NORM, l),
                    matrix(Kind.W1, l), matrix(Kind.W2, l), matrix(Kind.W3, l)));
        }
        Matrix cls = config.sharedClassifier() ? emb : matrix(Kind.CLASSIFIER, 0);
        return new LlamaModel(config, format, source, emb, layers, vector(Kind.FINAL_NORM, 0), cls, null);
    }

    private Matrix matrix(Kind k, int layer) {
        return new F32ArrayMatrix(data, offset(k, layer), rows(k), cols(k));
    }

    /** Norm gains are copied: a model made by toModel sees later changes to matrices, not to norms. */
    private float[] vector(Kind k, int layer) {
        float[] v = new float[numel(k)];
        System.arraycopy(data, offset(k, layer), v, 0, v.length);
        return v;
    }
}

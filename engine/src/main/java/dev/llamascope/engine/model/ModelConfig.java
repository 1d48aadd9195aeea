package dev.llamascope.engine.model;

/**
 * The shape and numerics of a Llama-2 model. Validating: every constructed config is one the engine can run,
 * with sizes small enough that no product of them overflows a long and no buffer is absurd.
 *
 * @param dim              width of the residual stream
 * @param hiddenDim        width of the SwiGLU feed-forward layer
 * @param nLayers          number of transformer blocks
 * @param nHeads           query heads
 * @param nKvHeads         key/value heads (GQA when fewer than nHeads)
 * @param vocabSize        tokens in the vocabulary
 * @param seqLen           context length
 * @param sharedClassifier whether the classifier is the token embedding
 * @param ropeTheta        RoPE base frequency (10000 for Llama-2)
 * @param rmsEps           RMSNorm epsilon (1e-5 for llama2.c)
 */
public record ModelConfig(int dim, int hiddenDim, int nLayers, int nHeads, int nKvHeads, int vocabSize, int seqLen,
                          boolean sharedClassifier, float ropeTheta, float rmsEps) {

    /** Upper bounds far above any model this app can hold, low enough that no size computation overflows. */
    public static final int MAX_DIM = 1 << 16, MAX_LAYERS = 1 << 10, MAX_VOCAB = 1 << 20, MAX_SEQ = 1 << 20;

    public ModelConfig {
        check(dim, "dim", MAX_DIM);
        check(hiddenDim, "hidden_dim", MAX_DIM * 4);
        check(nLayers, "n_layers", MAX_LAYERS);
        check(nHeads, "n_heads", dim);
        check(nKvHeads, "n_kv_heads", nHeads);
        check(vocabSize, "vocab_size", MAX_VOCAB);
        check(seqLen, "seq_len", MAX_SEQ);
        if (dim % nHeads != 0) throw new IllegalArgumentException("dim " + dim + " is not a multiple of n_heads " + nHeads);
        if (nHeads % nKvHeads != 0)
            throw new IllegalArgumentException("n_heads " + nHeads + " is not a multiple of n_kv_heads " + nKvHeads);
        if ((dim / nHeads) % 2 != 0) throw new IllegalArgumentException("head size " + dim / nHeads + " is odd (RoPE rotates pairs)");
        if (!(ropeTheta > 0) || !(rmsEps > 0)) throw new IllegalArgumentException("rope_theta and rms_eps must be positive");
    }

    /** llama2.c's defaults for the numerics. */
    public ModelConfig(int dim, int hiddenDim, int nLayers, int nHeads, int nKvHeads, int vocabSize, int seqLen, boolean sharedClassifier) {
        this(dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen, sharedClassifier, 10000f, 1e-5f);
    }

    private static void check(int v, String name, int max) {
        if (v <= 0 || v > max) throw new IllegalArgumentException(name + " = " + v + " is out of range (1.." + max + ")");
    }

    public int headSize() {
        return dim / nHeads;
    }

    public int kvDim() {
        return headSize() * nKvHeads;
    }

    /** Weights per transformer block (norms included). */
    public long layerParameters() {
        long d = dim, kv = kvDim(), h = hiddenDim;
        return 2 * d + d * d * 2 + d * kv * 2 + 3 * d * h;
    }

    /** All weights: embedding, blocks, final norm, and the classifier when it is separate. */
    public long parameterCount() {
        long emb = (long) vocabSize * dim;
        return emb + nLayers * layerParameters() + dim + (sharedClassifier ? 0 : emb);
    }

    /** Bytes of the KV cache in fp32. */
    public long kvCacheBytes() {
        return 2L * nLayers * seqLen * kvDim() * 4;
    }

    public ModelConfig withSeqLen(int newSeqLen) {
        return new ModelConfig(dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, newSeqLen, sharedClassifier, ropeTheta, rmsEps);
    }

    @Override
    public String toString() {
        return "dim=" + dim + ",hidden=" + hiddenDim + ",layers=" + nLayers + ",heads=" + nHeads + ",kv=" + nKvHeads
                + ",vocab=" + vocabSize + ",seq=" + seqLen + (sharedClassifier ? "" : ",unshared");
    }
}

package dev.llamascope.engine.inference.inspect;

import dev.llamascope.engine.inference.Probe;
import dev.llamascope.engine.model.LayerWeights;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.ModelConfig;

/**
 * The parts of a Llama-2 model in forward order, for drawing it as blocks: which weights each has (with their real
 * shapes) and which activation shows its output. Parts inside a transformer block exist once per layer.
 */
public enum ModelPart {
    EMBEDDING("Token embedding", false, Probe.Site.EMBEDDING, "one row per token of the vocabulary: the vector a token starts as"),
    ATTN_NORM("RMSNorm (attention)", true, Probe.Site.ATTN_NORM, "rescales the residual stream to unit RMS, times learned gains"),
    WQ("Wq (queries)", true, Probe.Site.Q, "what each position is looking for"),
    WK("Wk (keys)", true, Probe.Site.K, "what each position offers to be found by"),
    WV("Wv (values)", true, Probe.Site.V, "what each position passes on when it is attended to"),
    ROPE("RoPE", true, Probe.Site.Q_ROPE, "rotates query and key pairs by an angle that grows with the position"),
    ATTENTION("Attention heads", true, Probe.Site.ATTN_MIX, "softmax(q·k/√d) over earlier positions, times the values"),
    WO("Wo (output)", true, Probe.Site.ATTN_OUT, "mixes the heads' outputs back into the residual stream"),
    FFN_NORM("RMSNorm (feed-forward)", true, Probe.Site.FFN_NORM, "the same normalisation before the feed-forward layer"),
    W1("W1 (gate)", true, Probe.Site.W1, "the gate branch of SwiGLU, passed through SiLU"),
    W3("W3 (up)", true, Probe.Site.W3, "the linear branch of SwiGLU"),
    SWIGLU("SwiGLU", true, Probe.Site.SWIGLU, "silu(W1 x) * (W3 x): the gated hidden layer"),
    W2("W2 (down)", true, Probe.Site.FFN_OUT, "projects the hidden layer back to the residual stream"),
    FINAL_NORM("Final RMSNorm", false, Probe.Site.FINAL_NORM, "the last normalisation before the classifier"),
    CLASSIFIER("Classifier", false, null, "one row per token: dot products with it are the logits");

    private final String label;
    private final boolean perLayer;
    private final Probe.Site site;
    private final String role;

    ModelPart(String label, boolean perLayer, Probe.Site site, String role) {
        this.label = label;
        this.perLayer = perLayer;
        this.site = site;
        this.role = role;
    }

    public String label() {
        return label;
    }

    /** Whether every transformer block has its own. */
    public boolean perLayer() {
        return perLayer;
    }

    /** The activation that is this part's output, or null (the classifier's output is the logits). */
    public Probe.Site site() {
        return site;
    }

    /** One line on what it does. */
    public String role() {
        return role;
    }

    /** Whether it has weights (RoPE, attention and SwiGLU are computations without parameters). */
    public boolean hasWeights() {
        return this != ROPE && this != ATTENTION && this != SWIGLU;
    }

    /** The weight shape as rows x cols (a norm's gains as 1 x dim), or null when it has none. */
    public int[] weightShape(ModelConfig c) {
        int d = c.dim(), kv = c.kvDim(), h = c.hiddenDim(), v = c.vocabSize();
        return switch (this) {
            case EMBEDDING, CLASSIFIER -> new int[] {v, d};
            case ATTN_NORM, FFN_NORM, FINAL_NORM -> new int[] {1, d};
            case WQ, WO -> new int[] {d, d};
            case WK, WV -> new int[] {kv, d};
            case W1, W3 -> new int[] {h, d};
            case W2 -> new int[] {d, h};
            case ROPE, ATTENTION, SWIGLU -> null;
        };
    }

    /** The width of its activation at one position. */
    public int activationWidth(ModelConfig c) {
        return switch (this) {
            case WK, WV -> c.kvDim();
            case W1, W3, SWIGLU -> c.hiddenDim();
            case CLASSIFIER -> c.vocabSize();
            default -> c.dim();
        };
    }

    /** A summary of its weights in a layer (ignored for parts outside the blocks); null when it has none. */
    public TensorSummary weights(LlamaModel m, int layer, int maxRows, int maxCols) {
        if (!hasWeights()) return null;
        if (perLayer && (layer < 0 || layer >= m.config().nLayers()))
            throw new IllegalArgumentException("no layer " + layer + " (the model has " + m.config().nLayers() + ")");
        LayerWeights w = perLayer ? m.layers().get(layer) : null;
        return switch (this) {
            case EMBEDDING -> TensorSummary.of(m.tokenEmbedding(), maxRows, maxCols);
            case CLASSIFIER -> TensorSummary.of(m.classifier(), maxRows, maxCols);
            case FINAL_NORM -> TensorSummary.of(m.finalNorm(), maxCols);
            case ATTN_NORM -> TensorSummary.of(w.attnNorm(), maxCols);
            case FFN_NORM -> TensorSummary.of(w.ffnNorm(), maxCols);
            case WQ -> TensorSummary.of(w.wq(), maxRows, maxCols);
            case WK -> TensorSummary.of(w.wk(), maxRows, maxCols);
            case WV -> TensorSummary.of(w.wv(), maxRows, maxCols);
            case WO -> TensorSummary.of(w.wo(), maxRows, maxCols);
            case W1 -> TensorSummary.of(w.w1(), maxRows, maxCols);
            case W2 -> TensorSummary.of(w.w2(), maxRows, maxCols);
            case W3 -> TensorSummary.of(w.w3(), maxRows, maxCols);
            case ROPE, ATTENTION, SWIGLU -> null;
        };
    }
}

package dev.llamascope.engine.inference;

/**
 * Receives internals of the forward pass when set on a {@link Transformer}: pre-softmax attention scores and
 * attention weights per layer and head, named activations inside each block, the residual stream after each
 * layer, the logits. Arrays are the engine's buffers, valid only during the call: copy what you keep. With no
 * probe set, the forward pass makes no calls and no copies (one null check per site).
 *
 * <p>Threading: {@link #scores} and {@link #attention} are called from the compute pool's threads, several at
 * once for different heads (and, in a prefill, different positions); every (layer, head, pos) is reported once.
 * The other methods are called on the thread that runs the forward pass. Positions within a prefill block may be
 * reported out of order across layers (all positions of layer 0, then of layer 1, ...).
 */
public interface Probe {

    /** Where inside the model an activation is reported. Widths: dim unless said otherwise. */
    enum Site {
        /** The token's embedding row: the residual stream before layer 0 (layer -1). */
        EMBEDDING,
        /** RMSNorm before attention: the input of q, k and v. */
        ATTN_NORM,
        /** q = Wq x, before RoPE (dim). */
        Q,
        /** k = Wk x, before RoPE (kv_dim). */
        K,
        /** v = Wv x (kv_dim). */
        V,
        /** q after RoPE: what the scores use (dim). */
        Q_ROPE,
        /** k after RoPE: what the cache holds (kv_dim). */
        K_ROPE,
        /** The heads' weighted sums of values, concatenated: the input of Wo. */
        ATTN_MIX,
        /** Wo applied to the mix: what attention adds to the residual stream. */
        ATTN_OUT,
        /** RMSNorm before the feed-forward layer: the input of W1 and W3. */
        FFN_NORM,
        /** W1 x, the gate before SiLU (hidden_dim). */
        W1,
        /** W3 x, the linear branch (hidden_dim). */
        W3,
        /** silu(W1 x) * W3 x: the input of W2 (hidden_dim). */
        SWIGLU,
        /** W2 applied: what the feed-forward layer adds to the residual stream. */
        FFN_OUT,
        /** The final RMSNorm of the last residual: the classifier's input (layer -1). */
        FINAL_NORM
    }

    /**
     * Pre-softmax scores q·k/sqrt(head_size) of one head at query position pos over keys 0..n-1 (n = pos + 1;
     * later keys are masked and never computed): s[so .. so + n).
     */
    default void scores(int layer, int head, int pos, float[] s, int so, int n) {}

    /** Attention weights (after softmax) of one head at query position pos over keys 0..n-1: w[wo .. wo + n). */
    default void attention(int layer, int head, int pos, float[] w, int wo, int n) {}

    /** An activation inside a block (layer -1 for sites outside the blocks): v[vo .. vo + n). */
    default void activation(Site site, int layer, int pos, float[] v, int vo, int n) {}

    /** The residual stream after a layer at a position: x[xo .. xo + dim). */
    default void residual(int layer, int pos, float[] x, int xo) {}

    /**
     * The output logits at a position. {@link Transformer#forward} always reports them; a prefill reports every
     * prompt position only when {@link #logitsAtEveryPosition()} (it skips the classifier otherwise).
     */
    default void logits(int pos, float[] logits) {}

    /** Whether a prefill should compute and report the logits of every position, not only return the last. */
    default boolean logitsAtEveryPosition() {
        return false;
    }
}

package dev.llamascope.engine.inference;

/**
 * Receives internals of the forward pass when set on a {@link Transformer}: attention weights per layer and head,
 * the residual stream after each layer, the logits. Arrays are the engine's buffers, valid only during the call:
 * copy what you keep. With no probe set, the forward pass makes no calls and no copies.
 */
public interface Probe {
    /** Attention weights (after softmax) of one head at query position pos over keys 0..n-1: w[wo .. wo + n). */
    default void attention(int layer, int head, int pos, float[] w, int wo, int n) {}

    /** The residual stream after a layer at a position: x[xo .. xo + dim). */
    default void residual(int layer, int pos, float[] x, int xo) {}

    /** The output logits at a position. */
    default void logits(int pos, float[] logits) {}
}

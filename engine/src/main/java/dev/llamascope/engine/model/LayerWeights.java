package dev.llamascope.engine.model;

import dev.llamascope.engine.tensor.Matrix;

/**
 * The weights of one transformer block, in llama2.c's naming. Matrices are (out x in), row-major, applied as
 * {@code y = W x}. The norm gains are small fp32 vectors on the heap; the matrices stay in their storage.
 */
public record LayerWeights(float[] attnNorm, Matrix wq, Matrix wk, Matrix wv, Matrix wo,
                           float[] ffnNorm, Matrix w1, Matrix w2, Matrix w3) {
}

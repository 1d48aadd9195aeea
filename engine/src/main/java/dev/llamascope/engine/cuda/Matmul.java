package dev.llamascope.engine.cuda;

/**
 * Row-major single-precision GEMM on device memory: C[m, n] = alpha * op(A)[m, k] * op(B)[k, n] + beta * C, where
 * op(A) = A (stored m x k, row stride lda) or, with transA, the transpose of A (stored k x m). Same for B. With
 * beta == 0, C is only written.
 *
 * <p>The three products of a linear layer y = x W^T (W: out x in, as nn.Linear and llama2.c store it):
 * forward y = x W^T is gemm(false, true); input gradient dx = dy W is gemm(false, false); weight gradient
 * dW += dy^T x is gemm(true, false) with beta 1.
 */
public interface Matmul {
    String name();

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DevicePtr a, int lda, DevicePtr b, int ldb,
              float beta, DevicePtr c, int ldc);

    /**
     * {@code batch} independent products of the same shape, one launch: product z reads A + z * strideA and
     * B + z * strideB and writes C + z * strideC (strides in floats). The attention's per-head products.
     */
    void gemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha, DevicePtr a, int lda, long strideA,
                     DevicePtr b, int ldb, long strideB, float beta, DevicePtr c, int ldc, long strideC, int batch);
}

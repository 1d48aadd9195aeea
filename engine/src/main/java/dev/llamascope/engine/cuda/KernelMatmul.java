package dev.llamascope.engine.cuda;

/** The GEMM of our own tiled kernel (matmul.cu), used when cuBLAS is not found. */
public final class KernelMatmul implements Matmul {
    private final Accelerator acc;

    public KernelMatmul(Accelerator acc) {
        this.acc = acc;
    }

    @Override
    public String name() {
        return "tiled kernel";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DevicePtr a, int lda, DevicePtr b,
                     int ldb, float beta, DevicePtr c, int ldc) {
        acc.launch("matmul_tiled", Dim3.of((n + 63) / 64, (m + 63) / 64), Dim3.of(256), c, a, b, m, n, k, lda, ldb, ldc,
                transA ? 1 : 0, transB ? 1 : 0, alpha, beta);
    }
}

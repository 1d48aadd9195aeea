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

    /** CUDA's limit on a grid's third dimension, the batch. */
    static final int MAX_GRID_Z = 65535;

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DevicePtr a, int lda, DevicePtr b,
                     int ldb, float beta, DevicePtr c, int ldc) {
        gemmBatched(transA, transB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1);
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha, DevicePtr a, int lda,
                            long strideA, DevicePtr b, int ldb, long strideB, float beta, DevicePtr c, int ldc, long strideC,
                            int batch) {
        for (int z0 = 0; z0 < batch; z0 += MAX_GRID_Z) {
            int zs = Math.min(MAX_GRID_Z, batch - z0);
            acc.launch("matmul_tiled", new Dim3((n + 127) / 128, (m + 127) / 128, zs), Dim3.of(256), c.plusFloats(z0 * strideC),
                    a.plusFloats(z0 * strideA), b.plusFloats(z0 * strideB), m, n, k, lda, ldb, ldc, transA ? 1 : 0,
                    transB ? 1 : 0, alpha, beta, strideA, strideB, strideC);
        }
    }
}

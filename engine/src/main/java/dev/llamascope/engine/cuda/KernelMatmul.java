package dev.llamascope.engine.cuda;

/**
 * The GEMM of our own tiled kernels, used when cuBLAS is not found: matmul.cu in fp32, or with TF32 asked for and a
 * GPU of compute capability 8.0 or newer, matmul_tf32.cu on the tensor cores (on older GPUs TF32 falls back to fp32,
 * as cuBLAS's TF32 math mode does).
 */
public final class KernelMatmul implements Matmul {
    private final Accelerator acc;
    private final String kernel;

    /** The fp32 kernel. */
    public KernelMatmul(Accelerator acc) {
        this(acc, false);
    }

    public KernelMatmul(Accelerator acc, boolean tf32) {
        this.acc = acc;
        this.kernel = tf32 && acc.hasKernel("matmul_tf32") ? "matmul_tf32" : "matmul_tiled";
    }

    @Override
    public String name() {
        return kernel.equals("matmul_tf32") ? "tiled kernel (TF32)" : "tiled kernel";
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
            // both kernels cover 128 x 128 of C per block
            acc.launch(kernel, new Dim3((n + 127) / 128, (m + 127) / 128, zs), Dim3.of(256), c.plusFloats(z0 * strideC),
                    a.plusFloats(z0 * strideA), b.plusFloats(z0 * strideB), m, n, k, lda, ldb, ldc, transA ? 1 : 0,
                    transB ? 1 : 0, alpha, beta, strideA, strideB, strideC);
        }
    }
}

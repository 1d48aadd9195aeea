package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a machine with an NVIDIA GPU: every kernel against the scalar CPU references on random inputs, with the maximum
 * errors printed, for the plain fp32 path and for TF32 matrix multiplies. Skipped (with the reason) without a GPU.
 */
class GpuKernelsTest {
    private static void check(boolean tf32, double matmulTolerance) {
        try (CudaAccelerator acc = GpuSupport.open(true, tf32)) {
            List<KernelChecks.Report> reports = new KernelChecks(acc, 42, matmulTolerance).runAll();
            StringBuilder sb = new StringBuilder();
            for (KernelChecks.Report r : reports) sb.append(r).append('\n');
            System.out.print("kernel checks on " + acc.description() + ":\n" + sb);
            assertTrue(reports.stream().allMatch(KernelChecks.Report::ok), sb.toString());
        }
    }

    @Test
    void everyKernelMatchesTheCpuReferenceInFp32() {
        check(false, 1e-5);
    }

    @Test
    void tf32MatrixMultipliesStayWithinTf32Precision() {
        // TF32 keeps 10 mantissa bits: products of K=45 random terms land within a few 1e-3 of the scale
        check(true, 5e-3);
    }
}

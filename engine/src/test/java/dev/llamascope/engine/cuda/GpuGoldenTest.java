package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The golden fine-tune on a real GPU: losses within 1e-3 of the golden in fp32 (cuBLAS when present, and our tiled
 * kernel), within 2e-2 with TF32 tensor-core multiplies. Skipped (with the reason) without a GPU.
 */
class GpuGoldenTest {
    private static GoldenRun.Outcome run(boolean cublas, boolean tf32) throws Exception {
        GoldenRun g = new GoldenRun();
        try (CudaAccelerator acc = GpuSupport.open(cublas, tf32)) {
            GoldenRun.Outcome o = g.run(acc, g.steps);
            System.out.println("golden run on " + acc.description() + ":\n" + o.table());
            GoldenRun.summary(o).forEach(System.out::println);
            return o;
        }
    }

    @Test
    void fp32WithinOneThousandth() throws Exception {
        GoldenRun.Outcome o = run(true, false);
        assertTrue(o.maxLossErr() < 1e-3, "losses within 1e-3 of the golden: " + o.maxLossErr());
        assertTrue(o.maxNormRelErr() < 1e-3, "gradient norms: " + o.maxNormRelErr());
    }

    @Test
    void fp32WithOurOwnMatmulKernel() throws Exception {
        GoldenRun.Outcome o = run(false, false);
        assertTrue(o.maxLossErr() < 1e-3, "losses within 1e-3 of the golden: " + o.maxLossErr());
    }

    @Test
    void tf32WithinTwoHundredths() throws Exception {
        GoldenRun.Outcome o = run(true, true);
        assertTrue(o.maxLossErr() < 2e-2, "losses within 2e-2 of the golden: " + o.maxLossErr());
    }
}

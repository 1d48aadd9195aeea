package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden fine-tune on a real GPU, through the {@link dev.llamascope.engine.train.Trainer} loop on the registered
 * CUDA backend (what `llamascope train --device cuda` runs) and through {@link CudaTrainer#step} directly (what the
 * benchmark times): losses within 1e-3 of the golden in fp32 (cuBLAS when present, and our tiled kernel), within 2e-2
 * with TF32 tensor-core multiplies. Skipped (with the reason) without a GPU.
 */
class GpuGoldenTest {
    @TempDir
    Path tmp;

    private static GoldenRun.Outcome runSteps(boolean cublas, boolean tf32) throws Exception {
        GoldenRun g = new GoldenRun();
        try (CudaAccelerator acc = GpuSupport.open(cublas, tf32)) {
            GoldenRun.Outcome o = g.run(acc, g.steps);
            System.out.println("golden run (CudaTrainer.step) on " + acc.description() + ":\n" + o.table());
            GoldenRun.summary(o).forEach(System.out::println);
            return o;
        }
    }

    private GoldenRun.Outcome runTrainer(boolean cublas, boolean tf32) throws Exception {
        GoldenRun g = new GoldenRun();
        var backend = cublas ? GpuSupport.backend(g.initial(), g.spec(tf32)) : GpuSupport.backendWithoutCublas(g.initial(), g.spec(tf32));
        String device = backend.description();
        GoldenRun.Outcome o = g.runTrainer(backend, tmp);
        System.out.println("golden run (Trainer + CudaTrainBackend) on " + device + ":\n" + o.table());
        GoldenRun.summary(o).forEach(System.out::println);
        if (tf32 && cublas && GpuSupport.report().cublas() != null) assertTrue(device.contains("TF32"), "TF32 math mode requested: " + device);
        return o;
    }

    @Test
    void fp32WithinOneThousandth() throws Exception {
        for (GoldenRun.Outcome o : new GoldenRun.Outcome[]{runTrainer(true, false), runSteps(true, false)}) {
            assertTrue(o.maxLossErr() < 1e-3, "losses within 1e-3 of the golden: " + o.maxLossErr());
            assertTrue(o.maxNormRelErr() < 1e-3, "gradient norms: " + o.maxNormRelErr());
            assertTrue(o.gradsStep0MaxErr() < 1e-3 * o.gradsStep0Scale(), "step-1 gradients: " + o.gradsStep0MaxErr());
        }
    }

    @Test
    void fp32WithOurOwnMatmulKernel() throws Exception {
        for (GoldenRun.Outcome o : new GoldenRun.Outcome[]{runTrainer(false, false), runSteps(false, false)}) {
            assertTrue(o.maxLossErr() < 1e-3, "losses within 1e-3 of the golden: " + o.maxLossErr());
        }
    }

    @Test
    void tf32WithinTwoHundredths() throws Exception {
        // with cuBLAS's TF32 mode, and with our TF32 tensor-core kernel (fp32 on a GPU older than Ampere)
        for (GoldenRun.Outcome o : new GoldenRun.Outcome[]{runTrainer(true, true), runSteps(true, true), runSteps(false, true)}) {
            assertTrue(o.maxLossErr() < 2e-2, "losses within 2e-2 of the golden: " + o.maxLossErr());
        }
    }
}

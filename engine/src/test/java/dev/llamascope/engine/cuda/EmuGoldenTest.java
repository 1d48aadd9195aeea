package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The golden fine-tune through CudaTrainer on the CPU emulator: the GPU trainer's orchestration (every launch, every
 * GEMM's shape and transposition, the CSR embedding backward, clipping, AdamW regions) with the kernels compiled
 * for the CPU. The same run on a GPU is GpuGoldenTest.
 */
class EmuGoldenTest {
    @Test
    void goldenFineTuneMatchesWithinFp32Tolerance() throws Exception {
        GoldenRun g = new GoldenRun();
        try (EmuAccelerator acc = new EmuAccelerator()) {
            long t0 = System.nanoTime();
            GoldenRun.Outcome o = g.run(acc, g.steps);
            System.out.printf("golden run on the emulator (%d launches, %.1f s):%n%s", acc.launches, (System.nanoTime() - t0) / 1e9, o.table());
            GoldenRun.summary(o).forEach(System.out::println);
            acc.timeByKernel.forEach((k, v) -> System.out.printf("  %-32s %6d launches %8.1f ms%n", k, v[1], v[0] / 1e6));
            assertTrue(o.maxLossErr() < 1e-3, "losses within 1e-3 of the golden: " + o.maxLossErr());
            assertTrue(o.maxNormRelErr() < 1e-3, "gradient norms within 0.1%: " + o.maxNormRelErr());
            assertTrue(o.gradsStep0MaxErr() < 1e-4 * o.gradsStep0Scale(), "step-1 gradients: " + o.gradsStep0MaxErr());
            assertTrue(o.finalWeightsMaxErr() < 1e-4, "final weights: " + o.finalWeightsMaxErr());
        }
    }
}

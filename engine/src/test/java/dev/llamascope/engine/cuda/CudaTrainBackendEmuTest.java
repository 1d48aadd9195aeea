package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.data.Batch;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.train.AdamW;
import dev.llamascope.engine.train.CpuTrainBackend;
import dev.llamascope.engine.train.TrainBackend;
import dev.llamascope.engine.train.Trainer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CudaTrainBackend} driven by the real {@link Trainer} loop, with the kernels on the CPU emulator (no GPU is
 * needed; the same run on a GPU is GpuGoldenTest): the golden fine-tune, gradient accumulation with dropout against the
 * CPU backend, resuming across devices, ignored targets, and moving state in and out.
 */
class CudaTrainBackendEmuTest {
    @TempDir
    Path tmp;

    static CudaTrainBackend emulated(FlatWeights w, TrainBackend.Spec spec) {
        return new CudaTrainBackend(new EmuAccelerator(), w, spec, "emulated GPU");
    }

    static FlatWeights copy(FlatWeights w) {
        return new FlatWeights(w.config(), w.data().clone());
    }

    @Test
    void goldenFineTuneThroughTheTrainerLoop() throws Exception {
        GoldenRun g = new GoldenRun();
        GoldenRun.Outcome o = g.runTrainer(emulated(g.initial(), g.spec(false)), tmp);
        System.out.println("golden run through Trainer + CudaTrainBackend on the emulator:\n" + o.table());
        GoldenRun.summary(o).forEach(System.out::println);
        assertTrue(o.maxLossErr() < 1e-3, "losses within 1e-3 of the golden: " + o.maxLossErr());
        assertTrue(o.maxNormRelErr() < 1e-3, "gradient norms within 0.1%: " + o.maxNormRelErr());
        assertTrue(o.gradsStep0MaxErr() < 1e-4 * o.gradsStep0Scale(), "step-1 gradients: " + o.gradsStep0MaxErr());
        assertTrue(o.finalWeightsMaxErr() < 1e-4, "final weights: " + o.finalWeightsMaxErr());
    }

    @Test
    void accumulationWithDropoutMatchesTheCpuBackend() throws Exception {
        CrossDeviceRuns.accumulationWithDropoutMatchesTheCpu(CudaTrainBackendEmuTest::emulated, "emulated GPU (CUDA emulator", 1e-4);
    }

    @Test
    void resumesFromTheCpuOnTheGpuAndBack() throws Exception {
        CrossDeviceRuns.resumesFromTheCpuOnTheGpuAndBack(CudaTrainBackendEmuTest::emulated, tmp, 1e-4);
    }

    // ---- the backend's operations directly, on a tiny model with GQA and a separate classifier ----

    static final ModelConfig TINY = new ModelConfig(32, 48, 2, 4, 2, 40, 16, false);

    static Batch randomBatch(long seed, int ignoredEvery) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 2 * 16;
        int[] x = new int[n], y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(40);
            y[i] = ignoredEvery > 0 && i % ignoredEvery == 0 ? -1 : r.nextInt(40);
        }
        return new Batch(2, 16, x, y);
    }

    @Test
    void ignoredTargetsGradientsAndStateMatchTheCpuBackend() {
        FlatWeights w = FlatWeights.random(TINY, 3);
        int n = (int) TINY.parameterCount();
        TrainBackend.Spec spec = new TrainBackend.Spec(TINY, 2, 16, 0f, 1);
        Batch masked = randomBatch(1, 3), full = randomBatch(2, 0), none = new Batch(2, 16, new int[32], filled(32, -1));
        try (TrainBackend cpu = new CpuTrainBackend(copy(w), spec); TrainBackend gpu = emulated(copy(w), spec)) {
            float[] gc = new float[n], gg = new float[n];
            for (TrainBackend be : new TrainBackend[]{cpu, gpu}) be.zeroGradients();
            double lc = cpu.forwardBackward(masked, 0.5f, 0) + cpu.forwardBackward(full, 0.5f, 0);
            double lg = gpu.forwardBackward(masked, 0.5f, 0) + gpu.forwardBackward(full, 0.5f, 0);
            assertEquals(lc, lg, 1e-5, "losses with ignored targets");
            assertEquals(0.0, gpu.forwardBackward(none, 0.5f, 0), "no counted target: loss 0");
            cpu.readGradients(gc);
            gpu.readGradients(gg);
            double scale = 0;
            for (float g : gc) scale = Math.max(scale, Math.abs(g));
            assertTrue(TrainerRun.maxAbsDiff(gc, gg) < 1e-5 * scale, "accumulated gradients: " + TrainerRun.maxAbsDiff(gc, gg) + " of " + scale);
            assertEquals(cpu.gradientNorm(), gpu.gradientNorm(), 1e-5 * cpu.gradientNorm());
            assertEquals(cpu.loss(masked), gpu.loss(masked), 1e-5, "eval loss");
            gpu.readGradients(gc);
            assertArrayEquals(gg, gc, "eval leaves the gradients alone");

            for (TrainBackend be : new TrainBackend[]{cpu, gpu}) be.adamwStep(AdamW.defaults(), 1e-2, 0.5f, 1);
            float[] wc = new float[n], wg = new float[n], mc = new float[n], vc = new float[n], mg = new float[n], vg = new float[n];
            cpu.readWeights(wc);
            gpu.readWeights(wg);
            cpu.readOptimizerState(mc, vc);
            gpu.readOptimizerState(mg, vg);
            // the first AdamW step moves each weight by about lr * sign(gradient): near-zero gradients may differ by a few %
            assertTrue(TrainerRun.maxAbsDiff(wc, wg) < 1e-2 * 1e-2, "weights after AdamW: " + TrainerRun.maxAbsDiff(wc, wg));
            assertTrue(TrainerRun.relativeUpdateDiff(w.data(), wc, wg) < 1e-4, "weights after AdamW: " + TrainerRun.relativeUpdateDiff(w.data(), wc, wg));
            assertTrue(TrainerRun.maxAbsDiff(mc, mg) < 1e-5 * scale, "first moments: " + TrainerRun.maxAbsDiff(mc, mg));
            assertTrue(TrainerRun.maxAbsDiff(vc, vg) < 1e-5 * scale * scale, "second moments: " + TrainerRun.maxAbsDiff(vc, vg));
            assertNotEquals(0.0, TrainerRun.maxAbsDiff(wg, w.data()), "the step moved the weights");

            // state in and out: null moments are zeros
            gpu.writeState(w.data(), null, mc);
            gpu.readWeights(wg);
            gpu.readOptimizerState(mg, vg);
            assertArrayEquals(w.data(), wg);
            assertArrayEquals(new float[n], mg);
            assertArrayEquals(mc, vg);

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gpu.loss(new Batch(1, 16, new int[16], new int[16])));
            assertTrue(e.getMessage().contains("built for 2 x 16 batches, got 1 x 16"), e.getMessage());
            Batch outside = new Batch(2, 16, filled(32, 40), new int[32]);
            e = assertThrows(IllegalArgumentException.class, () -> gpu.forwardBackward(outside, 1f, 0));
            assertTrue(e.getMessage().contains("input token 40 at 0 is outside the vocabulary (40)"), e.getMessage());
        }
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }
}

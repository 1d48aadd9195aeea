package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.data.Batch;
import dev.llamascope.engine.data.BatchLoader;
import dev.llamascope.engine.data.DataOrder;
import dev.llamascope.engine.data.TokenStream;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.train.AdamW;
import dev.llamascope.engine.train.CpuTrainBackend;
import dev.llamascope.engine.train.LrSchedule;
import dev.llamascope.engine.train.TrainBackend;
import dev.llamascope.engine.train.TrainConfig;
import dev.llamascope.engine.train.TrainState;
import dev.llamascope.engine.train.Trainer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
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

    // ---- the same run on the CPU and the emulated GPU: stories260K, 2 x 32 micro-batches ----

    static final int B = 2, T = 32;

    static int[] sampleTokens() throws Exception {
        byte[] raw = Files.readAllBytes(SharedData.file("data/tinystories-sample.tok512.u16"));
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int[] t = new int[raw.length / 2];
        for (int i = 0; i < t.length; i++) t[i] = bb.getShort(2 * i) & 0xffff;
        return t;
    }

    static FlatWeights stories260K() throws Exception {
        return GoldenRun.load(SharedData.file("models/stories260K/stories260K.bin"));
    }

    /** Accumulation 2, dropout 0.1, shuffled windows, a cosine schedule with warmup: everything the loop feeds a backend. */
    static TrainConfig config(int steps, int evalEvery) {
        return new TrainConfig(B, T, steps, 2, new LrSchedule(LrSchedule.Kind.COSINE, 2e-3, 1, 2e-4, steps), AdamW.defaults(), 1f,
                0.1f, DataOrder.SHUFFLE, 7, evalEvery, 2, 0);
    }

    static TrainBackend.Spec spec(FlatWeights w) {
        return new TrainBackend.Spec(w.config(), B, T, 0.1f, 2);
    }

    @Test
    void accumulationWithDropoutMatchesTheCpuBackend() throws Exception {
        int[] tokens = sampleTokens();
        TokenStream train = new TokenStream(Arrays.copyOfRange(tokens, 0, tokens.length - 4000), "train");
        TokenStream held = new TokenStream(Arrays.copyOfRange(tokens, tokens.length - 4000, tokens.length), "held out");
        FlatWeights w = stories260K();
        TrainerRun.Setup setup = new TrainerRun.Setup(config(4, 2), new BatchLoader(train, B, T, DataOrder.SHUFFLE, 7))
                .withEval(new BatchLoader(held, B, T, DataOrder.SEQUENTIAL, 7));
        TrainerRun cpu = TrainerRun.run(new CpuTrainBackend(copy(w), spec(w)), setup);
        TrainerRun gpu = TrainerRun.run(emulated(copy(w), spec(w)), setup);
        assertTrue(gpu.device().startsWith("emulated GPU (CUDA emulator"), gpu.device());
        assertEquals(4, gpu.steps().size());
        StringBuilder table = new StringBuilder("step  cpu loss    gpu loss    cpu norm    gpu norm    cpu eval    gpu eval\n");
        for (int i = 0; i < 4; i++) {
            var c = cpu.steps().get(i);
            var g = gpu.steps().get(i);
            table.append(String.format(Locale.ROOT, "%4d  %.7f  %.7f  %.7f  %.7f  %.7f  %.7f%n", c.step(), c.loss(), g.loss(), c.gradNorm(),
                    g.gradNorm(), c.evalLoss(), g.evalLoss()));
            assertEquals(c.step(), g.step());
            assertEquals(c.lr(), g.lr());
            assertEquals(c.tokens(), g.tokens());
            assertEquals(c.hasEval(), g.hasEval(), "eval on the same steps");
        }
        double loss = TrainerRun.maxLossDiff(cpu.steps(), 0, gpu.steps(), 0, 4), norm = TrainerRun.maxNormRelDiff(cpu.steps(), 0, gpu.steps(), 0, 4);
        double eval = 0;
        assertEquals(cpu.evals().size(), gpu.evals().size());
        assertEquals(3, gpu.evals().size(), "before step 1, after steps 2 and 4");
        for (int i = 0; i < cpu.evals().size(); i++) eval = Math.max(eval, Math.abs(cpu.evals().get(i)[1] - gpu.evals().get(i)[1]));
        double weights = TrainerRun.maxAbsDiff(cpu.weights(), gpu.weights());
        double apart = TrainerRun.relativeUpdateDiff(w.data(), cpu.weights(), gpu.weights());
        System.out.print(table);
        System.out.printf(Locale.ROOT, "CPU vs emulated GPU, accum 2, dropout 0.1: max |loss diff| %.2e, max grad-norm rel diff %.2e,"
                + " max |eval diff| %.2e, final weights: max |diff| %.2e, |diff| / |update| %.2e%n", loss, norm, eval, weights, apart);
        assertTrue(loss < 1e-4, "losses agree: " + loss);
        assertTrue(norm < 1e-4, "gradient norms agree: " + norm);
        assertTrue(eval < 1e-4, "eval losses agree: " + eval);
        assertTrue(apart < 1e-3, "the runs moved the weights alike: " + apart);
        assertTrue(weights < 0.5 * 2e-3, "no weight further apart than half a step at the peak lr: " + weights);
        // dropout was on: the same run without it gives other losses (so the agreement above covers the masks)
        TrainConfig noDrop = new TrainConfig(B, T, 1, 2, new LrSchedule(LrSchedule.Kind.COSINE, 2e-3, 1, 2e-4, 1), AdamW.defaults(), 1f,
                0f, DataOrder.SHUFFLE, 7, 0, 2, 0);
        TrainerRun plain = TrainerRun.run(emulated(copy(w), new TrainBackend.Spec(w.config(), B, T, 0f, 1)),
                new TrainerRun.Setup(noDrop, new BatchLoader(train, B, T, DataOrder.SHUFFLE, 7)));
        assertTrue(Math.abs(plain.steps().getFirst().loss() - gpu.steps().getFirst().loss()) > 1e-3,
                "dropout changes the loss: " + plain.steps().getFirst().loss() + " vs " + gpu.steps().getFirst().loss());
    }

    /** 3 steps on one device, saved; steps 4..6 on the other: the same as 6 steps on the CPU, both ways. */
    @Test
    void resumesFromTheCpuOnTheGpuAndBack() throws Exception {
        TokenStream data = new TokenStream(sampleTokens(), "sample");
        FlatWeights w = stories260K();
        TrainerRun.Setup six = new TrainerRun.Setup(config(6, 0), new BatchLoader(data, B, T, DataOrder.SHUFFLE, 7));
        TrainerRun full = TrainerRun.run(new CpuTrainBackend(copy(w), spec(w)), six);

        Path cpuHalf = tmp.resolve("cpu-half.bin"), gpuHalf = tmp.resolve("gpu-half.bin");
        TrainerRun.run(new CpuTrainBackend(copy(w), spec(w)), six.withOutputs(new Trainer.Outputs(cpuHalf, null)).stoppingAfter(3));
        TrainState fromCpu = TrainState.load(TrainState.folderFor(cpuHalf));
        assertEquals(3, fromCpu.step());
        TrainerRun onGpu = TrainerRun.run(emulated(w, spec(w)), six.resumingFrom(fromCpu));

        TrainerRun gpuFirst = TrainerRun.run(emulated(copy(w), spec(w)), six.withOutputs(new Trainer.Outputs(gpuHalf, null)).stoppingAfter(3));
        assertEquals(Trainer.Status.STOPPED, gpuFirst.result().status());
        TrainState fromGpu = TrainState.load(TrainState.folderFor(gpuHalf));
        assertEquals(6, fromGpu.microBatches(), "2 micro-batches per step");
        assertTrue(TrainerRun.maxAbsDiff(fromGpu.v(), new float[fromGpu.v().length]) > 0, "the GPU's second moments were saved");
        TrainerRun onCpu = TrainerRun.run(new CpuTrainBackend(fromGpu.weights(), spec(w)), six.resumingFrom(fromGpu));

        for (TrainerRun r : new TrainerRun[]{onGpu, onCpu}) {
            assertEquals(3, r.steps().size());
            for (int i = 0; i < 3; i++) {
                assertEquals(full.steps().get(3 + i).step(), r.steps().get(i).step());
                assertEquals(full.steps().get(3 + i).tokens(), r.steps().get(i).tokens());
                assertEquals(full.steps().get(3 + i).lr(), r.steps().get(i).lr());
            }
        }
        double gLoss = TrainerRun.maxLossDiff(full.steps(), 3, onGpu.steps(), 0, 3), cLoss = TrainerRun.maxLossDiff(full.steps(), 3, onCpu.steps(), 0, 3);
        double gW = TrainerRun.maxAbsDiff(full.weights(), onGpu.weights()), cW = TrainerRun.maxAbsDiff(full.weights(), onCpu.weights());
        double gApart = TrainerRun.relativeUpdateDiff(w.data(), full.weights(), onGpu.weights());
        double cApart = TrainerRun.relativeUpdateDiff(w.data(), full.weights(), onCpu.weights());
        System.out.printf(Locale.ROOT, "resumed on the emulated GPU from the CPU: max |loss diff| %.2e, weights max |diff| %.2e,"
                + " |diff| / |update| %.2e; on the CPU from the emulated GPU: %.2e, %.2e, %.2e%n", gLoss, gW, gApart, cLoss, cW, cApart);
        assertTrue(gLoss < 1e-4 && cLoss < 1e-4, "losses of steps 4-6 agree with the uninterrupted run: " + gLoss + ", " + cLoss);
        assertTrue(TrainerRun.maxNormRelDiff(full.steps(), 3, onGpu.steps(), 0, 3) < 1e-4, "gradient norms (GPU)");
        assertTrue(TrainerRun.maxNormRelDiff(full.steps(), 3, onCpu.steps(), 0, 3) < 1e-4, "gradient norms (CPU)");
        // the CPU-first run shares steps 1-3 with the uninterrupted one, so only steps 4-6 differ: a tight bound
        assertTrue(gW < 1e-5, "GPU steps 4-6 after CPU steps 1-3: final weights within 1e-5: " + gW);
        assertTrue(cApart < 1e-3 && gApart < 1e-3, "the runs moved the weights alike: " + gApart + ", " + cApart);
        assertTrue(cW < 0.5 * 2e-3, "no weight further apart than half a step at the peak lr: " + cW);
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

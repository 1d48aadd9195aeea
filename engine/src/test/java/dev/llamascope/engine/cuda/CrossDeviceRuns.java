package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.data.BatchLoader;
import dev.llamascope.engine.data.DataOrder;
import dev.llamascope.engine.data.TokenStream;
import dev.llamascope.engine.model.FlatWeights;
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

/**
 * The same training runs on the CPU backend and on a GPU backend (the emulator's, or a real GPU's), through the real
 * {@link Trainer} loop: stories260K fine-tuned on 2 x 32 micro-batches with gradient accumulation 2, dropout 0.1,
 * shuffled windows and a cosine schedule with warmup, so every input the loop gives a backend is exercised. The CPU
 * backend is the reference (it reproduces golden/ on its own).
 */
final class CrossDeviceRuns {
    private CrossDeviceRuns() {}

    /** Makes the GPU backend under test. */
    interface Maker {
        TrainBackend make(FlatWeights initial, TrainBackend.Spec spec) throws Exception;
    }

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

    static FlatWeights copy(FlatWeights w) {
        return new FlatWeights(w.config(), w.data().clone());
    }

    static TrainConfig config(int steps, int evalEvery) {
        return new TrainConfig(B, T, steps, 2, new LrSchedule(LrSchedule.Kind.COSINE, 2e-3, 1, 2e-4, steps), AdamW.defaults(), 1f,
                0.1f, DataOrder.SHUFFLE, 7, evalEvery, 2, 0);
    }

    static TrainBackend.Spec spec(FlatWeights w) {
        return new TrainBackend.Spec(w.config(), B, T, 0.1f, 2);
    }

    /**
     * 4 steps of 2 accumulated micro-batches with dropout and evals on held-out data: every loss, gradient norm and eval
     * loss within {@code tol} of the CPU's, the final weights moved alike.
     */
    static void accumulationWithDropoutMatchesTheCpu(Maker gpuMaker, String devicePrefix, double tol) throws Exception {
        int[] tokens = sampleTokens();
        TokenStream train = new TokenStream(Arrays.copyOfRange(tokens, 0, tokens.length - 4000), "train");
        TokenStream held = new TokenStream(Arrays.copyOfRange(tokens, tokens.length - 4000, tokens.length), "held out");
        FlatWeights w = stories260K();
        TrainerRun.Setup setup = new TrainerRun.Setup(config(4, 2), new BatchLoader(train, B, T, DataOrder.SHUFFLE, 7))
                .withEval(new BatchLoader(held, B, T, DataOrder.SEQUENTIAL, 7));
        TrainerRun cpu = TrainerRun.run(new CpuTrainBackend(copy(w), spec(w)), setup);
        TrainerRun gpu = TrainerRun.run(gpuMaker.make(copy(w), spec(w)), setup);
        assertTrue(gpu.device().startsWith(devicePrefix), gpu.device());
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
        assertEquals(3, gpu.evals().size(), "before step 1, after steps 2 and 4");
        assertEquals(cpu.evals().size(), gpu.evals().size());
        for (int i = 0; i < cpu.evals().size(); i++) eval = Math.max(eval, Math.abs(cpu.evals().get(i)[1] - gpu.evals().get(i)[1]));
        double weights = TrainerRun.maxAbsDiff(cpu.weights(), gpu.weights());
        double apart = TrainerRun.relativeUpdateDiff(w.data(), cpu.weights(), gpu.weights());
        System.out.print(table);
        System.out.printf(Locale.ROOT, "CPU vs %s, accum 2, dropout 0.1: max |loss diff| %.2e, max grad-norm rel diff %.2e,"
                + " max |eval diff| %.2e, final weights: max |diff| %.2e, |diff| / |update| %.2e%n", gpu.device(), loss, norm, eval, weights, apart);
        assertTrue(loss < tol, "losses agree: " + loss);
        assertTrue(norm < tol, "gradient norms agree: " + norm);
        assertTrue(eval < tol, "eval losses agree: " + eval);
        assertTrue(apart < 10 * tol, "the runs moved the weights alike: " + apart);
        assertTrue(weights < 0.5 * 2e-3, "no weight further apart than half a step at the peak lr: " + weights);

        // dropout was on: the same first step without it gives another loss (so the agreement above covers the masks)
        TrainConfig noDrop = new TrainConfig(B, T, 1, 2, new LrSchedule(LrSchedule.Kind.COSINE, 2e-3, 1, 2e-4, 1), AdamW.defaults(), 1f,
                0f, DataOrder.SHUFFLE, 7, 0, 2, 0);
        TrainerRun plain = TrainerRun.run(gpuMaker.make(copy(w), new TrainBackend.Spec(w.config(), B, T, 0f, 1)),
                new TrainerRun.Setup(noDrop, new BatchLoader(train, B, T, DataOrder.SHUFFLE, 7)));
        assertTrue(Math.abs(plain.steps().getFirst().loss() - gpu.steps().getFirst().loss()) > 1e-3,
                "dropout changes the loss: " + plain.steps().getFirst().loss() + " vs " + gpu.steps().getFirst().loss());
    }

    /** 3 steps on one device, saved; steps 4..6 on the other: the same as 6 steps on the CPU, both ways. */
    static void resumesFromTheCpuOnTheGpuAndBack(Maker gpuMaker, Path tmp, double tol) throws Exception {
        TokenStream data = new TokenStream(sampleTokens(), "sample");
        FlatWeights w = stories260K();
        TrainerRun.Setup six = new TrainerRun.Setup(config(6, 0), new BatchLoader(data, B, T, DataOrder.SHUFFLE, 7));
        TrainerRun full = TrainerRun.run(new CpuTrainBackend(copy(w), spec(w)), six);

        Path cpuHalf = tmp.resolve("cpu-half.bin"), gpuHalf = tmp.resolve("gpu-half.bin");
        TrainerRun.run(new CpuTrainBackend(copy(w), spec(w)), six.withOutputs(new Trainer.Outputs(cpuHalf, null)).stoppingAfter(3));
        TrainState fromCpu = TrainState.load(TrainState.folderFor(cpuHalf));
        assertEquals(3, fromCpu.step());
        TrainerRun onGpu = TrainerRun.run(gpuMaker.make(w, spec(w)), six.resumingFrom(fromCpu));

        TrainerRun gpuFirst = TrainerRun.run(gpuMaker.make(copy(w), spec(w)), six.withOutputs(new Trainer.Outputs(gpuHalf, null)).stoppingAfter(3));
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
        System.out.printf(Locale.ROOT, "resumed on %s from the CPU: max |loss diff| %.2e, weights max |diff| %.2e, |diff| / |update| %.2e;"
                + " on the CPU from it: %.2e, %.2e, %.2e%n", onGpu.device(), gLoss, gW, gApart, cLoss, cW, cApart);
        assertTrue(gLoss < tol && cLoss < tol, "losses of steps 4-6 agree with the uninterrupted run: " + gLoss + ", " + cLoss);
        assertTrue(TrainerRun.maxNormRelDiff(full.steps(), 3, onGpu.steps(), 0, 3) < tol, "gradient norms (GPU)");
        assertTrue(TrainerRun.maxNormRelDiff(full.steps(), 3, onCpu.steps(), 0, 3) < tol, "gradient norms (CPU)");
        // the CPU-first run shares steps 1-3 with the uninterrupted one, so only steps 4-6 (after AdamW's sensitive first
        // step) differ: a tight bound
        assertTrue(gW < tol / 10, "GPU steps 4-6 after CPU steps 1-3: final weights within " + tol / 10 + ": " + gW);
        assertTrue(cApart < 10 * tol && gApart < 10 * tol, "the runs moved the weights alike: " + gApart + ", " + cApart);
        assertTrue(cW < 0.5 * 2e-3, "no weight further apart than half a step at the peak lr: " + cW);
    }
}

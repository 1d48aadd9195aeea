package dev.llamascope.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.data.BatchLoader;
import dev.llamascope.engine.data.DataOrder;
import dev.llamascope.engine.data.TokenStream;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.Llama2cCheckpoint;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped half-way and resumed from its training-state folder continues bit for bit as the uninterrupted run:
 * with dropout, shuffled data, gradient accumulation and a cosine schedule (everything that has state), and with a
 * different thread count after the restart.
 */
class ResumeTest {
    static final ModelConfig SHAPE = new ModelConfig(32, 48, 2, 4, 2, 50, 32, true);
    static final int STEPS = 8;

    @TempDir
    Path dir;

    @Test
    void resumedRunEqualsUninterruptedRun() throws Exception {
        int[] tokens = new SplittableRandom(5).ints(3000, 0, SHAPE.vocabSize()).toArray();
        TokenStream data = new TokenStream(tokens, "random");

        List<StepMetrics> full = new ArrayList<>();
        FlatWeights a = run(data, 2, Trainer.Outputs.NONE, null, full, -1);

        List<StepMetrics> first = new ArrayList<>(), second = new ArrayList<>();
        Path model = dir.resolve("half.bin");
        run(data, 2, new Trainer.Outputs(model, null), null, first, 3);
        assertEquals(3, first.size(), "the first half stops after step 3");
        Path state = TrainState.folderFor(model);
        assertTrue(Files.isRegularFile(state.resolve(TrainState.FILE)), "a stopped run saves its state");
        TrainState saved = TrainState.load(state);
        assertEquals(saved.step(), TrainState.load(model).step(), "the model file leads to its state folder");
        assertEquals(3, saved.step());
        assertEquals(6, saved.microBatches(), "2 micro-batches per step");
        FlatWeights b = run(data, 1, Trainer.Outputs.NONE, saved, second, -1);

        assertEquals(STEPS - 3, second.size());
        for (int i = 0; i < second.size(); i++) {
            StepMetrics u = full.get(3 + i), r = second.get(i);
            assertEquals(u.step(), r.step());
            assertEquals(Double.doubleToLongBits(u.loss()), Double.doubleToLongBits(r.loss()), "loss of step " + u.step());
            assertEquals(Double.doubleToLongBits(u.gradNorm()), Double.doubleToLongBits(r.gradNorm()), "grad norm of step " + u.step());
            assertEquals(u.lr(), r.lr());
            assertEquals(u.tokens(), r.tokens());
        }
        assertArrayEquals(a.data(), b.data(), "final weights");

        // the model saved beside the state is the same weights as a llama2.c v0 file
        try (LlamaModel m = Llama2cCheckpoint.read(model)) {
            assertArrayEquals(saved.weights().data(), FlatWeights.of(m).data());
        }
    }

    @Test
    void damagedStateIsRefused() throws Exception {
        Path missing = dir.resolve("nothing");
        Files.createDirectories(missing);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TrainState.load(missing));
        assertTrue(e.getMessage().contains("not a training-state folder"), e.getMessage());

        int[] tokens = new SplittableRandom(5).ints(2000, 0, SHAPE.vocabSize()).toArray();
        Path model = dir.resolve("m.bin");
        run(new TokenStream(tokens, "random"), 1, new Trainer.Outputs(model, null), null, new ArrayList<>(), 1);
        Path file = TrainState.folderFor(model).resolve(TrainState.FILE);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 100));
        e = assertThrows(ModelFormatException.class, () -> TrainState.load(file.getParent()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    /** Runs the test configuration; stops after {@code stopAfter} steps when not negative. Returns the final weights. */
    private static FlatWeights run(TokenStream data, int threads, Trainer.Outputs out, TrainState resume,
                                   List<StepMetrics> log, int stopAfter) throws Exception {
        int batch = 3, seq = 16;
        TrainConfig cfg = new TrainConfig(batch, seq, STEPS, 2, new LrSchedule(LrSchedule.Kind.COSINE, 3e-3, 2, 3e-4, STEPS),
                AdamW.defaults(), 1f, 0.1f, DataOrder.SHUFFLE, 42, 0, 1, 0);
        FlatWeights w = FlatWeights.random(SHAPE, 1);
        try (CpuTrainBackend be = new CpuTrainBackend(w, new TrainBackend.Spec(SHAPE, batch, seq, 0.1f, threads))) {
            Trainer[] t = new Trainer[1];
            t[0] = new Trainer(cfg, be, new BatchLoader(data, batch, seq, DataOrder.SHUFFLE, 42), null, null, null, out,
                    new TrainListener() {
                        @Override
                        public void step(StepMetrics m) {
                            log.add(m);
                            if (m.step() == stopAfter) t[0].stop();
                        }
                    });
            if (resume != null) {
                assertTrue(t[0].checkResume(resume).isEmpty(), "same settings: " + t[0].checkResume(resume));
                t[0].restore(resume);
            }
            Trainer.Result r = t[0].run();
            assertEquals(stopAfter >= 0 ? Trainer.Status.STOPPED : Trainer.Status.COMPLETED, r.status());
            return be.weights();
        }
    }
}

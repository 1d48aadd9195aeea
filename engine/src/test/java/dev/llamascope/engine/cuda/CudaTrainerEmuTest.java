package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.train.AdamW;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CudaTrainer's contract on the emulator with a tiny random model: inputs, loss mask, dropout, checkpoints. */
class CudaTrainerEmuTest {
    static final ModelConfig TINY = new ModelConfig(32, 48, 2, 4, 2, 40, 16, false);
    static final int B = 2, T = 8;

    EmuAccelerator acc;
    int[] x = new int[B * T], y = new int[B * T];

    @BeforeEach
    void setUp() {
        acc = new EmuAccelerator();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(TINY.vocabSize());
            y[i] = r.nextInt(TINY.vocabSize());
        }
    }

    @AfterEach
    void tearDown() {
        acc.close();
    }

    CudaTrainer trainer() {
        return new CudaTrainer(acc, FlatWeights.random(TINY, 3));
    }

    @Test
    void badInputsAreRefusedWithTheReason() {
        StepSettings s = StepSettings.llama2c();
        try (CudaTrainer t = trainer()) {
            int[] bad = x.clone();
            bad[5] = 40;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.step(bad, y, null, B, T, 1e-3f, s));
            assertTrue(e.getMessage().contains("input token 40 at 5 is outside the vocabulary (40)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> t.step(x, y, null, B, 17, 1e-3f, s));
            assertTrue(e.getMessage().contains("sequence length 17 is longer than the model's 16"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> t.step(x, y, new float[3], B, T, 1e-3f, s));
            assertTrue(e.getMessage().contains("expected 16 loss-mask weights, got 3"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> t.step(x, y, null, B, T, Float.NaN, s));
            assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new StepSettings(0.1f, 1f, 0.95f, 1e-8f, 1f, 0f, 0));
            assertTrue(e.getMessage().contains("beta1"), e.getMessage());
            assertEquals(0, t.steps(), "a refused step changes nothing");
        }
    }

    @Test
    void aMaskOfOnesIsNoMaskAndZerosLeaveThePositionOut() {
        StepSettings s = StepSettings.llama2c();
        float[] ones = new float[B * T];
        java.util.Arrays.fill(ones, 1f);
        float plain, masked, half;
        try (CudaTrainer t = trainer()) {
            plain = t.step(x, y, null, B, T, 0f, s).loss();
        }
        try (CudaTrainer t = trainer()) {
            masked = t.step(x, y, ones, B, T, 0f, s).loss();
        }
        assertEquals(plain, masked, 0f);
        // weight only row 0: the loss is the mean over row 0 alone, the same as a batch of row 0
        float[] first = new float[B * T];
        for (int i = 0; i < T; i++) first[i] = 1f;
        try (CudaTrainer t = trainer()) {
            half = t.step(x, y, first, B, T, 0f, s).loss();
        }
        float rowZero;
        try (CudaTrainer t = trainer()) {
            rowZero = t.step(java.util.Arrays.copyOf(x, T), java.util.Arrays.copyOf(y, T), null, 1, T, 0f, s).loss();
        }
        assertEquals(rowZero, half, 1e-6f);
    }

    @Test
    void dropoutIsSeededAndChangesTheStep() {
        StepSettings none = StepSettings.llama2c();
        StepSettings drop = new StepSettings(0.1f, 0.9f, 0.95f, 1e-8f, 1f, 0.2f, 99);
        float a, b, c;
        try (CudaTrainer t = trainer()) {
            a = t.step(x, y, null, B, T, 1e-3f, drop).loss();
        }
        try (CudaTrainer t = trainer()) {
            b = t.step(x, y, null, B, T, 1e-3f, drop).loss();
        }
        try (CudaTrainer t = trainer()) {
            c = t.step(x, y, null, B, T, 1e-3f, none).loss();
        }
        assertEquals(a, b, 0f, "same seed, same masks");
        assertNotEquals(a, c, "dropout changes the loss");
    }

    @Test
    void weightsAndMomentsRoundTripThroughACheckpoint() {
        StepSettings s = StepSettings.llama2c();
        int n = (int) TINY.parameterCount();
        float[] w = new float[n], m = new float[n], v = new float[n];
        float continued;
        try (CudaTrainer t = trainer()) {
            t.step(x, y, null, B, T, 1e-2f, s);
            t.step(y, x, null, B, T, 1e-2f, s);
            t.downloadWeights(w);
            t.downloadMoments(m, v);
            continued = t.step(x, y, null, B, T, 1e-2f, s).loss();
        }
        assertTrue(java.util.Arrays.stream(toDouble(v)).anyMatch(d -> d > 0), "second moments were downloaded");
        try (CudaTrainer t = trainer()) {
            t.restore(w, m, v, 2);
            assertEquals(2, t.steps());
            assertEquals(continued, t.step(x, y, null, B, T, 1e-2f, s).loss(), 0f, "resumed exactly");
            float[] w2 = new float[n];
            t.downloadWeights(w2);
            assertTrue(!java.util.Arrays.equals(w, w2), "the step changed the weights");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            try (CudaTrainer t = trainer()) {
                t.downloadWeights(new float[3]);
            }
        });
        assertTrue(e.getMessage().contains("expected " + n + " floats"), e.getMessage());
    }

    /** zeroGradients + forwardBackward + gradientNorm + adamwStep (the backend's path) is step() (the benchmark's), bit for bit. */
    @Test
    void theFinerOperationsAreTheStep() {
        StepSettings s = new StepSettings(0.1f, 0.9f, 0.95f, 1e-8f, 1f, 0.2f, 99);
        AdamW opt = new AdamW(s.beta1(), s.beta2(), s.eps(), s.weightDecay());
        int n = (int) TINY.parameterCount();
        float[] wStep = new float[n], wOps = new float[n], vStep = new float[n], vOps = new float[n], m = new float[n];
        StepResult last = null;
        double loss = 0, norm = 0;
        try (CudaTrainer t = trainer()) {
            for (int i = 0; i < 2; i++) last = t.step(i == 0 ? x : y, i == 0 ? y : x, null, B, T, 1e-2f, s);
            t.downloadWeights(wStep);
            t.downloadMoments(m, vStep);
        }
        try (CudaTrainer t = trainer()) {
            for (int i = 0; i < 2; i++) {
                t.zeroGradients();
                loss = t.forwardBackward(i == 0 ? x : y, i == 0 ? y : x, null, B, T, 1f, s.dropout(), dev.llamascope.engine.train.Dropout.key(s.seed(), i));
                norm = t.gradientNorm();
                t.adamwStep(opt, 1e-2f, AdamW.clipCoefficient(norm, s.gradClip()), i + 1);
            }
            t.downloadWeights(wOps);
            t.downloadMoments(m, vOps);
        }
        assertEquals(last.loss(), (float) loss, 0f);
        assertEquals(last.gradNorm(), (float) norm, 0f);
        assertTrue(norm > 1, "the gradients were clipped (norm " + norm + ")");
        assertArrayEquals(wStep, wOps, 0f);
        assertArrayEquals(vStep, vOps, 0f);
    }

    /** Two micro-batches at half scale each: the gradients of their mean, the loss of each. */
    @Test
    void forwardBackwardAccumulatesScaledGradients() {
        int n = (int) TINY.parameterCount();
        float[] both = new float[n], a = new float[n], b = new float[n];
        try (CudaTrainer t = trainer()) {
            t.zeroGradients();
            double la = t.forwardBackward(x, y, null, B, T, 0.5f, 0f, 0);
            double lb = t.forwardBackward(y, x, null, B, T, 0.5f, 0f, 0);
            t.downloadGradients(both);
            t.zeroGradients();
            assertEquals(la, t.forwardBackward(x, y, null, B, T, 1f, 0f, 0), 0.0, "the loss is not scaled");
            t.downloadGradients(a);
            t.zeroGradients();
            assertEquals(lb, t.forwardBackward(y, x, null, B, T, 1f, 0f, 0), 0.0);
            t.downloadGradients(b);
        }
        double max = 0, err = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(both[i]));
            err = Math.max(err, Math.abs(both[i] - 0.5f * (a[i] + b[i])));
        }
        assertTrue(max > 0 && err < 1e-6 * max, "accumulated " + err + " of " + max);
    }

    @Test
    void aZeroLearningRateChangesNothing() {
        try (CudaTrainer t = trainer()) {
            FlatWeights init = FlatWeights.random(TINY, 3);
            t.step(x, y, null, B, T, 0f, StepSettings.llama2c());
            float[] w = new float[init.data().length];
            t.downloadWeights(w);
            assertArrayEquals(init.data(), w, 0f);
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}

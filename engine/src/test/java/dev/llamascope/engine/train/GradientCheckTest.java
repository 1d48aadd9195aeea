package dev.llamascope.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.data.Batch;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.FlatWeights.Kind;
import dev.llamascope.engine.model.ModelConfig;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gradients of every parameter tensor, three ways: central finite differences of a double-precision forward pass,
 * the double-precision analytic backward pass ({@link DoubleReference}), and the fp32 trainer
 * ({@link CpuTrainBackend}). Tiny model with GQA (4 query heads on 2 kv heads), an unshared classifier, sizes that
 * are not multiples of the vector length, two layers, and some ignored targets.
 */
class GradientCheckTest {
    static final ModelConfig TINY = new ModelConfig(24, 40, 2, 4, 2, 37, 16, false);
    static final int B = 2, T = 8;

    @Test
    void finiteDifferencesMatchAnalyticGradientsOfEveryTensor() {
        check(0f, true);
    }

    /** Dropout masks are a function of (key, site, index): the loss stays a smooth function of the weights. */
    @Test
    void dropoutGradientsMatchToo() {
        check(0.2f, false);
    }

    private static void check(float dropout, boolean everyTensorByFiniteDifferences) {
        FlatWeights fw = randomWeights(TINY, 7);
        double[] w = new double[fw.data().length];
        for (int i = 0; i < w.length; i++) w[i] = fw.data()[i]; // the float weights exactly, so both passes see the same model
        SplittableRandom rng = new SplittableRandom(11);
        int[] x = new int[B * T], y = new int[B * T];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(TINY.vocabSize());
            y[i] = i % 5 == 3 ? -1 : rng.nextInt(TINY.vocabSize());
        }
        long key = Dropout.key(99, 3);
        DoubleReference ref = new DoubleReference(TINY, B, T, dropout, key);
        double[] g = new double[w.length];
        double loss = ref.lossAndGradient(w, x, y, g);
        if (dropout > 0) {
            double plain = new DoubleReference(TINY, B, T, 0f, key).loss(w, x, y);
            assertTrue(Math.abs(plain - loss) > 1e-3, "dropout " + dropout + " changed nothing: loss " + loss + " both ways");
        }

        // 1. finite differences of the double forward pass against the double backward pass
        if (everyTensorByFiniteDifferences) {
            int checked = 0;
            double worst = 0;
            for (Kind k : Kind.values()) {
                for (int l = 0; l < fw.count(k); l++) {
                    int o = fw.offset(k, l), n = fw.numel(k);
                    double tensorMax = 0;
                    int argMax = 0;
                    for (int i = 0; i < n; i++) {
                        if (Math.abs(g[o + i]) > tensorMax) {
                            tensorMax = Math.abs(g[o + i]);
                            argMax = i;
                        }
                    }
                    assertTrue(tensorMax > 0, k + "[" + l + "] has an all-zero gradient: the check would prove nothing");
                    int[] picks = {argMax, rng.nextInt(n), rng.nextInt(n), rng.nextInt(n), rng.nextInt(n)};
                    for (int i : picks) {
                        double h = 1e-5, saved = w[o + i];
                        w[o + i] = saved + h;
                        double up = ref.loss(w, x, y);
                        w[o + i] = saved - h;
                        double down = ref.loss(w, x, y);
                        w[o + i] = saved;
                        double fd = (up - down) / (2 * h), an = g[o + i];
                        // relative to the coordinate's own size, floored at 1% of the tensor's largest gradient
                        double rel = Math.abs(fd - an) / Math.max(Math.max(Math.abs(fd), Math.abs(an)), 1e-2 * tensorMax);
                        worst = Math.max(worst, rel);
                        checked++;
                        assertTrue(rel < 1e-5, String.format(Locale.ROOT, "%s[%d] element %d: finite difference %.9g, analytic %.9g (relative %.2e)",
                                k, l, i, fd, an, rel));
                    }
                }
            }
            System.out.printf(Locale.ROOT, "finite differences: %d coordinates of every tensor, worst relative error %.2e%n", checked, worst);
        }

        // 2. the fp32 trainer against the double analytic gradients, every element
        try (CpuTrainBackend be = new CpuTrainBackend(fw, new TrainBackend.Spec(TINY, B, T, dropout, 2))) {
            be.zeroGradients();
            double floss = be.forwardBackward(new Batch(B, T, x, y), 1f, key);
            assertEquals(loss, floss, 2e-6 * Math.abs(loss), "loss");
            float[] fg = new float[w.length];
            be.readGradients(fg);
            double worst = 0;
            for (Kind k : Kind.values()) {
                for (int l = 0; l < fw.count(k); l++) {
                    int o = fw.offset(k, l), n = fw.numel(k);
                    double max = 0, diff = 0;
                    for (int i = 0; i < n; i++) {
                        max = Math.max(max, Math.abs(g[o + i]));
                        diff = Math.max(diff, Math.abs(fg[o + i] - g[o + i]));
                    }
                    worst = Math.max(worst, diff / max);
                    assertTrue(diff / max < 1e-5, String.format(Locale.ROOT, "%s[%d]: fp32 gradient differs by %.2e of the tensor's max", k, l, diff / max));
                }
            }
            System.out.printf(Locale.ROOT, "fp32 trainer vs double (dropout %.1f): loss %.9f vs %.9f, worst gradient difference %.2e of a tensor's max%n",
                    dropout, floss, loss, worst);
        }
    }

    /** Weights large enough that every nonlinearity matters: matrices N(0, 0.3), norm gains 1 + N(0, 0.2). */
    static FlatWeights randomWeights(ModelConfig c, long seed) {
        FlatWeights w = new FlatWeights(c);
        SplittableRandom rng = new SplittableRandom(seed);
        for (Kind k : Kind.values()) {
            int o = w.offset(k, 0), n = w.count(k) * w.numel(k);
            for (int i = 0; i < n; i++) {
                w.data()[o + i] = FlatWeights.decays(k) ? (float) (rng.nextGaussian() * 0.3) : (float) (1 + rng.nextGaussian() * 0.2);
            }
        }
        return w;
    }
}

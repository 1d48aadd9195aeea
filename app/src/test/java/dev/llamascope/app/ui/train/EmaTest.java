package dev.llamascope.app.ui.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.train.StepMetrics;
import org.junit.jupiter.api.Test;

/** The debiased EMA against a computation by hand, and the Train pane's curves recomputing it when the slider moves. */
class EmaTest {
    @Test
    void debiasedAsTensorBoardByHand() {
        // w = 0.6: m1 = 0.4*2 = 0.8, /0.4 = 2; m2 = 0.6*0.8 + 0.4*1 = 0.88, /0.64 = 1.375;
        // m3 = 0.6*0.88 + 0.4*4 = 2.128, /0.784 = 2.7142857...; NaN is skipped; m4 = 0.6*2.128 + 0.4*3 = 2.4768, /0.8704
        double[] s = Ema.smooth(new double[]{2, 1, 4, Double.NaN, 3}, 5, 0.6);
        assertEquals(2.0, s[0], 1e-12);
        assertEquals(1.375, s[1], 1e-12);
        assertEquals(2.128 / 0.784, s[2], 1e-12);
        assertEquals(2.128 / 0.784, s[3], 1e-12, "a NaN neither moves the average nor counts");
        assertEquals(2.4768 / 0.8704, s[4], 1e-12);
    }

    @Test
    void weightZeroIsTheValuesAndTheFirstValueIsNeverPulledToZero() {
        assertArrayEquals(new double[]{3, 1, 2}, Ema.smooth(new double[]{3, 1, 2}, 3, 0), 0);
        assertEquals(5.0, new Ema(0.999).add(5.0), 1e-12, "debiasing: the first smoothed value is the first value");
        assertTrue(Double.isNaN(new Ema(0.5).add(Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> new Ema(1.0));
    }

    @Test
    void theCurvesRecomputeTheSmoothingFromTheRawLosses() {
        TrainCurves c = new TrainCurves();
        double[] losses = {6.1, 5.2, 5.9, 4.0, 3.3};
        for (int i = 0; i < losses.length; i++)
            c.add(new StepMetrics(i + 1, 5, losses[i], 1.0, 5e-4, (i + 1) * 1024L, 1000, i == 4 ? 3.5 : Double.NaN, i + 1));
        assertArrayEquals(losses, c.rawLoss().ys(), 0);
        assertArrayEquals(Ema.smooth(losses, 5, c.smoothing()), c.smoothLoss().ys(), 1e-12);
        long rev = c.revisionProperty().get();
        c.setSmoothing(0.9);
        assertArrayEquals(Ema.smooth(losses, 5, 0.9), c.smoothLoss().ys(), 1e-12);
        assertTrue(c.revisionProperty().get() > rev, "the charts are told");
        assertEquals(1, c.evalLoss().size());
        assertEquals(5 * 1024.0, c.evalLoss().x(1, 0), 0, "x in tokens");
    }
}

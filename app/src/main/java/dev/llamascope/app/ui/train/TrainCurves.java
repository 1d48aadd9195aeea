package dev.llamascope.app.ui.train;

import dev.llamascope.app.ui.viz.ChartSeries;
import dev.llamascope.engine.train.StepMetrics;
import java.util.List;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;

/**
 * The numbers behind the Train pane's charts, one {@link ChartSeries} per curve, each point with three x values
 * (step, tokens, seconds): train loss as reported and smoothed (a debiased EMA whose weight the slider sets, see
 * {@link Ema}), eval loss, learning rate, gradient norm and tokens per second. Charts observe {@link #revisionProperty()}
 * and repaint when it moves. FX thread only.
 */
public final class TrainCurves {
    public static final List<String> X_AXES = List.of("step", "tokens", "time");

    final ChartSeries rawLoss = new ChartSeries("train loss", ChartSeries.Look.FAINT, 3);
    final ChartSeries smoothLoss = new ChartSeries("smoothed", ChartSeries.Look.LINE, 3);
    final ChartSeries evalLoss = new ChartSeries("eval loss", ChartSeries.Look.MARKERS, 3);
    final ChartSeries lr = new ChartSeries("learning rate", ChartSeries.Look.LINE, 3);
    final ChartSeries gradNorm = new ChartSeries("gradient norm", ChartSeries.Look.LINE, 3);
    final ChartSeries speed = new ChartSeries("tokens/s", ChartSeries.Look.LINE, 3);
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private double smoothing = 0.6;
    private Ema ema = new Ema(smoothing);

    public ChartSeries rawLoss() { return rawLoss; }
    public ChartSeries smoothLoss() { return smoothLoss; }
    public ChartSeries evalLoss() { return evalLoss; }
    public ChartSeries learningRate() { return lr; }
    public ChartSeries gradNorm() { return gradNorm; }
    public ChartSeries speed() { return speed; }

    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    /** Adds one optimizer step (and its eval loss, when it has one). Call {@link #changed()} after a batch. */
    void add(StepMetrics m) {
        double[] x = {m.step(), m.tokens(), m.seconds()};
        rawLoss.add(x, m.loss());
        smoothLoss.add(x, ema.add(m.loss()));
        lr.add(x, m.lr());
        gradNorm.add(x, m.gradNorm());
        speed.add(x, m.tokensPerSecond());
        if (m.hasEval()) evalLoss.add(x, m.evalLoss());
    }

    /** An eval loss that belongs to no step of this run: the one before the first step. */
    void addBaselineEval(long step, long tokens, double loss) {
        evalLoss.add(new double[]{step, tokens, 0}, loss);
    }

    public double smoothing() {
        return smoothing;
    }

    /** The EMA weight in [0, 1): the smoothed curve is recomputed from the raw losses. */
    public void setSmoothing(double weight) {
        double w = Math.max(0, Math.min(0.999, weight));
        if (w == smoothing) return;
        smoothing = w;
        ema = new Ema(w);
        double[] raw = rawLoss.ys();
        double[] s = new double[raw.length];
        for (int i = 0; i < raw.length; i++) s[i] = ema.add(raw[i]);
        smoothLoss.setYs(s);
        changed();
    }

    void clear() {
        for (ChartSeries s : List.of(rawLoss, smoothLoss, evalLoss, lr, gradNorm, speed)) s.clear();
        ema = new Ema(smoothing);
        changed();
    }

    void changed() {
        revision.set(revision.get() + 1);
    }
}

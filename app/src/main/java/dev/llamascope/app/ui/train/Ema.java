package dev.llamascope.app.ui.train;

/**
 * An exponential moving average debiased as TensorBoard's smoothing slider: with weight w, {@code m = w m + (1 - w) y}
 * starting from m = 0, shown as {@code m / (1 - w^k)} after k values, so the first points are not pulled toward zero.
 * Values that are not finite are skipped (they neither move the average nor count). w = 0 gives the values themselves.
 * No JavaFX.
 */
public final class Ema {
    private final double weight;
    private double m;
    private int count;

    /** @param weight in [0, 1): how much of the past each new value keeps */
    public Ema(double weight) {
        if (!(weight >= 0 && weight < 1)) throw new IllegalArgumentException("the smoothing weight must be in [0, 1), got " + weight);
        this.weight = weight;
    }

    /** Adds a value and returns the smoothed value so far (NaN until a finite value came). */
    public double add(double y) {
        if (Double.isFinite(y)) {
            m = m * weight + (1 - weight) * y;
            count++;
        }
        return count == 0 ? Double.NaN : m / (1 - Math.pow(weight, count));
    }

    /** The smoothed series of the first n values. */
    public static double[] smooth(double[] values, int n, double weight) {
        Ema e = new Ema(weight);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = e.add(values[i]);
        return out;
    }
}

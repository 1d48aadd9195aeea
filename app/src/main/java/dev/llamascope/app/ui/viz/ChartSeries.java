package dev.llamascope.app.ui.viz;

import java.util.Arrays;

/**
 * The points of one line of a {@link SeriesChart}, in growable primitive arrays (no boxing, so a chart holds 100k
 * points cheaply). Each point has several x coordinates, one per x axis the chart can show (for training: step,
 * tokens, seconds), and a y; points are appended in increasing x. FX thread only; the chart repaints when told.
 */
public final class ChartSeries {
    /** How a series is drawn: a thin faint line (raw values), a line, or markers joined by a thin line. */
    public enum Look { FAINT, LINE, MARKERS }

    private final String name;
    private final Look look;
    private final int dims;
    private double[][] xs;
    private double[] ys;
    private int size;

    public ChartSeries(String name, Look look, int xDimensions) {
        if (xDimensions < 1) throw new IllegalArgumentException("a series needs at least one x dimension");
        this.name = name;
        this.look = look;
        this.dims = xDimensions;
        this.xs = new double[xDimensions][64];
        this.ys = new double[64];
    }

    public String name() {
        return name;
    }

    public Look look() {
        return look;
    }

    public int size() {
        return size;
    }

    /** Appends a point: one x per dimension, then y. */
    public void add(double[] x, double y) {
        if (x.length != dims) throw new IllegalArgumentException("want " + dims + " x values, got " + x.length);
        if (size == ys.length) {
            int cap = size * 2;
            for (int d = 0; d < dims; d++) xs[d] = Arrays.copyOf(xs[d], cap);
            ys = Arrays.copyOf(ys, cap);
        }
        for (int d = 0; d < dims; d++) xs[d][size] = x[d];
        ys[size++] = y;
    }

    /** Replaces every y (same count), e.g. a smoothing recomputed with another weight. */
    public void setYs(double[] values) {
        if (values.length < size) throw new IllegalArgumentException("want " + size + " values, got " + values.length);
        System.arraycopy(values, 0, ys, 0, size);
    }

    public void clear() {
        size = 0;
    }

    public double x(int dim, int i) {
        return xs[dim][i];
    }

    public double y(int i) {
        return ys[i];
    }

    /** A copy of the y values. */
    public double[] ys() {
        return Arrays.copyOf(ys, size);
    }

    /** The index of the point whose x (in dimension dim) is nearest to x, or -1 when empty. */
    public int nearest(int dim, double x) {
        if (size == 0) return -1;
        double[] a = xs[dim];
        int lo = 0, hi = size - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) lo = mid + 1;
            else hi = mid;
        }
        if (lo > 0 && Math.abs(a[lo - 1] - x) <= Math.abs(a[lo] - x)) return lo - 1;
        return lo;
    }
}

package dev.llamascope.app.ui.viz;

import javafx.scene.paint.Color;

/**
 * Maps numbers to colours through a 256-entry lookup table, so painting a large matrix costs one array read per
 * cell. Sequential scales run low → mid → high over [min, max]; diverging scales run low (most negative) → mid
 * (zero) → high (most positive) over [-max|v|, +max|v|]. A gamma below 1 stretches small values, which attention
 * needs: most weights are near 0 and a linear scale would show a few dots on an empty field.
 */
public final class ColorScale {
    private final Color low, mid, high;
    private final double min, max, gamma;
    private final boolean diverging;
    /** 257 entries, so that the middle of the scale (zero of a diverging one) has an entry of its own. */
    private final int[] lut = new int[257];

    private ColorScale(Color low, Color mid, Color high, double min, double max, double gamma, boolean diverging) {
        if (!(max > min)) max = min + 1e-9;
        if (!(gamma > 0)) throw new IllegalArgumentException("gamma must be positive, got " + gamma);
        this.low = low;
        this.mid = mid;
        this.high = high;
        this.min = min;
        this.max = max;
        this.gamma = gamma;
        this.diverging = diverging;
        for (int i = 0; i <= 256; i++) lut[i] = toArgb(colorAt(i / 256.0));
    }

    /** low at min, mid half way (after the gamma), high at max. */
    public static ColorScale sequential(Color low, Color mid, Color high, double min, double max, double gamma) {
        return new ColorScale(low, mid, high, min, max, gamma, false);
    }

    /** negative → low, zero → mid, positive → high, symmetric around zero with the larger of |min|, |max|. */
    public static ColorScale diverging(Color negative, Color zero, Color positive, double min, double max, double gamma) {
        double m = Math.max(Math.abs(min), Math.abs(max));
        return new ColorScale(negative, zero, positive, -m, m, gamma, true);
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public double gamma() {
        return gamma;
    }

    public boolean diverging() {
        return diverging;
    }

    /** Position 0..1 along the scale of a value (with the gamma applied), clamped. */
    public double position(double v) {
        if (diverging) {
            double half = (v - 0) / max; // -1 .. 1
            half = Math.max(-1, Math.min(1, half));
            double s = curve(Math.abs(half));
            return 0.5 + 0.5 * Math.signum(half) * s;
        }
        double t = (v - min) / (max - min);
        t = Math.max(0, Math.min(1, t));
        return curve(t);
    }

    /** t^gamma, with the common gammas without Math.pow (this runs once per painted cell). */
    private double curve(double t) {
        return gamma == 1 ? t : gamma == 0.5 ? Math.sqrt(t) : Math.pow(t, gamma);
    }

    /** The value shown at a position along the scale (inverse of {@link #position}), for legends. */
    public double valueAt(double position) {
        if (diverging) {
            double s = (position - 0.5) * 2;
            return Math.signum(s) * Math.pow(Math.abs(s), 1 / gamma) * max;
        }
        return min + Math.pow(position, 1 / gamma) * (max - min);
    }

    public int argb(double v) {
        if (Double.isNaN(v)) return 0;
        return lut[(int) Math.round(position(v) * 256)];
    }

    public Color color(double v) {
        return colorAt(position(v));
    }

    /** The colour at a position 0..1 along the scale. */
    public Color colorAt(double t) {
        return t < 0.5 ? low.interpolate(mid, t * 2) : mid.interpolate(high, (t - 0.5) * 2);
    }

    public static int toArgb(Color c) {
        return ((int) Math.round(c.getOpacity() * 255) << 24) | ((int) Math.round(c.getRed() * 255) << 16)
                | ((int) Math.round(c.getGreen() * 255) << 8) | (int) Math.round(c.getBlue() * 255);
    }

    /** Black or white, whichever reads better on a background colour. */
    public static Color textOn(Color bg) {
        double l = 0.2126 * bg.getRed() + 0.7152 * bg.getGreen() + 0.0722 * bg.getBlue();
        return l > 0.55 ? Color.BLACK : Color.WHITE;
    }
}

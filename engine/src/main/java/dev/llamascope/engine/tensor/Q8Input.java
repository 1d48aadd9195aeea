package dev.llamascope.engine.tensor;

/**
 * An input vector quantized the way llama2.c's runq.c does it: symmetric int8 per group of {@code groupSize}
 * values, scale = max|x| / 127, q = round(x / scale) (half away from zero). The int8 values are kept as floats:
 * products and group sums of int8 values are exact in fp32, and the kernel then needs no conversion of x.
 */
public final class Q8Input {
    public final float[] q;
    /** The same values as 16-bit integers, for the kernel that multiplies in int16 (see Q8GroupMatrix). */
    public final short[] qs;
    public final float[] scale;

    Q8Input(int n, int groupSize) {
        q = new float[n];
        qs = new short[n];
        scale = new float[n / groupSize];
    }

    /** The cache key for this form with a group size. */
    public record Kind(int groupSize) implements Activation.Form<Q8Input> {
        @Override
        public Q8Input compute(float[] x, Q8Input reuse) {
            Q8Input r = reuse != null ? reuse : new Q8Input(x.length, groupSize);
            quantize(x, x.length, groupSize, r.q, r.scale);
            for (int i = 0; i < r.q.length; i++) r.qs[i] = (short) r.q[i];
            return r;
        }
    }

    /** runq.c's quantize(); q receives integer values in [-127, 127]. */
    public static void quantize(float[] x, int n, int gs, float[] q, float[] scale) {
        for (int g = 0; g < n / gs; g++) {
            int o = g * gs;
            float max = 0f;
            for (int i = 0; i < gs; i++) max = Math.max(max, Math.abs(x[o + i]));
            float s = max / 127.0f;
            scale[g] = s;
            for (int i = 0; i < gs; i++) q[o + i] = s == 0f ? 0f : roundHalfAway(x[o + i] / s);
        }
    }

    /** C's round(): halves go away from zero (Java's Math.round goes up). */
    static float roundHalfAway(float v) {
        double a = Math.floor(Math.abs((double) v) + 0.5);
        return (float) (v < 0 ? -a : a);
    }
}

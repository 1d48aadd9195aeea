package dev.llamascope.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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
            if (!quantizeVector(x, g, gs, q, scale)) quantizeScalar(x, g, gs, q, scale);
        }
    }

    /** Group g the plain way, runq.c's loop: the definition that {@link #quantizeVector} reproduces bit for bit. */
    static void quantizeScalar(float[] x, int g, int gs, float[] q, float[] scale) {
        int o = g * gs;
        float max = 0f;
        for (int i = 0; i < gs; i++) max = Math.max(max, Math.abs(x[o + i]));
        float s = max / 127.0f;
        scale[g] = s;
        for (int i = 0; i < gs; i++) q[o + i] = s == 0f ? 0f : roundHalfAway(x[o + i] / s);
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    /**
     * Group g with vectors, the same bits as {@link #quantizeScalar}: the maximum does not depend on order, and
     * round-half-away of |v| <= 127 is its integer part plus one when the exact remainder is at least a half.
     * Returns false, doing nothing, when the group size is not a multiple of the lanes or the group holds an
     * infinity or NaN (the scalar path decides those).
     */
    static boolean quantizeVector(float[] x, int g, int gs, float[] q, float[] scale) {
        int L = F.length();
        if (gs % L != 0) return false;
        int o = g * gs;
        FloatVector mx = FloatVector.zero(F);
        for (int j = 0; j < gs; j += L) mx = mx.max(FloatVector.fromArray(F, x, o + j).abs());
        float max = mx.reduceLanes(VectorOperators.MAX);
        if (!Float.isFinite(max)) return false;
        float s = max / 127.0f;
        scale[g] = s;
        if (s == 0f) {
            java.util.Arrays.fill(q, o, o + gs, 0f);
            return true;
        }
        for (int j = 0; j < gs; j += L) {
            FloatVector v = FloatVector.fromArray(F, x, o + j).div(s);
            FloatVector a = v.abs();
            FloatVector whole = (FloatVector) a.convertShape(VectorOperators.F2I, I, 0).convertShape(VectorOperators.I2F, F, 0);
            FloatVector r = whole.add(1f, a.sub(whole).compare(VectorOperators.GE, 0.5f));
            r.neg().blend(r, v.compare(VectorOperators.GE, 0f)).intoArray(q, o + j);
        }
        return true;
    }

    /** C's round(): halves go away from zero (Java's Math.round goes up). */
    static float roundHalfAway(float v) {
        double a = Math.floor(Math.abs((double) v) + 0.5);
        return (float) (v < 0 ? -a : a);
    }
}

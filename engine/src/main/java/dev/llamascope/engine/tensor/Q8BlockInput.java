package dev.llamascope.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * An input vector quantized as llama.cpp quantizes activations for its 32-value block formats (q8_0 for Q8_0, Q4_0
 * and Q5_0 weights; q8_1 for Q4_1 and Q5_1): per block of 32, d = max|x| / 127 stored as fp16, q = round(x * 127 /
 * max|x|) with halves to even (x86's vroundps), and for q8_1 also s = fp16(d * sum q). The int8 values are kept as
 * floats: products and block sums of them are exact in fp32, so kernels need no integer conversion of the input.
 */
public final class Q8BlockInput {
    public static final int QK = 32;

    /** The quantized values, integers in [-127, 127]. */
    public final float[] q;
    /** The same values as shorts, for kernels that multiply in 16-bit integers. */
    public final short[] qs;
    /** Per block: the scale as the kernel uses it (the fp16 value, widened). */
    public final float[] d;
    /** Per block: the exact sum of q. */
    public final float[] sum;
    /** Per block: q8_1's fp16(d * sum), widened. */
    public final float[] s;

    private Q8BlockInput(int n) {
        q = new float[n];
        qs = new short[n];
        d = new float[n / QK];
        sum = new float[n / QK];
        s = new float[n / QK];
    }

    /** The cache key: one quantization serves both the q8_0 and the q8_1 kernels. */
    public enum Kind implements Activation.Form<Q8BlockInput> {
        INSTANCE;

        @Override
        public Q8BlockInput compute(float[] x, Q8BlockInput reuse) {
            if (x.length % QK != 0) throw new IllegalArgumentException("input length " + x.length + " is not a multiple of " + QK);
            Q8BlockInput r = reuse != null ? reuse : new Q8BlockInput(x.length);
            quantize(x, r);
            return r;
        }
    }

    static void quantize(float[] x, Q8BlockInput r) {
        for (int b = 0; b < x.length / QK; b++) {
            if (!quantizeVector(x, b, r)) quantizeScalar(x, b, r);
        }
    }

    /** Block b the plain way: the definition that {@link #quantizeVector} reproduces bit for bit. */
    static void quantizeScalar(float[] x, int b, Q8BlockInput r) {
        int o = b * QK;
        float max = maxAbsScalar(x, o);
        int sum = roundScalar(x, o, max != 0f ? 127f / max : 0f, r.q, o, r.qs);
        setScales(r, b, max / 127f, sum);
    }

    private static float maxAbsScalar(float[] x, int o) {
        float max = 0f;
        for (int i = 0; i < QK; i++) max = Math.max(max, Math.abs(x[o + i]));
        return max;
    }

    /** q[qo + i] = rint(x[o + i] * id) for the block, and qs the same as shorts when not null; returns the sum of q. */
    private static int roundScalar(float[] x, int o, float id, float[] q, int qo, short[] qs) {
        int sum = 0;
        for (int i = 0; i < QK; i++) {
            float v = (float) Math.rint(x[o + i] * id);
            q[qo + i] = v;
            if (qs != null) qs[qo + i] = (short) v;
            sum += (int) v;
        }
        return sum;
    }

    private static void setScales(Q8BlockInput r, int b, float d, int sum) {
        r.d[b] = Half.round(d);
        r.sum[b] = sum;
        r.s[b] = Half.round(d * sum);
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));

    /**
     * Block b with vectors, the same bits as {@link #quantizeScalar} (prefill quantizes every prompt token for every
     * matrix, and the scalar loop was a third of 15M Q8_0 prefill): the maximum does not depend on order, rint is
     * the 1.5 * 2^23 rounding trick on |v| <= 127 with the sign put back (rint(-0.3) is -0.0), and the sum is of
     * exact integers. Returns false, doing nothing, when the block holds an infinity or NaN, or a maximum so small
     * that 127 / max overflows (the scalar path then decides what such a block becomes: NaNs, whose bits differ).
     */
    static boolean quantizeVector(float[] x, int b, Q8BlockInput r) {
        if (QK % L != 0) return false;
        int o = b * QK;
        float max = maxAbsVector(x, o);
        float id = max != 0f ? 127f / max : 0f;
        if (!Float.isFinite(max) || !Float.isFinite(id)) return false;
        setScales(r, b, max / 127f, roundVector(x, o, id, r.q, o, r.qs));
        return true;
    }

    /**
     * The block at x[o ..] into q[qo ..] (the values only, as floats), the same bits as {@link #quantize}; returns its
     * scale as kernels use it. For prefill, which lays the blocks of many tokens out as its kernel reads them.
     */
    static float quantizeBlock(float[] x, int o, float[] q, int qo) {
        if (QK % L == 0) {
            float max = maxAbsVector(x, o);
            float id = max != 0f ? 127f / max : 0f;
            if (Float.isFinite(max) && Float.isFinite(id)) {
                roundVector(x, o, id, q, qo, null);
                return Half.round(max / 127f);
            }
        }
        float max = maxAbsScalar(x, o);
        roundScalar(x, o, max != 0f ? 127f / max : 0f, q, qo, null);
        return Half.round(max / 127f);
    }

    private static float maxAbsVector(float[] x, int o) {
        FloatVector mx = FloatVector.zero(F);
        for (int j = 0; j < QK; j += L) mx = mx.max(FloatVector.fromArray(F, x, o + j).abs());
        return mx.reduceLanes(VectorOperators.MAX);
    }

    /** {@link #roundScalar} with vectors, for a finite id; without qs it leaves the integers and their sum out (returns 0). */
    private static int roundVector(float[] x, int o, float id, float[] q, int qo, short[] qs) {
        IntVector sum = IntVector.zero(I);
        for (int j = 0; j < QK; j += L) {
            FloatVector y = FloatVector.fromArray(F, x, o + j).mul(id);
            IntVector sign = y.reinterpretAsInts().and(0x80000000);
            FloatVector v = y.abs().add(1.5f * (1 << 23)).sub(1.5f * (1 << 23)).reinterpretAsInts().or(sign).reinterpretAsFloats();
            v.intoArray(q, qo + j);
            if (qs == null) continue;
            IntVector iv = (IntVector) v.convertShape(VectorOperators.F2I, I, 0);
            ((ShortVector) iv.convertShape(VectorOperators.I2S, S, 0)).intoArray(qs, qo + j);
            sum = sum.add(iv);
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }
}

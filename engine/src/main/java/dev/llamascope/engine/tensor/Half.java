package dev.llamascope.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * IEEE half precision (fp16) and bfloat16 conversions, scalar and per vector. The Vector API has no half-float
 * conversion, so a vector of fp16 bit patterns is widened to ints and rebuilt as floats: the 15 magnitude bits
 * shifted into a float's exponent and mantissa and scaled by 2^112 give the exact value for normal and subnormal
 * halves alike (infinities and NaNs, which no weight file holds, come out as large finite values).
 */
public final class Half {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** As many shorts as F has lanes. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.length() * 16));
    static final VectorSpecies<Integer> I = F.vectorShape().withLanes(int.class);
    private static final float TWO_112 = 0x1p112f;

    private Half() {}

    public static float toFloat(short h) {
        return Float.float16ToFloat(h);
    }

    /** Round to nearest even, as F16C's vcvtps2ph (and ggml's FP32_TO_FP16) do. */
    public static short fromFloat(float f) {
        return Float.floatToFloat16(f);
    }

    /** The float nearest to f that fp16 can hold. */
    public static float round(float f) {
        return Float.float16ToFloat(Float.floatToFloat16(f));
    }

    /** Rounds a[off, off + n) to fp16 values in place. */
    public static void round(float[] a, int off, int n) {
        for (int i = off; i < off + n; i++) a[i] = Float.float16ToFloat(Float.floatToFloat16(a[i]));
    }

    public static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }

    /** Round to nearest even (NaN stays NaN), as PyTorch converts float32 to bfloat16. */
    public static short bf16FromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** F.length() fp16 values (bit patterns in a short vector) as floats. */
    static FloatVector f16ToFloat(ShortVector h) {
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        IntVector sign = bits.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        FloatVector mag = bits.and(0x7fff).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(TWO_112);
        return mag.reinterpretAsInts().or(sign).reinterpretAsFloats();
    }

    /** F.length() bfloat16 values as floats. */
    static FloatVector bf16ToFloat(ShortVector h) {
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        return bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }
}

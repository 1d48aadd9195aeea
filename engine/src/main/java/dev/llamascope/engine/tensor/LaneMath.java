package dev.llamascope.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Deterministic replacements for two Vector API operations whose results depend on whether the JIT has compiled
 * the caller: {@code reduceLanes(ADD)} on floats (the interpreter sums lanes in order, compiled code in a tree)
 * and {@code lanewise(EXP)} (a Java fallback versus an SVML stub). The same program gave different text from one
 * run to the next with them, depending on when C2 kicked in. Here both are built from lane-wise IEEE operations
 * (add, mul, fma, shuffles, integer shifts), which are exact and identical in every execution tier.
 */
public final class LaneMath {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.vectorShape().withLanes(int.class);
    // One constant per fold: a loop over an array of shuffles left the adds to the Java fallback in C2-compiled code
    // (11% of 110M int8 decode samples in FloatVector.lanewiseTemplate). Folds wider than the vector are unused.
    private static final VectorShuffle<Float> FOLD8 = fold(8), FOLD4 = fold(4), FOLD2 = fold(2), FOLD1 = fold(1);

    private LaneMath() {}

    private static VectorShuffle<Float> fold(int half) {
        return half < F.length() ? VectorShuffle.fromOp(F, i -> i ^ half) : null;
    }

    /** The sum of all lanes by a fixed pairwise tree (halves, then quarters, ...). */
    public static float sum(FloatVector v) {
        int n = F.length();
        if (n > 16) return sumCompact(v); // no machine has wider vectors today
        if (n == 16) v = v.add(v.rearrange(FOLD8));
        if (n >= 8) v = v.add(v.rearrange(FOLD4));
        if (n >= 4) v = v.add(v.rearrange(FOLD2));
        if (n >= 2) v = v.add(v.rearrange(FOLD1));
        return v.lane(0);
    }

    /**
     * {@link #sum} of the L lanes stored at a[off ..], by the same tree (the same result bit for bit), in scalar code;
     * those L values may be overwritten. For kernels that leave their accumulators through an array: a
     * vector passed to {@link #sum} when C2 did not inline it (the caller's node budget was spent) is boxed, an object
     * and an array per call. In 110M int8 decode that was about 10 MB of garbage per token from
     * {@code Q8GroupMatrix}'s row pairs.
     */
    public static float sum(float[] a, int off) {
        if (F.length() != 16) {
            for (int half = F.length() / 2; half >= 1; half /= 2) {
                for (int i = off; i < off + half; i++) a[i] += a[i + half];
            }
            return a[off];
        }
        // 16 lanes (AVX-512, the case that runs here) written out: the same adds without loop overhead
        float s0 = a[off] + a[off + 8], s1 = a[off + 1] + a[off + 9], s2 = a[off + 2] + a[off + 10], s3 = a[off + 3] + a[off + 11];
        float s4 = a[off + 4] + a[off + 12], s5 = a[off + 5] + a[off + 13], s6 = a[off + 6] + a[off + 14], s7 = a[off + 7] + a[off + 15];
        s0 += s4;
        s1 += s5;
        s2 += s6;
        s3 += s7;
        s0 += s2;
        s1 += s3;
        return s0 + s1;
    }

    private static final VectorShuffle<Float>[] FOLDS = folds();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int steps = Integer.numberOfTrailingZeros(F.length());
        VectorShuffle<Float>[] s = new VectorShuffle[steps];
        for (int k = 0; k < steps; k++) s[k] = fold(F.length() >> (k + 1));
        return s;
    }

    /**
     * {@link #sum} by the same tree (the same result bit for bit) in a loop over the folds, for any width. {@link #sum}
     * unrolls the folds instead: in C2-compiled decode kernels this loop form left its adds to the Java fallback (11%
     * of 110M int8 decode samples).
     */
    public static float sumCompact(FloatVector v) {
        for (VectorShuffle<Float> s : FOLDS) v = v.add(v.rearrange(s));
        return v.lane(0);
    }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUND = 12582912f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;

    /**
     * e^x per lane, within a few ulp of e^x for x in [-87.3, 88]; inputs outside are clamped to that range.
     * Cephes-style: x = n ln2 + r with |r| <= ln2/2, e^r by a degree-6 polynomial, 2^n built in the exponent bits.
     */
    public static FloatVector exp(FloatVector x) {
        x = x.max(-87.3f).min(88.0f);
        FloatVector n = x.mul(LOG2E).add(ROUND).sub(ROUND); // nearest integer: 1.5 * 2^23 pushes the fraction out
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(F, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
        FloatVector r2 = r.mul(r);
        p = p.fma(r2, r).add(1f);
        IntVector e = ((IntVector) n.convertShape(VectorOperators.F2I, I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(e.reinterpretAsFloats());
    }

    /** The same algorithm for one value, so vector bodies and scalar tails agree. */
    public static float exp(float x) {
        x = Math.min(Math.max(x, -87.3f), 88.0f);
        float n = x * LOG2E + ROUND - ROUND;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = 1.9875691500e-4f;
        p = Math.fma(p, r, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        float r2 = r * r;
        p = Math.fma(p, r2, r) + 1f;
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }
}

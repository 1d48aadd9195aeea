package dev.llamascope.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Attention scores, a query against n keys: {@code out[t] = dot(q, k_t) / scale}, each bit for bit as
 * {@link Kernels#dot} followed by the division, eight keys at a time.
 *
 * <p>Why: one key at a time, every score ends in {@link LaneMath#sum}'s tree of four shuffles and four adds, a chain of
 * about 30 cycles, and costs about 20 cycles (6 ns) in all. That was two thirds of prefill attention and 9% of a
 * 42M-shape prefill (bench/README.md, eleventh session). Here eight keys' accumulators fold together: each level of
 * the same tree (lanes i and i + h, h = L/2, L/4, ..., 1) combines two vectors into one, so eight sums take 7 folds
 * of four operations (and with 16 lanes one more add) instead of eight of eight, and one division and one store
 * serve eight scores.
 *
 * <p>Why eight and not sixteen: with sixteen accumulators C2 stopped inlining (NodeCountInliningCutoff) after the
 * fifth fold, and the vectors passed to the folds it did not inline were boxed, 56 allocations per call; that ran
 * four times slower than one key at a time.
 *
 * <p>Why the bits are the same: a fold adds, in every lane, exactly the pair that {@link LaneMath#sum} adds at that
 * level (for the second vector with the operands swapped, and a + b == b + a in IEEE arithmetic), and every
 * accumulator is the same fma chain over the head's vectors in order. Keys past the last multiple of eight, heads
 * that are not a whole number of vectors, and vector widths other than 8 or 16 lanes go through {@code dot}.
 */
public final class AttentionScores {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Keys per batch. */
    static final int KEYS = 8;
    private static final boolean BATCHED = L == 16 || L == 8;
    // Level k of the tree adds lanes i and i + L >> k: masks of the lanes whose bit L >> k is set, and the swaps.
    private static final VectorMask<Float> M1 = upper(L / 2), M2 = upper(L / 4), M3 = upper(L / 8);
    private static final VectorShuffle<Float> S1 = swap(L / 2), S2 = swap(L / 4), S3 = swap(L / 8), S4 = swap(L / 16);
    /**
     * After the three folds, key j's sum is in the lane whose bit L/2 >> b is bit b of j (with 16 lanes, the even one
     * of a pair that one more add completes): this shuffle puts key j's sum in lane j.
     */
    private static final VectorShuffle<Float> ORDER = BATCHED ? VectorShuffle.fromOp(F, j -> j < KEYS ? sourceLane(j) : j) : null;
    private static final VectorMask<Float> FIRST_KEYS = BATCHED ? F.indexInRange(0, KEYS) : null;

    private AttentionScores() {}

    private static VectorMask<Float> upper(int h) {
        if (h < 1) return null;
        boolean[] m = new boolean[L];
        for (int i = 0; i < L; i++) m[i] = (i & h) != 0;
        return VectorMask.fromArray(F, m, 0);
    }

    private static VectorShuffle<Float> swap(int h) {
        return h < 1 ? null : VectorShuffle.fromOp(F, i -> i ^ h);
    }

    private static int sourceLane(int key) {
        int lane = 0;
        for (int b = 0; b < 3; b++) lane |= ((key >> b) & 1) * ((L / 2) >> b);
        return lane;
    }

    /**
     * out[oo + t] = dot(q[qo .. qo + len), k[ko + t * stride ..]) / scale for t < n, the same bits as
     * {@code Kernels.dot(q, qo, k, ko + t * stride, len) / scale}.
     */
    public static void scaled(float[] q, int qo, float[] k, int ko, int stride, int len, float scale, float[] out, int oo, int n) {
        scaledFrom(0, q, qo, k, ko, stride, len, scale, out, oo, n);
    }

    /**
     * Four consecutive causal queries at once (query r at q[qo + r * qs ..] against keys 0 .. n + r - 1, scores into
     * out[oo + r * os ..]), each score the same bits as {@link #scaled} gives it: per block of eight keys, all four
     * queries. A head's keys lie a cache row (2 KB for the 42M shape) apart, so its 256 keys map to few L1 sets and
     * did not stay there from one query to the next: each query read them from L2 again, about 20 cycles a score.
     */
    public static void scaledQuad(float[] q, int qo, int qs, float[] k, int ko, int stride, int len, float scale,
                                  float[] out, int oo, int os, int n) {
        int t = 0;
        if (BATCHED && len % L == 0) {
            for (; t + KEYS <= n; t += KEYS) {
                int kb = ko + t * stride;
                for (int r = 0; r < 4; r++) eight(q, qo + r * qs, k, kb, stride, len, scale, out, oo + r * os + t);
            }
        }
        for (int r = 0; r < 4; r++) {
            int o = oo + r * os;
            scaledFrom(t, q, qo + r * qs, k, ko, stride, len, scale, out, o, n + r);
        }
    }

    /** {@link #scaled} for keys t0 .. n - 1. */
    private static void scaledFrom(int t0, float[] q, int qo, float[] k, int ko, int stride, int len, float scale, float[] out, int oo, int n) {
        int t = t0;
        if (BATCHED && len % L == 0) {
            for (; t + KEYS <= n; t += KEYS) eight(q, qo, k, ko + t * stride, stride, len, scale, out, oo + t);
        }
        for (; t < n; t++) out[oo + t] = Kernels.dot(q, qo, k, ko + t * stride, len) / scale;
    }

    /** Eight keys: their fma chains side by side, then the tree's folds across them. Straight-line on purpose: the accumulators stay in registers. */
    private static void eight(float[] q, int qo, float[] k, int ko, int stride, int len, float scale, float[] out, int oo) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int i = 0; i < len; i += L) {
            FloatVector x = FloatVector.fromArray(F, q, qo + i);
            int b = ko + i;
            a0 = x.fma(FloatVector.fromArray(F, k, b), a0);
            a1 = x.fma(FloatVector.fromArray(F, k, b + stride), a1);
            a2 = x.fma(FloatVector.fromArray(F, k, b + 2 * stride), a2);
            a3 = x.fma(FloatVector.fromArray(F, k, b + 3 * stride), a3);
            a4 = x.fma(FloatVector.fromArray(F, k, b + 4 * stride), a4);
            a5 = x.fma(FloatVector.fromArray(F, k, b + 5 * stride), a5);
            a6 = x.fma(FloatVector.fromArray(F, k, b + 6 * stride), a6);
            a7 = x.fma(FloatVector.fromArray(F, k, b + 7 * stride), a7);
        }
        // Level 1: pairs of keys; level 2: pairs of pairs; level 3: all eight.
        FloatVector b0 = fold(a0, a1, M1, S1), b1 = fold(a2, a3, M1, S1), b2 = fold(a4, a5, M1, S1), b3 = fold(a6, a7, M1, S1);
        FloatVector d = fold(fold(b0, b1, M2, S2), fold(b2, b3, M2, S2), M3, S3);
        if (L == 16) {
            d = d.add(d.rearrange(S4)); // level 4, within each pair of lanes: the even lane holds the sum
            d.rearrange(ORDER).div(scale).intoArray(out, oo, FIRST_KEYS);
        } else {
            d.rearrange(ORDER).div(scale).intoArray(out, oo);
        }
    }

    /**
     * One level of the tree for two vectors made of segments of 2h lanes, each one accumulator's partial sums: in
     * every segment the lanes j and j + h are added, x's in the lower half of the result's segment and y's in the
     * upper.
     */
    private static FloatVector fold(FloatVector x, FloatVector y, VectorMask<Float> upper, VectorShuffle<Float> swap) {
        return x.blend(y, upper).add(y.blend(x, upper).rearrange(swap));
    }
}

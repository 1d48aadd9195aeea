package dev.llamascope.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kernel against a plain scalar (double-precision where it helps) reference, at sizes with and without tails. */
class KernelsTest {
    static final ComputePool POOL = new ComputePool(2);
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    @AfterAll
    static void close() {
        POOL.close();
    }

    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 33, 64, 288, 771})
    void f32MatvecMatchesScalar(int cols) {
        int rows = 37;
        float[] w = random(rows * cols, 1), x = random(cols, 2);
        Matrix m = F32Matrix.of(w, rows, cols);
        Activation a = new Activation(cols);
        System.arraycopy(x, 0, a.data, 0, cols);
        float[] out = new float[rows + 3];
        m.matvec(a, out, 3, 0, rows);
        BlockMatrixTest.assertPairsAreSingles(m, a, java.util.Arrays.copyOfRange(out, 3, 3 + rows), "f32 cols " + cols);
        for (int r = 0; r < rows; r++) {
            double ref = 0;
            for (int i = 0; i < cols; i++) ref += (double) w[r * cols + i] * x[i];
            assertEquals(ref, out[3 + r], 1e-5 * Math.sqrt(cols), "row " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 32, 64, 128})
    void q8MatvecMatchesRunqScalar(int gs) {
        int rows = 19, cols = gs == 32 ? 288 : 256; // 288: an odd number of groups (the 2-groups-per-step tail)
        SplittableRandom rnd = new SplittableRandom(gs);
        try (Arena arena = Arena.ofConfined()) {
            long n = (long) rows * cols;
            MemorySegment seg = arena.allocate(n + n / gs * 4);
            byte[] q = new byte[(int) n];
            float[] s = new float[(int) (n / gs)];
            for (int i = 0; i < n; i++) q[i] = (byte) (rnd.nextInt(255) - 127);
            for (int i = 0; i < s.length; i++) s[i] = (float) rnd.nextDouble() * 0.02f;
            MemorySegment.copy(q, 0, seg, ValueLayout.JAVA_BYTE, 0, q.length);
            MemorySegment.copy(s, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), n, s.length);
            Q8GroupMatrix m = new Q8GroupMatrix(seg, 0, n, rows, cols, gs);
            Activation a = new Activation(cols);
            System.arraycopy(random(cols, 9), 0, a.data, 0, cols);
            m.prepare(a);
            float[] out = new float[rows];
            m.matvec(a, out, 0, 0, rows);
            BlockMatrixTest.assertPairsAreSingles(m, a, out, "int8 gs " + gs);
            // runq.c: quantize x, integer dot per group, val += ival * ws * xs
            float[] xq = new float[cols], xs = new float[cols / gs];
            Q8Input.quantize(a.data, cols, gs, xq, xs);
            for (int r = 0; r < rows; r++) {
                float val = 0;
                for (int g = 0; g < cols / gs; g++) {
                    int ival = 0;
                    for (int j = 0; j < gs; j++) ival += q[r * cols + g * gs + j] * (int) xq[g * gs + j];
                    val += ((float) ival) * s[r * cols / gs + g] * xs[g];
                }
                assertEquals(val, out[r], Math.abs(val) * 1e-5 + 1e-6, "row " + r);
                if (gs < 8 || gs % L != 0) assertEquals(val, out[r], 0f, "the scalar path is runq.c to the letter");
                else assertEquals(laneOrder(q, s, xq, xs, r, cols, gs), out[r], 0f, "row " + r + ": every vector kernel gives the lane arithmetic exactly");
            }
            float[] row = new float[cols];
            m.readRow(3, row, 0);
            assertEquals(q[3 * cols + 5] * s[3 * cols / gs + 5 / gs], row[5], 0f);
        }
    }

    @Test
    void quantizeRoundsHalfAwayFromZero() {
        float[] x = {127f, -0.5f, 0.5f, 1.5f, -1.5f, 2.5f, 0f, -127f};
        float[] q = new float[8], s = new float[1];
        Q8Input.quantize(x, 8, 8, q, s);
        assertEquals(1f, s[0]);
        assertEquals(-1f, q[1]);
        assertEquals(1f, q[2]);
        assertEquals(2f, q[3]);
        assertEquals(-2f, q[4]);
        assertEquals(3f, q[5]);
        float[] zeros = new float[8];
        Q8Input.quantize(zeros, 8, 8, q, s);
        assertEquals(0f, s[0]);
        assertEquals(0f, q[0]);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 6, 13, 64, 100})
    void gemmMatchesNaive(int M) {
        for (int[] nk : new int[][]{{1, 1}, {31, 17}, {32, 256}, {70, 300}, {96, 513}}) {
            int N = nk[0], K = nk[1];
            float[] a = random(M * K, M + N), w = random(N * K, K), c = random(M * N, 5);
            float[] c0 = c.clone();
            Gemm.gemm(POOL, M, N, K, a, 0, K, 1, Gemm.transposed(w, 0, K), c, 0, N, false);
            float[] acc = c0.clone();
            Gemm.gemm(POOL, M, N, K, a, 0, K, 1, Gemm.transposed(F32Matrix.of(w, N, K)), acc, 0, N, true);
            for (int m = 0; m < M; m++) {
                for (int n = 0; n < N; n++) {
                    double ref = 0;
                    for (int k = 0; k < K; k++) ref += (double) a[m * K + k] * w[n * K + k];
                    assertEquals(ref, c[m * N + n], 1e-5 * Math.sqrt(K), "C[" + m + "][" + n + "] " + M + "x" + N + "x" + K);
                    assertEquals(ref + c0[m * N + n], acc[m * N + n], 1e-5 * Math.sqrt(K), "accumulate");
                }
            }
        }
    }

    /** A transposed view of A (column stride) and a row-major B: dW = dY^T X as the trainer needs it. */
    @Test
    void gemmWithStridedAAndRowMajorB() {
        int T = 45, out = 37, in = 29;
        float[] dy = random(T * out, 1), x = random(T * in, 2), dw = new float[out * in];
        Gemm.gemm(POOL, out, in, T, dy, 0, 1, out, Gemm.rowMajor(x, 0, in), dw, 0, in, false);
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double ref = 0;
                for (int t = 0; t < T; t++) ref += (double) dy[t * out + o] * x[t * in + i];
                assertEquals(ref, dw[o * in + i], 1e-4);
            }
        }
    }

    @Test
    void rmsnormSoftmaxSwigluMatchScalar() {
        int n = 173;
        float[] x = random(n, 3), w = random(n, 4), out = new float[n + 2];
        Kernels.rmsnorm(out, 2, x, 0, w, n, 1e-5f);
        double ss = 0;
        for (float v : x) ss += v * v;
        double inv = 1 / Math.sqrt(ss / n + 1e-5);
        for (int i = 0; i < n; i++) assertEquals(w[i] * x[i] * inv, out[2 + i], 1e-6);

        float[] s = random(n, 5);
        float[] ref = s.clone();
        Kernels.softmax(s, 0, n);
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : ref) max = Math.max(max, v);
        for (float v : ref) sum += Math.exp(v - max);
        double total = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(Math.exp(ref[i] - max) / sum, s[i], 1e-7);
            total += s[i];
        }
        assertEquals(1.0, total, 1e-6);

        float[] h = random(n, 6), g = random(n, 7), h0 = h.clone();
        Kernels.swiglu(h, 0, g, 0, n);
        for (int i = 0; i < n; i++) assertEquals(h0[i] / (1 + Math.exp(-h0[i])) * g[i], h[i], 1e-6);
    }

    @Test
    void laneExpIsAccurateAndTailAgrees() {
        float worst = 0;
        for (float x = -87f; x < 88f; x += 0.01371f) {
            float got = LaneMath.exp(x);
            double want = Math.exp(x);
            worst = Math.max(worst, (float) (Math.abs(got - want) / Math.ulp((float) want)));
        }
        assertTrue(worst <= 2.5f, "exp within 2.5 ulp, worst " + worst);
        float[] v = random(64, 8);
        float[] viaVector = v.clone();
        Kernels.softmax(viaVector, 0, 64);
        float[] viaScalar = v.clone();
        Kernels.softmax(viaScalar, 1, 63); // odd length and offset: a scalar tail on the same values
        float max = v[1];
        for (int i = 2; i < 64; i++) max = Math.max(max, v[i]);
        double sum = 0;
        for (int i = 1; i < 64; i++) sum += LaneMath.exp(v[i] - max);
        assertEquals(LaneMath.exp(v[63] - max) / sum, viaScalar[63], 1e-7);
    }

    /** The masked tail of softmax gives the bits of the scalar tail it replaced (kept here as its definition). */
    @Test
    void softmaxTailIsTheScalarTail() {
        for (int n = 1; n <= 3 * L + 5; n++) {
            float[] v = random(n + 3, 20 + n);
            for (int i = 0; i < v.length; i++) v[i] *= 9f; // a spread of exponents, so that any change shows
            float[] got = v.clone(), want = v.clone();
            Kernels.softmax(got, 2, n);
            softmaxScalarTail(want, 2, n);
            for (int i = 0; i < v.length; i++)
                assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), "n " + n + ", element " + i);
        }
    }

    /** softmax as it was: vector body, then exponentials, sums and scaling of the tail one value at a time. */
    private static void softmaxScalarTail(float[] x, int o, int n) {
        float max = x[o];
        for (int i = 1; i < n; i++) max = Math.max(max, x[o + i]);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int e = F.loopBound(n); i < e; i += L) {
            FloatVector v = LaneMath.exp(FloatVector.fromArray(F, x, o + i).sub(max));
            v.intoArray(x, o + i);
            acc = acc.add(v);
        }
        float sum = LaneMath.sum(acc);
        for (; i < n; i++) {
            float v = LaneMath.exp(x[o + i] - max);
            x[o + i] = v;
            sum += v;
        }
        float inv = 1.0f / sum;
        for (i = 0; i < n; i++) x[o + i] *= inv;
    }

    @Test
    void laneSumIsAFixedTree() {
        float[] a = random(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length(), 11);
        var v = jdk.incubator.vector.FloatVector.fromArray(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, a, 0);
        float expected = pairwise(a, 0, a.length);
        assertEquals(expected, LaneMath.sum(v), 0f);
        assertEquals(expected, LaneMath.sumCompact(v), 0f);
        for (int trial = 0; trial < 200; trial++) { // many magnitudes, so that a different tree would round differently
            float[] b = random(a.length, 100 + trial);
            for (int i = 0; i < b.length; i++) b[i] *= (float) Math.pow(10, (i * 7 + trial) % 9 - 4);
            var bv = jdk.incubator.vector.FloatVector.fromArray(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, b, 0);
            assertEquals(pairwise(b, 0, b.length), LaneMath.sum(bv), 0f, "trial " + trial);
            assertEquals(pairwise(b, 0, b.length), LaneMath.sumCompact(bv), 0f, "trial " + trial);
            float[] spent = new float[b.length + 3];
            System.arraycopy(b, 0, spent, 3, b.length);
            assertEquals(pairwise(b, 0, b.length), LaneMath.sum(spent, 3), 0f, "trial " + trial);
        }
    }

    /** lane i ^ half pairs: sum = ((a0+a8)+(a4+a12)) + ... computed the same way. */
    private static float pairwise(float[] a, int lo, int n) {
        float[] v = a.clone();
        for (int half = n / 2; half >= 1; half /= 2) {
            float[] next = new float[n];
            for (int i = 0; i < n; i++) next[i] = v[i] + v[i ^ half];
            v = next;
        }
        return v[0];
    }

    @Test
    void poolRunsEveryIndexOnceAndRethrows() {
        int n = 10_000;
        int[] hits = new int[n];
        POOL.parallelFor(n, 7, (s, e) -> {
            for (int i = s; i < e; i++) hits[i]++;
        });
        for (int h : hits) assertEquals(1, h);
        // nested loops run serially instead of deadlocking
        int[] nested = new int[64];
        POOL.parallelFor(8, 1, (s, e) -> {
            for (int i = s; i < e; i++) {
                int base = i * 8;
                POOL.parallelFor(8, 1, (s2, e2) -> {
                    for (int j = s2; j < e2; j++) nested[base + j]++;
                });
            }
        });
        for (int h : nested) assertEquals(1, h);
        IllegalStateException ex = assertThrows(IllegalStateException.class, () -> POOL.parallelFor(100, 1, (s, e) -> {
            if (s == 57) throw new IllegalStateException("boom at 57");
        }));
        assertEquals("boom at 57", ex.getMessage());
        // the pool still works after a failure
        int[] after = new int[100];
        POOL.parallelFor(100, 3, (s, e) -> {
            for (int i = s; i < e; i++) after[i] = i;
        });
        assertEquals(99, after[99]);
    }

    /**
     * What every vector path of Q8GroupMatrix computes, written out per lane: lane l sums the exact integer products
     * of the elements l, l + L, l + 2L, ... of each group, scales them by both scales with one fused multiply-add per
     * group in group order, and the lanes are added by LaneMath's fixed tree. The float and int16 kernels must agree
     * with it bit for bit.
     */
    private static float laneOrder(byte[] q, float[] s, float[] xq, float[] xs, int r, int cols, int gs) {
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        float[] acc = new float[lanes];
        for (int g = 0; g < cols / gs; g++) {
            float d = s[r * cols / gs + g] * xs[g];
            for (int l = 0; l < lanes; l++) {
                int lane = 0;
                for (int j = l; j < gs; j += lanes) lane += q[r * cols + g * gs + j] * (int) xq[g * gs + j];
                acc[l] = Math.fma((float) lane, d, acc[l]);
            }
        }
        return LaneMath.sum(jdk.incubator.vector.FloatVector.fromArray(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, acc, 0));
    }

    /** Attention's weighted sum keeps axpy's arithmetic: the same bits for every head size and context length. */
    @Test
    void weightedSumIsZeroThenAxpy() {
        SplittableRandom rng = new SplittableRandom(5);
        int stride = 200;
        float[] v = new float[300 * stride];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        float[] w = new float[300];
        for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextDouble();
        for (int len : new int[]{1, 5, 16, 24, 32, 48, 64, 71, 80, 128, 144}) {
            for (int n : new int[]{1, 2, 17, 257}) {
                float[] want = new float[len + 3], got = new float[len + 3];
                for (int t = 0; t < n; t++) axpy(w[1 + t], v, 7 + t * stride, want, 2, len);
                Kernels.weightedSum(w, 1, n, v, 7, stride, got, 2, len);
                for (int i = 0; i < want.length; i++)
                    assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), "len " + len + ", n " + n + ", element " + i);
            }
        }
    }

    /** Four causal queries at once (n, n+1, n+2, n+3 terms, each its own weights) are each the same bits as alone. */
    @Test
    void weightedSumQuadIsFourSingles() {
        SplittableRandom rng = new SplittableRandom(6);
        int stride = 200, ws = 301;
        float[] v = new float[300 * stride];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        float[] w = new float[4 * ws];
        for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextDouble();
        for (int len : new int[]{1, 16, 24, 32, 48, 64, 71, 80, 128}) {
            for (int n : new int[]{1, 2, 17, 257}) {
                int os = len + 5;
                float[] want = new float[4 * os], got = new float[4 * os];
                for (int r = 0; r < 4; r++) Kernels.weightedSum(w, 1 + r * ws, n + r, v, 7, stride, want, 2 + r * os, len);
                Kernels.weightedSumQuad(w, 1, ws, n, v, 7, stride, got, 2, os, len);
                for (int i = 0; i < want.length; i++)
                    assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), "len " + len + ", n " + n + ", element " + i);
            }
        }
    }

    /** y[yo..yo+n) += a * x[xo..xo+n): the loop attention used before weightedSum, kept as its definition. */
    private static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int e = F.loopBound(n); i < e; i += L) {
            FloatVector.fromArray(F, x, xo + i).fma(FloatVector.broadcast(F, a), FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += a * x[xo + i];
    }
}

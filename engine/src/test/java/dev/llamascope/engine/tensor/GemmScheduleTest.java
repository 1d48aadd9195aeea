package dev.llamascope.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Both GEMM schedules (column panels for wide C, row panels for tall C), with odd sizes, strided A, accumulation and
 * several k-blocks: against a double-precision product, and bit-identical for 1, 2 and 3 threads.
 */
class GemmScheduleTest {
    @Test
    void matchesReferenceAndDoesNotDependOnThreads() {
        int[][] shapes = {
                {7, 45, 13},      // wide: columns
                {300, 33, 600},   // tall: rows, deep k-blocks
                {1000, 70, 257},  // tall, one k-block of 257
                {37, 1000, 321},  // wide, two k-blocks
                {5, 3, 1},        // tiny
        };
        for (int[] s : shapes) {
            for (boolean transposedA : new boolean[]{false, true}) {
                for (boolean accumulate : new boolean[]{false, true}) {
                    float[] first = null;
                    for (int threads = 1; threads <= 3; threads++) {
                        float[] c = run(s[0], s[1], s[2], transposedA, accumulate, threads);
                        if (first == null) first = c;
                        else assertArrayEquals(first, c, "M=" + s[0] + " N=" + s[1] + " K=" + s[2] + " threads=" + threads);
                    }
                }
            }
        }
    }

    private static float[] run(int M, int N, int K, boolean transposedA, boolean accumulate, int threads) {
        SplittableRandom r = new SplittableRandom(M * 31L + N * 7L + K);
        float[] a = new float[M * K + 3], w = new float[N * K], c = new float[M * N];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        for (int i = 0; i < c.length; i++) c[i] = (float) r.nextGaussian();
        float[] c0 = c.clone();
        // A(m, k) = a[3 + m * K + k], or the transpose of a K x M matrix: a[3 + k * M + m]
        int rs = transposedA ? 1 : K, cs = transposedA ? M : 1;
        try (ComputePool pool = new ComputePool(threads)) {
            Gemm.gemm(pool, M, N, K, a, 3, rs, cs, Gemm.transposed(w, 0, K), c, 0, N, accumulate);
        }
        for (int m = 0; m < M; m++) {
            for (int n = 0; n < N; n++) {
                double ref = accumulate ? c0[m * N + n] : 0, mag = Math.abs(ref);
                for (int k = 0; k < K; k++) {
                    double p = (double) a[3 + m * rs + k * cs] * w[n * K + k];
                    ref += p;
                    mag += Math.abs(p);
                }
                assertEquals(ref, c[m * N + n], 1e-6 * mag + 1e-6, "C[" + m + "][" + n + "] of " + M + "x" + N + "x" + K);
            }
        }
        return c;
    }
}

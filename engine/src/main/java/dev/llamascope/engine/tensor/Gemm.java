package dev.llamascope.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix multiply {@code C[m][n] (+)= sum_k A(m,k) * B(k,n)}, the compute-bound core of
 * prefill and training.
 *
 * <p>BLIS-style: B is copied into panels of {@link #NR} columns laid out k-major ({@link PanelSource}), which
 * turns any layout or storage type (transposed weights, int8 groups, a heap array) into the one shape the
 * micro-kernel wants. The micro-kernel keeps a {@link #MR} x {@link #NR} block of C in vector registers and
 * updates it with one broadcast of A and two vector loads of B per k: 2*MR FMAs per 2 loads. A is read in
 * place through (row stride, column stride), so A may be a transposed view without a copy.
 */
public final class Gemm {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Columns of C per panel: two vectors. */
    public static final int NR = 2 * L;
    /** Rows of C per micro-kernel call. */
    static final int MR = 6;
    /** Depth of a k-block: NR * KC floats of packed B stay in the L1 cache. */
    static final int KC = 192;

    private Gemm() {}

    /** Supplies B in packed panels: {@code dst[k * NR + j] = B(k0 + k, n0 + j)} for j < nc, zero for nc <= j < NR. */
    @FunctionalInterface
    public interface PanelSource {
        void pack(int n0, int nc, int k0, int kc, float[] dst);
    }

    /** B(k, n) = b[off + n * ld + k]: B is the transpose of a row-major N x K matrix (weights of nn.Linear). */
    public static PanelSource transposed(float[] b, int off, int ld) {
        return (n0, nc, k0, kc, dst) -> {
            for (int j = 0; j < nc; j++) {
                int src = off + (n0 + j) * ld + k0;
                for (int k = 0; k < kc; k++) dst[k * NR + j] = b[src + k];
            }
            zeroTail(dst, nc, kc);
        };
    }

    /** B(k, n) = b[off + k * ld + n]: B is a row-major K x N matrix. */
    public static PanelSource rowMajor(float[] b, int off, int ld) {
        return (n0, nc, k0, kc, dst) -> {
            for (int k = 0; k < kc; k++) {
                System.arraycopy(b, off + (k0 + k) * ld + n0, dst, k * NR, nc);
                for (int j = nc; j < NR; j++) dst[k * NR + j] = 0f;
            }
        };
    }

    /** B(k, n) = W[n][k] for a weight matrix W of any storage type: C = A * W^T. */
    public static PanelSource transposed(Matrix w) {
        return (n0, nc, k0, kc, dst) -> {
            float[] row = ROW.get();
            if (row.length < w.cols()) {
                row = new float[w.cols()];
                ROW.set(row);
            }
            for (int j = 0; j < nc; j++) {
                w.readRow(n0 + j, row, 0);
                for (int k = 0; k < kc; k++) dst[k * NR + j] = row[k0 + k];
            }
            zeroTail(dst, nc, kc);
        };
    }

    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    private static void zeroTail(float[] dst, int nc, int kc) {
        if (nc == NR) return;
        for (int k = 0; k < kc; k++) {
            for (int j = nc; j < NR; j++) dst[k * NR + j] = 0f;
        }
    }

    /**
     * C[m][n] = (accumulate ? C[m][n] : 0) + sum_k A(m,k) B(k,n), for m < M, n < N, k < K.
     * A(m,k) = a[aOff + m * aRowStride + k * aColStride]; C[m][n] = c[cOff + m * ldc + n].
     */
    public static void gemm(ComputePool pool, int M, int N, int K,
                            float[] a, int aOff, int aRowStride, int aColStride,
                            PanelSource b, float[] c, int cOff, int ldc, boolean accumulate) {
        if (M <= 0 || N <= 0) return;
        int panels = (N + NR - 1) / NR;
        Runnable serial = null;
        pool.parallelFor(panels, 1, (p0, p1) -> {
            float[] packed = new float[KC * NR];
            for (int p = p0; p < p1; p++) {
                int n0 = p * NR;
                int nc = Math.min(NR, N - n0);
                if (K == 0) {
                    if (!accumulate) for (int m = 0; m < M; m++) java.util.Arrays.fill(c, cOff + m * ldc + n0, cOff + m * ldc + n0 + nc, 0f);
                    continue;
                }
                for (int k0 = 0; k0 < K; k0 += KC) {
                    int kc = Math.min(KC, K - k0);
                    b.pack(n0, nc, k0, kc, packed);
                    boolean acc = accumulate || k0 > 0;
                    int m = 0;
                    for (; m + MR <= M; m += MR) {
                        kernel6(kc, a, aOff + m * aRowStride + k0 * aColStride, aRowStride, aColStride,
                                packed, c, cOff + m * ldc + n0, ldc, nc, acc);
                    }
                    for (; m < M; m++) {
                        kernel1(kc, a, aOff + m * aRowStride + k0 * aColStride, aColStride,
                                packed, c, cOff + m * ldc + n0, nc, acc);
                    }
                }
            }
        });
    }

    private static void kernel6(int kc, float[] a, int ai, int ars, int acs, float[] bp,
                                float[] c, int ci, int ldc, int nc, boolean acc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        int a0 = ai, a1 = ai + ars, a2 = ai + 2 * ars, a3 = ai + 3 * ars, a4 = ai + 4 * ars, a5 = ai + 5 * ars;
        for (int k = 0, bi = 0; k < kc; k++, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + L);
            int o = k * acs;
            FloatVector v = FloatVector.broadcast(F, a[a0 + o]);
            c00 = b0.fma(v, c00); c01 = b1.fma(v, c01);
            v = FloatVector.broadcast(F, a[a1 + o]);
            c10 = b0.fma(v, c10); c11 = b1.fma(v, c11);
            v = FloatVector.broadcast(F, a[a2 + o]);
            c20 = b0.fma(v, c20); c21 = b1.fma(v, c21);
            v = FloatVector.broadcast(F, a[a3 + o]);
            c30 = b0.fma(v, c30); c31 = b1.fma(v, c31);
            v = FloatVector.broadcast(F, a[a4 + o]);
            c40 = b0.fma(v, c40); c41 = b1.fma(v, c41);
            v = FloatVector.broadcast(F, a[a5 + o]);
            c50 = b0.fma(v, c50); c51 = b1.fma(v, c51);
        }
        store(c, ci, nc, acc, c00, c01);
        store(c, ci + ldc, nc, acc, c10, c11);
        store(c, ci + 2 * ldc, nc, acc, c20, c21);
        store(c, ci + 3 * ldc, nc, acc, c30, c31);
        store(c, ci + 4 * ldc, nc, acc, c40, c41);
        store(c, ci + 5 * ldc, nc, acc, c50, c51);
    }

    private static void kernel1(int kc, float[] a, int ai, int acs, float[] bp,
                                float[] c, int ci, int nc, boolean acc) {
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F);
        for (int k = 0, bi = 0; k < kc; k++, bi += NR) {
            FloatVector v = FloatVector.broadcast(F, a[ai + k * acs]);
            c0 = FloatVector.fromArray(F, bp, bi).fma(v, c0);
            c1 = FloatVector.fromArray(F, bp, bi + L).fma(v, c1);
        }
        store(c, ci, nc, acc, c0, c1);
    }

    private static void store(float[] c, int ci, int nc, boolean acc, FloatVector v0, FloatVector v1) {
        if (nc == NR) {
            if (acc) {
                v0 = v0.add(FloatVector.fromArray(F, c, ci));
                v1 = v1.add(FloatVector.fromArray(F, c, ci + L));
            }
            v0.intoArray(c, ci);
            v1.intoArray(c, ci + L);
        } else {
            float[] tmp = new float[NR];
            v0.intoArray(tmp, 0);
            v1.intoArray(tmp, L);
            for (int j = 0; j < nc; j++) c[ci + j] = acc ? c[ci + j] + tmp[j] : tmp[j];
        }
    }
}

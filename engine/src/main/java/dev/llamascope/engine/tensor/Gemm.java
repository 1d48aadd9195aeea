package dev.llamascope.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix multiply {@code C[m][n] (+)= sum_k A(m,k) * B(k,n)}, the compute-bound core of
 * prefill and training.
 *
 * <p>BLIS-style. K is cut into blocks of {@link #KC}. For each block, A is copied into panels of {@link #MR} rows
 * laid out k-major, and each thread copies B, {@link #NR} columns at a time, into a k-major panel
 * ({@link PanelSource}) — which turns any layout or storage type (transposed weights, int8 groups, a heap array)
 * into the one shape the micro-kernel wants. The micro-kernel keeps an MR x NR block of C in 12 vector registers
 * and per k does two vector loads of B and MR broadcasts of A for 2*MR FMAs. Threads split the columns of C.
 */
public final class Gemm {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Columns of C per panel: two vectors. */
    public static final int NR = 2 * L;
    /** Rows of C per micro-kernel call. */
    static final int MR = 6;
    /** Depth of a k-block: an NR x KC panel of B (32 KB) stays in L1, the packed A block (MR x KC per panel) in L2. */
    static final int KC = 256;

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
            if (row.length < kc) {
                row = new float[Math.max(kc, KC)];
                ROW.set(row);
            }
            for (int j = 0; j < nc; j++) {
                w.readRow(n0 + j, k0, kc, row, 0);
                for (int k = 0; k < kc; k++) dst[k * NR + j] = row[k];
            }
            zeroTail(dst, nc, kc);
        };
    }

    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[KC]);

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
        if (K <= 0) {
            if (!accumulate) for (int m = 0; m < M; m++) java.util.Arrays.fill(c, cOff + m * ldc, cOff + m * ldc + N, 0f);
            return;
        }
        int mPanels = (M + MR - 1) / MR;
        int nPanels = (N + NR - 1) / NR;
        float[] aPacked = new float[mPanels * MR * Math.min(K, KC)];
        for (int k0 = 0; k0 < K; k0 += KC) {
            int kc = Math.min(KC, K - k0);
            packA(a, aOff, aRowStride, aColStride, M, k0, kc, aPacked);
            boolean acc = accumulate || k0 > 0;
            int fk0 = k0;
            pool.parallelFor(nPanels, 1, (p0, p1) -> {
                float[] bPacked = new float[kc * NR];
                float[] tile = new float[MR * NR];
                for (int p = p0; p < p1; p++) {
                    int n0 = p * NR, nc = Math.min(NR, N - n0);
                    b.pack(n0, nc, fk0, kc, bPacked);
                    for (int mp = 0; mp < mPanels; mp++) {
                        int m0 = mp * MR, mr = Math.min(MR, M - m0);
                        kernel(kc, aPacked, mp * MR * kc, bPacked, tile);
                        addTile(tile, c, cOff + m0 * ldc + n0, ldc, mr, nc, acc);
                    }
                }
            });
        }
    }

    /** Copies A(m, k0..k0+kc) into panels of MR rows: dst[panel * MR * kc + k * MR + i], zero rows past M. */
    private static void packA(float[] a, int aOff, int ars, int acs, int M, int k0, int kc, float[] dst) {
        int mPanels = (M + MR - 1) / MR;
        for (int mp = 0; mp < mPanels; mp++) {
            int base = mp * MR * kc;
            for (int i = 0; i < MR; i++) {
                int m = mp * MR + i;
                if (m < M) {
                    int src = aOff + m * ars + k0 * acs;
                    if (acs == 1) {
                        for (int k = 0; k < kc; k++) dst[base + k * MR + i] = a[src + k];
                    } else {
                        for (int k = 0; k < kc; k++) dst[base + k * MR + i] = a[src + k * acs];
                    }
                } else {
                    for (int k = 0; k < kc; k++) dst[base + k * MR + i] = 0f;
                }
            }
        }
    }

    private static void kernel(int kc, float[] ap, int ai, float[] bp, float[] tile) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        for (int k = 0; k < kc; k++) {
            int bi = k * NR, a0 = ai + k * MR;
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + L);
            FloatVector v = FloatVector.broadcast(F, ap[a0]);
            c00 = b0.fma(v, c00);
            c01 = b1.fma(v, c01);
            v = FloatVector.broadcast(F, ap[a0 + 1]);
            c10 = b0.fma(v, c10);
            c11 = b1.fma(v, c11);
            v = FloatVector.broadcast(F, ap[a0 + 2]);
            c20 = b0.fma(v, c20);
            c21 = b1.fma(v, c21);
            v = FloatVector.broadcast(F, ap[a0 + 3]);
            c30 = b0.fma(v, c30);
            c31 = b1.fma(v, c31);
            v = FloatVector.broadcast(F, ap[a0 + 4]);
            c40 = b0.fma(v, c40);
            c41 = b1.fma(v, c41);
            v = FloatVector.broadcast(F, ap[a0 + 5]);
            c50 = b0.fma(v, c50);
            c51 = b1.fma(v, c51);
        }
        // The accumulators leave through one fixed-shape tile: an epilogue with branches on mr/nc/acc made C2
        // keep them in memory inside the loop (40 instead of 110 GFLOP/s on one core here).
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
    }

    /** C[0..mr)[0..nc) (+)= tile. */
    private static void addTile(float[] tile, float[] c, int ci, int ldc, int mr, int nc, boolean acc) {
        for (int i = 0; i < mr; i++) {
            int t = i * NR, o = ci + i * ldc;
            if (nc == NR) {
                FloatVector v0 = FloatVector.fromArray(F, tile, t), v1 = FloatVector.fromArray(F, tile, t + L);
                if (acc) {
                    v0 = v0.add(FloatVector.fromArray(F, c, o));
                    v1 = v1.add(FloatVector.fromArray(F, c, o + L));
                }
                v0.intoArray(c, o);
                v1.intoArray(c, o + L);
            } else {
                for (int j = 0; j < nc; j++) c[o + j] = acc ? c[o + j] + tile[t + j] : tile[t + j];
            }
        }
    }
}

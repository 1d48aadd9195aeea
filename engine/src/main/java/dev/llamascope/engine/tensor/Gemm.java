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
 * and per k does two vector loads of B and MR broadcasts of A for 2*MR FMAs. Threads split the columns of C, or
 * its rows when A is the taller operand (see {@link #gemm}).
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
            float[] row = ROW.get(Math.max(kc, KC));
            for (int j = 0; j < nc; j++) {
                w.readRow(n0 + j, k0, kc, row, 0);
                for (int k = 0; k < kc; k++) dst[k * NR + j] = row[k];
            }
            zeroTail(dst, nc, kc);
        };
    }

    private static final FloatScratch ROW = new FloatScratch();

    private static void zeroTail(float[] dst, int nc, int kc) {
        if (nc == NR) return;
        for (int k = 0; k < kc; k++) {
            for (int j = nc; j < NR; j++) dst[k * NR + j] = 0f;
        }
    }

    /**
     * C[m][n] = (accumulate ? C[m][n] : 0) + sum_k A(m,k) B(k,n), for m < M, n < N, k < K.
     * A(m,k) = a[aOff + m * aRowStride + k * aColStride]; C[m][n] = c[cOff + m * ldc + n].
     *
     * <p>Two schedules, chosen by shape alone (so the result never depends on the thread count: each C tile is the same
     * kernel calls on the same packed k-blocks either way):
     * <ul>
     *   <li>columns (M &lt;= N, or N too wide for L2): the threads pack all of A per k-block together, then take
     *       (column panel, row block) items, each packing its B panel into L1 and sweeping the row panels;</li>
     *   <li>rows (M &gt; N): the threads pack all B panels per k-block together (they fit in L2), then take ranges of
     *       row panels, each packing its A panel into L1 and sweeping the column panels. For a tall A (the classifier's
     *       weight gradient: M = vocabulary) this reads A once instead of once per column panel.</li>
     * </ul>
     */
    public static void gemm(ComputePool pool, int M, int N, int K,
                            float[] a, int aOff, int aRowStride, int aColStride,
                            PanelSource b, float[] c, int cOff, int ldc, boolean accumulate) {
        if (M <= 0 || N <= 0) return;
        if (K <= 0) {
            if (!accumulate) for (int m = 0; m < M; m++) java.util.Arrays.fill(c, cOff + m * ldc, cOff + m * ldc + N, 0f);
            return;
        }
        int kcMax = K <= KC + KC / 4 ? K : KC; // one block up to 320: a tail block of a few k costs more than it computes
        int nPanels = (N + NR - 1) / NR;
        if (M > N && (long) nPanels * NR * kcMax * 4 <= L2_BYTES) {
            // B comes from L2 in this schedule whatever the depth: deeper blocks halve the passes over C
            int deep = K <= 2 * KC + KC / 2 ? K : 2 * KC;
            if ((long) nPanels * NR * deep * 4 <= L2_BYTES) kcMax = deep;
            gemmRows(pool, M, N, K, kcMax, a, aOff, aRowStride, aColStride, b, c, cOff, ldc, accumulate);
        } else {
            gemmColumns(pool, M, N, K, kcMax, a, aOff, aRowStride, aColStride, b, c, cOff, ldc, accumulate);
        }
    }

    /** Bytes of packed B the row schedule keeps (within a core's L2). */
    static final int L2_BYTES = 1 << 20;

    private static void gemmColumns(ComputePool pool, int M, int N, int K, int kcMax, float[] a, int aOff, int aRowStride,
                                    int aColStride, PanelSource b, float[] c, int cOff, int ldc, boolean accumulate) {
        int mPanels = (M + MR - 1) / MR;
        int nPanels = (N + NR - 1) / NR;
        int mBlocks = rowBlocks(pool.threads(), mPanels, nPanels);
        int panelsPerBlock = (mPanels + mBlocks - 1) / mBlocks;
        int items = nPanels * mBlocks;
        float[] aPacked = new float[mPanels * MR * kcMax];
        int packGrain = Math.max(1, (mPanels + 4 * pool.threads() - 1) / (4 * pool.threads()));
        for (int k0 = 0; k0 < K; k0 += kcMax) {
            int kc = Math.min(kcMax, K - k0);
            int fk0 = k0;
            if ((long) M * kc >= 1 << 14) {
                pool.parallelFor(mPanels, packGrain, (p0, p1) -> packA(a, aOff, aRowStride, aColStride, M, fk0, kc, aPacked, p0, p1));
            } else {
                packA(a, aOff, aRowStride, aColStride, M, k0, kc, aPacked, 0, mPanels);
            }
            boolean acc = accumulate || k0 > 0;
            pool.parallelFor(items, 1, (i0, i1) -> {
                float[] bPacked = new float[kc * NR];
                float[] tile = new float[MR * NR];
                int packed = -1;
                for (int it = i0; it < i1; it++) {
                    int p = it / mBlocks, mb = it % mBlocks;
                    int n0 = p * NR, nc = Math.min(NR, N - n0);
                    if (p != packed) {
                        b.pack(n0, nc, fk0, kc, bPacked);
                        packed = p;
                    }
                    for (int mp = mb * panelsPerBlock, mEnd = Math.min(mPanels, mp + panelsPerBlock); mp < mEnd; mp++) {
                        int m0 = mp * MR, mr = Math.min(MR, M - m0);
                        kernel(kc, aPacked, mp * MR * kc, bPacked, tile);
                        addTile(tile, c, cOff + m0 * ldc + n0, ldc, mr, nc, acc);
                    }
                }
            });
        }
    }

    private static void gemmRows(ComputePool pool, int M, int N, int K, int kcMax, float[] a, int aOff, int aRowStride,
                                 int aColStride, PanelSource b, float[] c, int cOff, int ldc, boolean accumulate) {
        int mPanels = (M + MR - 1) / MR;
        int nPanels = (N + NR - 1) / NR;
        float[][] bPanels = new float[nPanels][kcMax * NR];
        int grain = Math.max(1, Math.min(16, mPanels / (8 * pool.threads())));
        for (int k0 = 0; k0 < K; k0 += kcMax) {
            int kc = Math.min(kcMax, K - k0);
            int fk0 = k0;
            if ((long) N * kc >= 1 << 14) {
                pool.parallelFor(nPanels, 1, (p0, p1) -> {
                    for (int p = p0; p < p1; p++) b.pack(p * NR, Math.min(NR, N - p * NR), fk0, kc, bPanels[p]);
                });
            } else {
                for (int p = 0; p < nPanels; p++) b.pack(p * NR, Math.min(NR, N - p * NR), fk0, kc, bPanels[p]);
            }
            boolean acc = accumulate || k0 > 0;
            pool.parallelFor(mPanels, grain, (p0, p1) -> {
                float[] aPanel = new float[MR * kc];
                float[] tile = new float[MR * NR];
                for (int mp = p0; mp < p1; mp++) {
                    packA(a, aOff + mp * MR * aRowStride, aRowStride, aColStride, Math.min(MR, M - mp * MR), fk0, kc, aPanel, 0, 1);
                    int m0 = mp * MR, mr = Math.min(MR, M - m0);
                    for (int p = 0; p < nPanels; p++) {
                        int n0 = p * NR;
                        kernel(kc, aPanel, 0, bPanels[p], tile);
                        addTile(tile, c, cOff + m0 * ldc + n0, ldc, mr, Math.min(NR, N - n0), acc);
                    }
                }
            });
        }
    }

    /**
     * Row blocks per column panel: 1 when the panels alone split evenly (or there are plenty of them), else the
     * fewest (up to 4) that make the item count a multiple of the threads, as long as a block keeps at least 48 row
     * panels (each item re-packs its B panel, which must stay small next to the block's work).
     */
    static int rowBlocks(int threads, int mPanels, int nPanels) {
        if (threads <= 1) return 1;
        for (int m = 1; m <= 4; m++) {
            if (m > 1 && mPanels / m < 48) return m - 1;
            if ((nPanels * m) % threads == 0 || nPanels * m >= 16 * threads) return m;
        }
        return 4;
    }

    /** Copies A(m, k0..k0+kc) of row panels [p0, p1) into dst[panel * MR * kc + k * MR + i], zero rows past M. */
    private static void packA(float[] a, int aOff, int ars, int acs, int M, int k0, int kc, float[] dst, int p0, int p1) {
        for (int mp = p0; mp < p1; mp++) {
            int base = mp * MR * kc;
            if (ars == 1 && (mp + 1) * MR <= M) {
                // A is a transposed row-major matrix: a panel's MR values of one k are adjacent
                int src = aOff + mp * MR + k0 * acs;
                for (int k = 0; k < kc; k++) System.arraycopy(a, src + k * acs, dst, base + k * MR, MR);
                continue;
            }
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

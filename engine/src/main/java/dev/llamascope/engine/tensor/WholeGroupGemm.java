package dev.llamascope.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prefill for a decode that sums each group's products exactly before it scales them (Q8_0 and Q4_0, with q8_0
 * inputs: per row, {@code acc = fma(dot_g, d_w[g] * d_x[g], acc)} over the groups in order): a matrix-matrix product
 * that computes every output bit for bit as that decode does.
 *
 * <p>Vectors run over tokens, as in {@link LaneGemm}. A tile of {@link #R} rows x 2 token vectors keeps 12 sums of
 * products and 12 accumulators in registers (24 of AVX-512's 32): per group, {@code groupSize} broadcast weights times
 * token vectors add up to exact integers (|sum| <= 32 x 128 x 127 for Q8_0, 32 x 8 x 127 for Q4_0, inside a float's
 * 24 bits, so their order cannot matter), then one fma per sum with the scale product d_w x d_x, groups in order.
 * The scale product is formed here from the two scales, the same float multiplication decode does.
 *
 * <p>Why not {@code LaneGemm}: its one-lane path (4 rows x 2 vectors, scale products read from a table, rows
 * unpacked and then interleaved), which Q4_0 used, spent about 40% of a 768x768 product outside its fmas; here rows
 * are unpacked straight into the panel, six broadcasts feed twelve fmas, and no scale table is built
 * (bench/README.md, tenth session, has the numbers).
 */
final class WholeGroupGemm {
    private static final VectorSpecies<Float> F = LaneGemm.F;
    private static final int L = LaneGemm.L, TT = LaneGemm.TT;
    /** Rows per tile. */
    static final int R = 6;

    private WholeGroupGemm() {}

    /** out[off + t * ldc + r] = row r of w times the input of token t (a[t * cols ..]), for t < n, as decode computes it. */
    static void matmul(ComputePool pool, WholeBlockMatrix w, float[] a, int n, float[] out, int off, int ldc) {
        int cols = w.cols(), t = tiles(n);
        multiply(pool, w, inputs(pool, a, n, cols, LaneGemm.XP.get(t * cols * TT), LaneGemm.XD.get(t * (cols / Q8BlockInput.QK) * TT)), n, out, off, ldc);
    }

    /** The same for a batch, whose quantized tiles the products of one input share. */
    static void matmul(ComputePool pool, WholeBlockMatrix w, PrefillBatch in, float[] out, int off, int ldc) {
        if (in.cols() != w.cols()) throw new IllegalArgumentException("batch of " + in.cols() + " columns for a matrix of " + w.cols());
        multiply(pool, w, in.q8Tiles(pool), in.rows(), out, off, ldc);
    }

    private static void multiply(ComputePool pool, WholeBlockMatrix w, LaneGemm.Inputs in, int n, float[] out, int off, int ldc) {
        int panels = (w.rows() + R - 1) / R;
        pool.parallelFor(panels, Math.min(CHUNK, Math.max(MIN_CHUNK, LaneGemm.grain(panels, pool))), (p0, p1) -> {
            for (int c0 = p0; c0 < p1; c0 += CHUNK) chunk(w, in, n, c0, Math.min(p1, c0 + CHUNK), out, off, ldc);
        });
    }

    /** Tiles of TT tokens for n tokens. */
    static int tiles(int n) {
        return (n + TT - 1) / TT;
    }

    /**
     * The n tokens' inputs quantized to q8_0 blocks as decode quantizes them ({@link Q8BlockInput#quantizeBlock}) and
     * laid out per tile of TT tokens as the kernel reads them: xp[tile][k][t], scales xd[tile][g][t], zero past n. Block
     * by block straight into place: quantizing whole tokens first and then transposing them cost a tenth of a 768x768
     * product, and twice that with 2048 columns, where the 32 tokens' rows are 8 KB apart and share a cache set.
     */
    static LaneGemm.Inputs inputs(ComputePool pool, float[] a, int n, int cols, float[] xp, float[] xd) {
        int groups = cols / Q8BlockInput.QK, tiles = tiles(n);
        pool.parallelFor(tiles, 1, (t0, t1) -> {
            float[] q = BLOCK.get(Q8BlockInput.QK);
            for (int tile = t0; tile < t1; tile++) {
                int tok0 = tile * TT, tn = Math.min(TT, n - tok0), xb = tile * cols * TT, xdb = tile * groups * TT;
                for (int g = 0; g < groups; g++) {
                    for (int t = 0; t < TT; t++) {
                        float d = 0f;
                        if (t < tn) {
                            d = Q8BlockInput.quantizeBlock(a, (tok0 + t) * cols + g * Q8BlockInput.QK, q, 0);
                        } else {
                            java.util.Arrays.fill(q, 0f); // reused buffers: no stale tokens past n
                        }
                        xd[xdb + g * TT + t] = d;
                        for (int m = 0, o = xb + g * Q8BlockInput.QK * TT + t; m < Q8BlockInput.QK; m++, o += TT) xp[o] = q[m];
                    }
                }
            }
        });
        return new LaneGemm.Inputs(xp, xd, tiles);
    }

    private static final FloatScratch BLOCK = new FloatScratch();

    /** Panels of rows per chunk: its unpacked rows stay in L2 while every tile of tokens runs through them. */
    static final int CHUNK = 8;
    /**
     * At least this many panels per chunk, even where the threads then end less evenly: each chunk streams every tile
     * of tokens through L1 once. LaneGemm's rule gave the 15M shape's 288-row matrices chunks of one panel; with four,
     * side by side, 15M Q8_0 prefill 6,492 / 5,996 / 6,554 / 6,509 -> 7,011 / 6,895 / 6,850 / 6,743 tok/s (eight, for
     * 288 rows six chunks for two threads, was a third slower).
     */
    static final int MIN_CHUNK = 4;
    /** Groups per pass over a tile of tokens: KC values of TT tokens (32 KB with 512-bit vectors) stay in L1 across the chunk's panels. */
    static final int KC = 256;

    /**
     * Panels [p0, p1) against every token. Per tile of tokens, pass by pass over the columns, each panel's tile
     * continues its accumulators from memory (exact: a float stored and loaded is the same float), so every output is
     * still one fma chain over the groups in order. The results go out through a token-major buffer, one copy of the
     * chunk's rows per token: storing each panel's six values of a token straight into {@code out} cost 17% of a
     * 2048x768 product, its 32 tokens' lines 8 KB apart and so in one cache set.
     */
    private static void chunk(WholeBlockMatrix w, LaneGemm.Inputs in, int n, int p0, int p1, float[] out, int off, int ldc) {
        int rows = w.rows(), cols = w.cols(), gs = Q8BlockInput.QK, groups = cols / gs;
        int r0 = p0 * R, nr = Math.min(rows, p1 * R) - r0, panels = p1 - p0;
        Scratch sc = SCRATCH.get().ensure(panels * R, cols, groups);
        float[] wp = sc.wp, ws = sc.ws, acc = sc.acc, res = sc.res;
        for (int i = 0; i < panels * R; i++) {
            if (i < nr) {
                w.unpackRow(r0 + i, wp, i * cols, ws, i * groups);
            } else {
                java.util.Arrays.fill(wp, i * cols, (i + 1) * cols, 0f);
                java.util.Arrays.fill(ws, i * groups, (i + 1) * groups, 0f);
            }
        }
        int kg = Math.max(1, KC / gs);
        for (int t = 0; t < in.tiles(); t++) {
            for (int g0 = 0; g0 < groups; g0 += kg) {
                int g1 = Math.min(groups, g0 + kg);
                for (int p = 0; p < panels; p++) {
                    kernel(g0, g1, gs, cols, groups, wp, p * R * cols, ws, p * R * groups, in.xp(), t * cols * TT, in.xd(), t * groups * TT,
                            acc, p * R * TT, g0 == 0);
                }
            }
            int tn = Math.min(TT, n - t * TT);
            for (int i = 0; i < nr; i++) {
                for (int tt = 0, ai = i * TT, ri = i; tt < tn; tt++, ai++, ri += CHUNK * R) res[ri] = acc[ai];
            }
            for (int tt = 0; tt < tn; tt++) System.arraycopy(res, tt * CHUNK * R, out, off + (t * TT + tt) * ldc + r0, nr);
        }
    }

    /** A thread's unpacked rows (row-major) and their scales, the accumulators of its panels, and the token-major results. */
    private static final class Scratch {
        float[] wp = new float[0], ws = wp, acc = new float[CHUNK * R * TT], res = new float[TT * CHUNK * R];

        Scratch ensure(int chunkRows, int cols, int groups) {
            if (wp.length < chunkRows * cols) wp = new float[CHUNK * R * cols];
            if (ws.length < chunkRows * groups) ws = new float[CHUNK * R * groups];
            return this;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * Groups [g0, g1) of a tile of R rows (w[wb + i * cols + k], scales ws[wsb + i * groups + g]) x TT tokens
     * (x[xb + k * TT + t], scales xd[xdb + g * TT + t]), continuing the accumulators in tile[at + i * TT + t] (from
     * zero when {@code first}). Straight-line per product on purpose: the twelve sums and twelve accumulators then stay
     * in registers.
     */
    private static void kernel(int g0, int g1, int gs, int cols, int groups, float[] w, int wb, float[] ws, int wsb, float[] x, int xb,
                               float[] xd, int xdb, float[] tile, int at, boolean first) {
        FloatVector a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51;
        if (first) {
            a00 = FloatVector.zero(F);
            a01 = a00; a10 = a00; a11 = a00; a20 = a00; a21 = a00; a30 = a00; a31 = a00; a40 = a00; a41 = a00; a50 = a00; a51 = a00;
        } else {
            a00 = FloatVector.fromArray(F, tile, at);
            a01 = FloatVector.fromArray(F, tile, at + L);
            a10 = FloatVector.fromArray(F, tile, at + TT);
            a11 = FloatVector.fromArray(F, tile, at + TT + L);
            a20 = FloatVector.fromArray(F, tile, at + 2 * TT);
            a21 = FloatVector.fromArray(F, tile, at + 2 * TT + L);
            a30 = FloatVector.fromArray(F, tile, at + 3 * TT);
            a31 = FloatVector.fromArray(F, tile, at + 3 * TT + L);
            a40 = FloatVector.fromArray(F, tile, at + 4 * TT);
            a41 = FloatVector.fromArray(F, tile, at + 4 * TT + L);
            a50 = FloatVector.fromArray(F, tile, at + 5 * TT);
            a51 = FloatVector.fromArray(F, tile, at + 5 * TT + L);
        }
        for (int g = g0; g < g1; g++) {
            FloatVector p00 = FloatVector.zero(F), p01 = p00, p10 = p00, p11 = p00, p20 = p00, p21 = p00;
            FloatVector p30 = p00, p31 = p00, p40 = p00, p41 = p00, p50 = p00, p51 = p00;
            for (int k = g * gs, kEnd = k + gs; k < kEnd; k++) {
                int xk = xb + k * TT;
                FloatVector x0 = FloatVector.fromArray(F, x, xk), x1 = FloatVector.fromArray(F, x, xk + L);
                FloatVector b = FloatVector.broadcast(F, w[wb + k]);
                p00 = x0.fma(b, p00);
                p01 = x1.fma(b, p01);
                b = FloatVector.broadcast(F, w[wb + cols + k]);
                p10 = x0.fma(b, p10);
                p11 = x1.fma(b, p11);
                b = FloatVector.broadcast(F, w[wb + 2 * cols + k]);
                p20 = x0.fma(b, p20);
                p21 = x1.fma(b, p21);
                b = FloatVector.broadcast(F, w[wb + 3 * cols + k]);
                p30 = x0.fma(b, p30);
                p31 = x1.fma(b, p31);
                b = FloatVector.broadcast(F, w[wb + 4 * cols + k]);
                p40 = x0.fma(b, p40);
                p41 = x1.fma(b, p41);
                b = FloatVector.broadcast(F, w[wb + 5 * cols + k]);
                p50 = x0.fma(b, p50);
                p51 = x1.fma(b, p51);
            }
            int xg = xdb + g * TT;
            FloatVector d0 = FloatVector.fromArray(F, xd, xg), d1 = FloatVector.fromArray(F, xd, xg + L);
            float s = ws[wsb + g];
            a00 = p00.fma(d0.mul(s), a00);
            a01 = p01.fma(d1.mul(s), a01);
            s = ws[wsb + groups + g];
            a10 = p10.fma(d0.mul(s), a10);
            a11 = p11.fma(d1.mul(s), a11);
            s = ws[wsb + 2 * groups + g];
            a20 = p20.fma(d0.mul(s), a20);
            a21 = p21.fma(d1.mul(s), a21);
            s = ws[wsb + 3 * groups + g];
            a30 = p30.fma(d0.mul(s), a30);
            a31 = p31.fma(d1.mul(s), a31);
            s = ws[wsb + 4 * groups + g];
            a40 = p40.fma(d0.mul(s), a40);
            a41 = p41.fma(d1.mul(s), a41);
            s = ws[wsb + 5 * groups + g];
            a50 = p50.fma(d0.mul(s), a50);
            a51 = p51.fma(d1.mul(s), a51);
        }
        a00.intoArray(tile, at);
        a01.intoArray(tile, at + L);
        a10.intoArray(tile, at + TT);
        a11.intoArray(tile, at + TT + L);
        a20.intoArray(tile, at + 2 * TT);
        a21.intoArray(tile, at + 2 * TT + L);
        a30.intoArray(tile, at + 3 * TT);
        a31.intoArray(tile, at + 3 * TT + L);
        a40.intoArray(tile, at + 4 * TT);
        a41.intoArray(tile, at + 4 * TT + L);
        a50.intoArray(tile, at + 5 * TT);
        a51.intoArray(tile, at + 5 * TT + L);
    }
}

package dev.llamascope.engine.tensor;

import java.util.function.Function;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prefill for the int8 kernel whose input is quantized per group and whose decode keeps L float lanes per row
 * (llama2.c int8 groups, {@link Q8GroupMatrix}): a matrix-matrix product that computes every output bit for bit as
 * the decode kernel does. (Q8_0's and Q4_0's decodes sum a whole block before its fma: their prefill is
 * {@link WholeGroupGemm}.)
 *
 * <p>Decode ({@code matvec}) keeps {@code L} float lanes per row, as its {@link Layout} says: lane l adds the exact
 * integer products of a group's values j = l (mod L); once per group it is scaled by (weight scale x input scale)
 * with one fma, groups in order; at the end {@link LaneMath#sum} adds the lanes by a fixed tree. Here the vectors
 * run over tokens instead of along a row, so each lane of decode becomes a vector of tokens: for one lane at a time,
 * a tile of {@link #R} rows x {@link #TV} token vectors runs through all groups, and when all L lanes are done the same tree adds them.
 * Per token every operation of decode happens with the same operands in the same order: the products are exact
 * integers (their order cannot matter), the scales are the same float products, the fma chain runs over the groups
 * in order. {@code BlockMatrixTest} checks this bit for bit against {@code matvec}.
 *
 * <p>Why not the float {@link Gemm} on dequantized weights: it rounds differently from decode, and a prompt would
 * then give other hidden states than the same tokens decoded one by one (see {@link Matrix#matmul}). Why this is
 * faster than a kernel that runs a row against a few tokens at a time: a weight is unpacked once for all tokens,
 * and each multiply serves a vector of tokens with a broadcast weight (1.55x on a 768x768 Q8_0 matrix, 256 tokens,
 * one thread, when Q8_0 still came here: see bench/README.md).
 *
 * <p>Both operands are packed in the order the kernel reads them, lane by lane, so its loop walks memory in
 * sequence with constant strides (C2 then removes the bounds checks): weights as {@code [lane][group][m][row]}
 * with m < groupSize / L the products a lane takes from one group, inputs as {@code [tile][lane][group][m][token]}.
 */
final class LaneGemm {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Decode's lanes per row, and tokens per vector here. */
    static final int L = F.length();
    /** Rows per tile: the kernels, packRows and scales name their four rows. */
    static final int R = 4;
    /** Token vectors per tile. */
    static final int TV = 2;
    /** Tokens per tile. */
    static final int TT = TV * L;

    private LaneGemm() {}

    /** A weight matrix as exact integers (held in floats) and one scale per group: what decode multiplies. */
    interface IntegerRows {
        int rows();

        int cols();

        /** Values per scale: a multiple of L. */
        int groupSize();

        /** Row r's values into values[vOff ..] (cols of them) and its group scales into scales[sOff ..]. */
        void unpack(int r, float[] values, int vOff, float[] scales, int sOff);

        /** A quantizer of inputs for one thread: decode's quantization, with its own scratch. */
        TokenQuantizer newQuantizer();
    }

    /**
     * Which products each of decode's float lanes adds, and in which order. Lane l runs through every group in order;
     * per group it adds {@code products} exact products and then does one fma with that group's scale product. At the
     * end the lanes are added by the tree of {@link LaneMath#sum}.
     */
    static final class Layout {
        /** Products per lane and group. */
        final int products;
        /** Columns in packed order: lane by lane, then group by group, then product by product. */
        final int[] columns;
        /** Every lane takes two products of every group: the straight-line {@link #lanePairs} applies. */
        final boolean pairs;

        private Layout(int products, int[] columns) {
            this.products = products;
            this.columns = columns;
            this.pairs = products == 2;
        }

        /** Where lane l's columns start in {@link #columns}. */
        int start(int l) {
            return l * (columns.length / L);
        }

        /** Lane l takes values j = l (mod L) of every group: decode of Q8_0 and llama2.c int8 groups. */
        static Layout byValue(int cols, int gs) {
            if (gs % L != 0 || cols % gs != 0) throw new IllegalArgumentException("group size " + gs + " does not suit " + L + " lanes");
            int[] columns = new int[cols];
            int o = 0;
            for (int l = 0; l < L; l++) for (int k = l; k < cols; k += L) columns[o++] = k;
            return new Layout(gs / L, columns);
        }
    }

    /** Quantizes one token's input exactly as decode does. */
    interface TokenQuantizer {
        /** a[aOff .. aOff + cols) as integer values into q[qOff ..] and group scales into d[dOff ..]. */
        void quantize(float[] a, int aOff, float[] q, int qOff, float[] d, int dOff);
    }

    /**
     * A quantizer that runs decode's own input form on a scratch {@link Activation} and copies the integer values and
     * the group scales out of it: the quantization is decode's by construction.
     */
    static <T> TokenQuantizer viaForm(int cols, Activation.Form<T> kind, Function<T, float[]> values, Function<T, float[]> scales) {
        Activation x = new Activation(cols);
        return (a, aOff, q, qOff, d, dOff) -> {
            System.arraycopy(a, aOff, x.data, 0, cols);
            x.changed();
            T in = x.form(kind);
            System.arraycopy(values.apply(in), 0, q, qOff, cols);
            float[] sc = scales.apply(in);
            System.arraycopy(sc, 0, d, dOff, sc.length);
        };
    }

    /** out[off + t * ldc + r] = row r of w times the input of token t (a[t * cols ..]), for t < n, as decode computes it. */
    static void matmul(ComputePool pool, IntegerRows w, float[] a, int n, float[] out, int off, int ldc) {
        int rows = w.rows(), cols = w.cols(), gs = w.groupSize(), groups = cols / gs;
        Layout lay = Layout.byValue(cols, gs);
        Inputs in = inputs(pool, w, lay.columns, a, n);
        int tiles = in.tiles;
        float[] xp = in.xp, xd = in.xd;
        int panels = (rows + R - 1) / R;
        pool.parallelFor(panels, grain(panels, pool), (p0, p1) -> {
            Scratch sc = SCRATCH.get().ensure(cols, groups);
            float[] wp = sc.wp, ws = sc.ws, s = sc.s, lanes = sc.lanes;
            for (int p = p0; p < p1; p++) {
                int r0 = p * R, nr = Math.min(R, rows - r0);
                packRows(w, r0, nr, lay.columns, groups, sc.row, ws, wp);
                for (int tile = 0; tile < tiles; tile++) {
                    scales(ws, groups, xd, tile * groups * TT, s);
                    int xb = tile * cols * TT;
                    for (int l = 0; l < L; l++) {
                        int lw = lay.start(l) * R, lx = xb + lay.start(l) * TT, at = l * R * TT;
                        if (lay.pairs) lanePairs(groups, wp, lw, xp, lx, s, lanes, at);
                        else lane(groups, lay.products, wp, lw, xp, lx, s, lanes, at);
                    }
                    addLanes(lanes, L);
                    for (int i = 0; i < nr; i++) {
                        for (int t = tile * TT, tEnd = Math.min(n, t + TT), li = i * TT; t < tEnd; t++, li++) out[off + t * ldc + r0 + i] = lanes[li];
                    }
                }
            }
        });
    }

    /** Panels of rows per chunk: small, as a chunk is a few rows against every token and the threads must end together. */
    static int grain(int panels, ComputePool pool) {
        return Math.max(1, Math.min(8, panels / (16 * pool.threads())));
    }

    /**
     * The inputs of n tokens quantized as decode does and packed tile by tile: xp[tile][i][t] = value columns[i] of
     * token tile * TT + t, xd[tile][g][t] = its scale of group g; zero past the n tokens.
     */
    record Inputs(float[] xp, float[] xd, int tiles) {}

    static Inputs inputs(ComputePool pool, IntegerRows w, int[] columns, float[] a, int n) {
        int cols = w.cols(), groups = cols / w.groupSize(), tiles = (n + TT - 1) / TT;
        float[] q = Q.get(n * cols), d = D.get(n * groups), xp = XP.get(tiles * cols * TT), xd = XD.get(tiles * groups * TT);
        pool.parallelFor(n, (t0, t1) -> {
            TokenQuantizer tq = w.newQuantizer();
            for (int t = t0; t < t1; t++) tq.quantize(a, t * cols, q, t * cols, d, t * groups);
        });
        pool.parallelFor(tiles, 1, (t0, t1) -> packInputs(q, d, n, cols, columns, groups, xp, xd, t0, t1));
        return new Inputs(xp, xd, tiles);
    }

    /**
     * The calling thread's quantized inputs and their packed form, kept between calls: new ones per product were
     * about 1.5 MB per matrix of the 110M shape, 130 MB of garbage per 256-token prompt. Their ends past a product's
     * own sizes are never read.
     */
    private static final FloatScratch Q = new FloatScratch(), D = new FloatScratch();
    /** The packed inputs, also {@link WholeGroupGemm}'s. */
    static final FloatScratch XP = new FloatScratch(), XD = new FloatScratch();

    /** A thread's buffers for a panel of rows, kept between calls (a prefill makes seven of these per layer). */
    private static final class Scratch {
        float[] row = new float[0], wp = row, ws = row, s = row, lanes = new float[L * R * TT];

        Scratch ensure(int cols, int groups) {
            if (wp.length < R * cols) {
                row = new float[R * cols];
                wp = new float[R * cols];
            }
            if (ws.length < R * groups) {
                ws = new float[R * groups];
                s = new float[groups * R * TT];
            }
            return this;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Tiles [tile0, tile1) of xp[tile][i][t] = q[t][columns[i]] and xd[tile][g][t] = d[t][g]. */
    private static void packInputs(float[] q, float[] d, int n, int cols, int[] columns, int groups, float[] xp, float[] xd, int tile0, int tile1) {
        for (int tile = tile0; tile < tile1; tile++) {
            int t0 = tile * TT, tn = Math.min(TT, n - t0), w = tile * cols * TT;
            for (int i = 0; i < cols; i++) {
                int k = columns[i];
                for (int t = 0, qi = t0 * cols + k; t < tn; t++, qi += cols) xp[w + t] = q[qi];
                if (tn < TT) java.util.Arrays.fill(xp, w + tn, w + TT, 0f); // reused buffer: no stale tokens
                w += TT;
            }
            int base = tile * groups * TT;
            for (int t = 0; t < tn; t++) {
                for (int g = 0; g < groups; g++) xd[base + g * TT + t] = d[(t0 + t) * groups + g];
            }
            if (tn < TT) {
                for (int g = 0; g < groups; g++) java.util.Arrays.fill(xd, base + g * TT + tn, base + (g + 1) * TT, 0f);
            }
        }
    }

    /** Unpacks rows r0 .. r0 + nr (zero rows past them) into wp[i][row] in the layout's column order and their scales into ws[row][g]. */
    private static void packRows(IntegerRows w, int r0, int nr, int[] columns, int groups, float[] row, float[] ws, float[] wp) {
        int cols = columns.length;
        for (int i = 0; i < R; i++) {
            if (i < nr) {
                w.unpack(r0 + i, row, i * cols, ws, i * groups);
            } else {
                java.util.Arrays.fill(row, i * cols, (i + 1) * cols, 0f);
                java.util.Arrays.fill(ws, i * groups, (i + 1) * groups, 0f);
            }
        }
        int o = 0;
        for (int k : columns) {
            wp[o] = row[k];
            wp[o + 1] = row[cols + k];
            wp[o + 2] = row[2 * cols + k];
            wp[o + 3] = row[3 * cols + k];
            o += R;
        }
    }

    /** s[g][i][t] = weight scale (row i, group g) x input scale (group g, token t of the tile): decode's product. */
    private static void scales(float[] ws, int groups, float[] xd, int xdb, float[] s) {
        for (int g = 0, o = 0; g < groups; g++, o += R * TT) {
            int xi = xdb + g * TT;
            FloatVector d0 = FloatVector.fromArray(F, xd, xi), d1 = FloatVector.fromArray(F, xd, xi + L);
            float w0 = ws[g], w1 = ws[groups + g], w2 = ws[2 * groups + g], w3 = ws[3 * groups + g];
            d0.mul(w0).intoArray(s, o);
            d1.mul(w0).intoArray(s, o + L);
            d0.mul(w1).intoArray(s, o + TT);
            d1.mul(w1).intoArray(s, o + TT + L);
            d0.mul(w2).intoArray(s, o + 2 * TT);
            d1.mul(w2).intoArray(s, o + 2 * TT + L);
            d0.mul(w3).intoArray(s, o + 3 * TT);
            d1.mul(w3).intoArray(s, o + 3 * TT + L);
        }
    }

    /**
     * Decode's lane for a tile of 4 rows x 2 token vectors when a lane takes two products per group (groups of 2L:
     * Q8_0 and Q4_0 with 16 lanes): straight-line code with constant strides. The eight results go to lanes[at ..].
     * It repeats {@link #lane} without the inner loop on purpose: through lane, a 768x768 Q8_0 product of 256 tokens
     * took 8.5-8.8 instead of 7.0-7.2 ms (one thread).
     */
    private static void lanePairs(int groups, float[] w, int wb, float[] x, int xb, float[] s, float[] lanes, int at) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int g = 0; g < groups; g++) {
            int xi = xb + g * (2 * TT), wi = wb + g * (2 * R), si = g * (R * TT);
            FloatVector x0 = FloatVector.fromArray(F, x, xi), x1 = FloatVector.fromArray(F, x, xi + L);
            FloatVector b0 = FloatVector.broadcast(F, w[wi]), b1 = FloatVector.broadcast(F, w[wi + 1]);
            FloatVector b2 = FloatVector.broadcast(F, w[wi + 2]), b3 = FloatVector.broadcast(F, w[wi + 3]);
            FloatVector p00 = x0.mul(b0), p01 = x1.mul(b0), p10 = x0.mul(b1), p11 = x1.mul(b1);
            FloatVector p20 = x0.mul(b2), p21 = x1.mul(b2), p30 = x0.mul(b3), p31 = x1.mul(b3);
            x0 = FloatVector.fromArray(F, x, xi + TT);
            x1 = FloatVector.fromArray(F, x, xi + TT + L);
            b0 = FloatVector.broadcast(F, w[wi + R]);
            b1 = FloatVector.broadcast(F, w[wi + R + 1]);
            b2 = FloatVector.broadcast(F, w[wi + R + 2]);
            b3 = FloatVector.broadcast(F, w[wi + R + 3]);
            p00 = x0.fma(b0, p00);
            p01 = x1.fma(b0, p01);
            p10 = x0.fma(b1, p10);
            p11 = x1.fma(b1, p11);
            p20 = x0.fma(b2, p20);
            p21 = x1.fma(b2, p21);
            p30 = x0.fma(b3, p30);
            p31 = x1.fma(b3, p31);
            a00 = p00.fma(FloatVector.fromArray(F, s, si), a00);
            a01 = p01.fma(FloatVector.fromArray(F, s, si + L), a01);
            a10 = p10.fma(FloatVector.fromArray(F, s, si + TT), a10);
            a11 = p11.fma(FloatVector.fromArray(F, s, si + TT + L), a11);
            a20 = p20.fma(FloatVector.fromArray(F, s, si + 2 * TT), a20);
            a21 = p21.fma(FloatVector.fromArray(F, s, si + 2 * TT + L), a21);
            a30 = p30.fma(FloatVector.fromArray(F, s, si + 3 * TT), a30);
            a31 = p31.fma(FloatVector.fromArray(F, s, si + 3 * TT + L), a31);
        }
        store(lanes, at, a00, a01, a10, a11, a20, a21, a30, a31);
    }

    /** {@link #lanePairs} for any number P of products per lane and group. */
    private static void lane(int groups, int P, float[] w, int wb, float[] x, int xb, float[] s, float[] lanes, int at) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int g = 0; g < groups; g++) {
            int xi = xb + g * P * TT, wi = wb + g * P * R, si = g * (R * TT);
            FloatVector x0 = FloatVector.fromArray(F, x, xi), x1 = FloatVector.fromArray(F, x, xi + L);
            FloatVector b0 = FloatVector.broadcast(F, w[wi]), b1 = FloatVector.broadcast(F, w[wi + 1]);
            FloatVector b2 = FloatVector.broadcast(F, w[wi + 2]), b3 = FloatVector.broadcast(F, w[wi + 3]);
            FloatVector p00 = x0.mul(b0), p01 = x1.mul(b0), p10 = x0.mul(b1), p11 = x1.mul(b1);
            FloatVector p20 = x0.mul(b2), p21 = x1.mul(b2), p30 = x0.mul(b3), p31 = x1.mul(b3);
            for (int m = 1; m < P; m++) {
                int xm = xi + m * TT, wm = wi + m * R;
                x0 = FloatVector.fromArray(F, x, xm);
                x1 = FloatVector.fromArray(F, x, xm + L);
                b0 = FloatVector.broadcast(F, w[wm]);
                b1 = FloatVector.broadcast(F, w[wm + 1]);
                b2 = FloatVector.broadcast(F, w[wm + 2]);
                b3 = FloatVector.broadcast(F, w[wm + 3]);
                p00 = x0.fma(b0, p00);
                p01 = x1.fma(b0, p01);
                p10 = x0.fma(b1, p10);
                p11 = x1.fma(b1, p11);
                p20 = x0.fma(b2, p20);
                p21 = x1.fma(b2, p21);
                p30 = x0.fma(b3, p30);
                p31 = x1.fma(b3, p31);
            }
            a00 = p00.fma(FloatVector.fromArray(F, s, si), a00);
            a01 = p01.fma(FloatVector.fromArray(F, s, si + L), a01);
            a10 = p10.fma(FloatVector.fromArray(F, s, si + TT), a10);
            a11 = p11.fma(FloatVector.fromArray(F, s, si + TT + L), a11);
            a20 = p20.fma(FloatVector.fromArray(F, s, si + 2 * TT), a20);
            a21 = p21.fma(FloatVector.fromArray(F, s, si + 2 * TT + L), a21);
            a30 = p30.fma(FloatVector.fromArray(F, s, si + 3 * TT), a30);
            a31 = p31.fma(FloatVector.fromArray(F, s, si + 3 * TT + L), a31);
        }
        store(lanes, at, a00, a01, a10, a11, a20, a21, a30, a31);
    }

    private static void store(float[] lanes, int at, FloatVector a00, FloatVector a01, FloatVector a10, FloatVector a11,
                              FloatVector a20, FloatVector a21, FloatVector a30, FloatVector a31) {
        a00.intoArray(lanes, at);
        a01.intoArray(lanes, at + L);
        a10.intoArray(lanes, at + TT);
        a11.intoArray(lanes, at + TT + L);
        a20.intoArray(lanes, at + 2 * TT);
        a21.intoArray(lanes, at + 2 * TT + L);
        a30.intoArray(lanes, at + 3 * TT);
        a31.intoArray(lanes, at + 3 * TT + L);
    }

    /**
     * The n lane results of each row and token added by {@link LaneMath#sum}'s tree (lane i += lane i + half, for
     * half = n/2, n/4, ..., 1), leaving the sums in lanes[0 .. R * TT).
     */
    private static void addLanes(float[] lanes, int n) {
        final int tile = R * TT;
        for (int half = n / 2; half >= 1; half /= 2) {
            for (int a = 0, b = half * tile; a < half * tile; a += L, b += L) {
                FloatVector.fromArray(F, lanes, a).add(FloatVector.fromArray(F, lanes, b)).intoArray(lanes, a);
            }
        }
    }
}

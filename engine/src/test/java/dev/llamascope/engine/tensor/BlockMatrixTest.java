package dev.llamascope.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Each ggml block kernel against a scalar reference: the dequantized row dotted with the dequantized input. */
class BlockMatrixTest {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Random blocks whose fp16 fields (at the given offsets within a block) hold small positive scales. */
    private static MemorySegment blocks(int rows, int cols, int blockSize, int blockBytes, int[] halfOffsets, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = rows * (cols / blockSize);
        byte[] b = new byte[n * blockBytes];
        for (int i = 0; i < b.length; i++) b[i] = (byte) rng.nextInt(256);
        // Native memory, as the loaders use: kernels that see one segment class stay fast for the other tests.
        MemorySegment s = java.lang.foreign.Arena.ofAuto().allocate(b.length, 64).copyFrom(MemorySegment.ofArray(b));
        for (int k = 0; k < n; k++) {
            for (int o : halfOffsets) s.set(SHORT, (long) k * blockBytes + o, Half.fromFloat((float) (0.001 + rng.nextDouble() * 0.05)));
        }
        return s;
    }

    /**
     * matvec runs rows in pairs or fours (see Matrix): the full range (fours, pairs, an odd last row) must equal every
     * row alone and every sub-range, bit for bit.
     */
    static void assertPairsAreSingles(Matrix m, Activation x, float[] full, String what) {
        int rows = m.rows();
        float[] one = new float[rows], split = new float[rows];
        for (int r = 0; r < rows; r++) m.matvec(x, one, 0, r, r + 1);
        m.matvec(x, split, 0, 0, rows / 2);
        m.matvec(x, split, 0, rows / 2, rows);
        for (int r = 0; r < rows; r++) {
            assertEquals(one[r], full[r], 0f, what + ": row " + r + " in a pair differs from the row alone");
            assertEquals(one[r], split[r], 0f, what + ": row " + r + " in a sub-range differs from the row alone");
        }
    }

    private static void check(String what, int blockSize, int blockBytes, int[] halves,
                              BiFunction<MemorySegment, int[], Matrix> make, boolean kInput) {
        int rows = 7, cols = 4 * 256;
        Matrix m = make.apply(blocks(rows, cols, blockSize, blockBytes, halves, what.hashCode()), new int[]{rows, cols});
        SplittableRandom rng = new SplittableRandom(42);
        Activation x = new Activation(cols);
        for (int i = 0; i < cols; i++) x.data[i] = (float) rng.nextGaussian();
        x.data[5] = 0f;
        float[] xd = new float[cols];
        if (kInput) {
            Q8KInput q = x.form(Q8KInput.Kind.INSTANCE);
            for (int i = 0; i < cols; i++) xd[i] = q.q[i] * q.d[i / 256];
        } else {
            Q8BlockInput q = x.form(Q8BlockInput.Kind.INSTANCE);
            for (int i = 0; i < cols; i++) xd[i] = q.q[i] * q.d[i / 32];
        }
        float[] out = new float[rows];
        m.prepare(x);
        m.matvec(x, out, 0, 0, rows);
        assertPairsAreSingles(m, x, out, what);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            m.readRow(r, row, 0);
            double ref = 0, mag = 0;
            for (int i = 0; i < cols; i++) {
                ref += (double) row[i] * xd[i];
                mag += Math.abs((double) row[i] * xd[i]);
            }
            assertEquals(ref, out[r], 1e-5 * mag + 1e-6, what + " row " + r);
            float[] part = new float[40];
            m.readRow(r, 250, 40, part, 0);
            assertArrayEquals(java.util.Arrays.copyOfRange(row, 250, 290), part, what + " partial row");
        }
    }

    @Test
    void q8_0() {
        check("Q8_0", 32, 34, new int[]{0}, (s, d) -> new Q8_0Matrix(s, 0, d[0], d[1]), false);
    }

    /**
     * Q8_0 runs groups of rows in pairs half the range apart, an odd group left over alone: every range of 1 to 19
     * rows must give each row exactly its value alone.
     */
    @Test
    void q8_0RangesAreSingles() {
        // odd and even block counts
        rowsInFoursAreSingles("Q8_0", 34, new int[]{288, 512}, (seg, cols) -> new Q8_0Matrix(seg, 0, 19, cols));
    }

    /**
     * Q4_0's four decode kernels (512-bit vectors over groups of 16 interleaved rows, 256-bit over groups of 8,
     * 128-bit over groups of 4, scalar over the blocks in place) give the same bits, for rows of 1 to 64 blocks (9 and 43 are the 15M and 42M
     * shapes) and 19 rows (a partial group). Each row alone gives its value in the whole range.
     */
    @Test
    void q4_0KernelsAgreeBitForBit() {
        kernelsAgree(18, new int[]{16, 8, 4, 0}, (seg, d) -> new Q4_0Matrix(seg, 0, d[0], d[1], d[2]));
    }

    /** Q8_0's two decode kernels (vectors over groups of L interleaved rows, two groups at a time; scalar in place) likewise. */
    @Test
    void q8_0KernelsAgreeBitForBit() {
        kernelsAgree(34, new int[]{Q8_0Matrix.NATIVE_KERNEL, 0}, (seg, d) -> new Q8_0Matrix(seg, 0, d[0], d[1], d[2]));
    }

    /** make(seg, {rows, cols, kernel}): every kernel's rows equal the first kernel's, alone or in the whole range. */
    private static void kernelsAgree(int blockBytes, int[] kernels, BiFunction<MemorySegment, int[], Matrix> make) {
        int rows = 19;
        for (int cols : new int[]{32, 64, 256, 288, 512, 768, 800, 1376, 2048}) {
            MemorySegment seg = blocks(rows, cols, 32, blockBytes, new int[]{0}, cols);
            SplittableRandom rng = new SplittableRandom(cols);
            Activation x = new Activation(cols);
            for (int i = 0; i < cols; i++) x.data[i] = (float) rng.nextGaussian();
            float[] ref = null;
            for (int kernel : kernels) {
                Matrix m = make.apply(seg, new int[]{rows, cols, kernel});
                String what = m.typeName() + ", " + cols + " cols, kernel " + kernel;
                m.prepare(x);
                float[] out = new float[rows];
                m.matvec(x, out, 0, 0, rows);
                for (int r = 0; r < rows; r++) {
                    float[] one = new float[rows];
                    m.matvec(x, one, 0, r, r + 1);
                    assertEquals(out[r], one[r], 0f, what + ": row " + r + " alone");
                }
                if (ref == null) ref = out;
                else for (int r = 0; r < rows; r++) assertEquals(ref[r], out[r], 0f, what + " against " + kernels[0] + ", row " + r);
            }
        }
    }

    /** Every range of 1 to 19 rows gives each row exactly its value computed alone, for each column count. */
    private static void rowsInFoursAreSingles(String type, int blockBytes, int[] colCounts,
                                              BiFunction<MemorySegment, Integer, Matrix> make) {
        int rows = 19;
        for (int cols : colCounts) {
            Matrix m = make.apply(blocks(rows, cols, 32, blockBytes, new int[]{0}, cols), cols);
            SplittableRandom rng = new SplittableRandom(cols);
            Activation x = new Activation(cols);
            for (int i = 0; i < cols; i++) x.data[i] = (float) rng.nextGaussian();
            float[] one = new float[rows];
            for (int r = 0; r < rows; r++) m.matvec(x, one, 0, r, r + 1);
            for (int r0 = 0; r0 < rows; r0++) {
                for (int r1 = r0 + 1; r1 <= rows; r1++) {
                    float[] out = new float[rows];
                    m.matvec(x, out, 0, r0, r1);
                    for (int r = r0; r < r1; r++)
                        assertEquals(one[r], out[r], 0f, type + " " + cols + " cols, rows " + r0 + ".." + r1 + ": row " + r);
                }
            }
        }
    }

    @Test
    void q4_0() {
        check("Q4_0", 32, 18, new int[]{0}, (s, d) -> new Q4_0Matrix(s, 0, d[0], d[1]), false);
    }

    @Test
    void q4_1() {
        check("Q4_1", 32, 20, new int[]{0, 2}, (s, d) -> new Q4_1Matrix(s, 0, d[0], d[1]), false);
    }

    @Test
    void q5_0() {
        check("Q5_0", 32, 22, new int[]{0}, (s, d) -> new Q5_0Matrix(s, 0, d[0], d[1]), false);
    }

    @Test
    void q5_1() {
        check("Q5_1", 32, 24, new int[]{0, 2}, (s, d) -> new Q5_1Matrix(s, 0, d[0], d[1]), false);
    }

    @Test
    void q4K() {
        check("Q4_K", 256, 144, new int[]{0, 2}, (s, d) -> new Q4KMatrix(s, 0, d[0], d[1]), true);
    }

    @Test
    void q5K() {
        check("Q5_K", 256, 176, new int[]{0, 2}, (s, d) -> new Q5KMatrix(s, 0, d[0], d[1]), true);
    }

    @Test
    void q6K() {
        check("Q6_K", 256, 210, new int[]{208}, (s, d) -> new Q6KMatrix(s, 0, d[0], d[1]), true);
    }

    /**
     * The multi-token prefill kernels give decode's values bit for bit, for 261, 11 and 75 tokens (several token
     * tiles, and remainders of 1-3 tokens after the groups of 4), for Q4_0, Q8_0 and int8 groups of 32, 64 and 128
     * (Matrix's default: the decode kernel on blocks of rows).
     */
    /**
     * A batch keeps its quantization for the products of one input (Q8_0 and Q4_0 alike), and quantizes again after
     * fresh(): each product equals matmul of the plain array. Rows past the batch's size, or a batch of another width,
     * are refused.
     */
    @Test
    void batchSharesItsQuantizationUntilFresh() {
        int rows = 13, cols = 96, n = 37;
        Matrix q8 = new Q8_0Matrix(blocks(rows, cols, 32, 34, new int[]{0}, 3), 0, rows, cols);
        Matrix q4 = new Q4_0Matrix(blocks(rows, cols, 32, 18, new int[]{0}, 4), 0, rows, cols);
        float[] values = new float[n * cols + 5];
        PrefillBatch batch = new PrefillBatch(values, cols);
        SplittableRandom rng = new SplittableRandom(12);
        try (ComputePool pool = new ComputePool(2)) {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < values.length; i++) values[i] = (float) rng.nextGaussian();
                batch.fresh(n);
                for (Matrix m : new Matrix[]{q8, q4, q8}) {
                    float[] want = new float[n * rows], got = new float[n * rows];
                    m.matmul(pool, values, n, want, 0, rows);
                    m.matmul(pool, batch, got, 0, rows);
                    assertArrayEquals(want, got, m.typeName() + ", round " + round);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> batch.fresh(n + 1));
            PrefillBatch narrow = new PrefillBatch(new float[64 * 4], 64).fresh(4);
            assertThrows(IllegalArgumentException.class, () -> q8.matmul(pool, narrow, new float[4 * rows], 0, rows));
        }
    }

    @Test
    void prefillIsBitwiseDecode() {
        // 53 rows: more than one chunk of WholeGroupGemm (8 panels of 6 rows), and a last panel with padding
        int rows = 53, width = 1024;
        SplittableRandom bytes = new SplittableRandom(8);
        List<Matrix> matrices = new ArrayList<>(List.of(
                new Q4_0Matrix(blocks(rows, width, 32, 18, new int[]{0}, 5), 0, rows, width),
                new Q8_0Matrix(blocks(rows, width, 32, 34, new int[]{0}, 6), 0, rows, width)));
        for (int gs : new int[]{32, 64, 128}) {
            long n = (long) rows * width;
            MemorySegment seg = MemorySegment.ofArray(new byte[(int) (n + n / gs * 4)]);
            for (long i = 0; i < n; i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) (bytes.nextInt(255) - 127));
            for (long i = 0; i < n / gs; i++)
                seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), n + 4 * i, (float) bytes.nextDouble() * 0.02f);
            matrices.add(new Q8GroupMatrix(seg, 0, n, rows, width, gs));
        }
        // Q4_0 rows of 25 and 9 blocks (padded to whole groups of 8 in decode, skipped in prefill), and the 256-bit
        // and scalar kernels' decode against the same prefill.
        matrices.add(new Q4_0Matrix(blocks(rows, 800, 32, 18, new int[]{0}, 7), 0, rows, 800));
        matrices.add(new Q4_0Matrix(blocks(rows, 288, 32, 18, new int[]{0}, 9), 0, rows, 288, 8));
        matrices.add(new Q4_0Matrix(blocks(rows, 288, 32, 18, new int[]{0}, 9), 0, rows, 288, 0));
        for (int n : new int[]{261, 11, 75}) { // largest first: the later products reuse larger prefill buffers
            for (Matrix m : matrices) {
                int cols = m.cols();
                SplittableRandom rng = new SplittableRandom(11);
                float[] a = new float[n * cols];
                for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
                int ldc = rows + 3;
                float[] out = new float[n * ldc];
                try (ComputePool pool = new ComputePool(2)) {
                    m.matmul(pool, a, n, out, 0, ldc);
                }
                for (int t = 0; t < n; t++) {
                    Activation x = new Activation(cols);
                    System.arraycopy(a, t * cols, x.data, 0, cols);
                    float[] one = new float[rows];
                    m.prepare(x);
                    m.matvec(x, one, 0, 0, rows);
                    for (int r = 0; r < rows; r++)
                        assertEquals(one[r], out[t * ldc + r], 0f, m.typeName() + ", " + n + " tokens: token " + t + " row " + r);
                }
            }
        }
    }

    @Test
    void f16AndBf16() {
        SplittableRandom rng = new SplittableRandom(3);
        int rows = 5, cols = 77;
        float[] w = new float[rows * cols];
        byte[] h = new byte[w.length * 2], bf = new byte[w.length * 2];
        for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextGaussian();
        w[3] = 6e-6f; // an fp16 subnormal
        for (int i = 0; i < w.length; i++) {
            short a = Half.fromFloat(w[i]), b = Half.bf16FromFloat(w[i]);
            h[2 * i] = (byte) a; h[2 * i + 1] = (byte) (a >> 8);
            bf[2 * i] = (byte) b; bf[2 * i + 1] = (byte) (b >> 8);
        }
        Activation x = new Activation(cols);
        for (int i = 0; i < cols; i++) x.data[i] = (float) rng.nextGaussian();
        for (boolean b16 : new boolean[]{false, true}) {
            F16Matrix m = new F16Matrix(MemorySegment.ofArray(b16 ? bf : h), 0, rows, cols, b16);
            float[] out = new float[rows], row = new float[cols];
            m.matvec(x, out, 0, 0, rows);
            for (int r = 0; r < rows; r++) {
                m.readRow(r, row, 0);
                double ref = 0;
                for (int i = 0; i < cols; i++) {
                    float expect = b16 ? Half.bf16ToFloat(Half.bf16FromFloat(w[r * cols + i])) : Half.round(w[r * cols + i]);
                    assertEquals(expect, row[i], 0f, "value " + r + "," + i);
                    ref += (double) row[i] * x.data[i];
                }
                assertEquals(ref, out[r], 1e-4, (b16 ? "BF16" : "F16") + " row " + r);
            }
        }
    }

    /** ggml's layouts pinned by hand-made blocks: which nibble is which value. */
    @Test
    void layouts() {
        byte[] b = new byte[18];
        MemorySegment s = MemorySegment.ofArray(b);
        s.set(SHORT, 0, Half.fromFloat(1f));
        b[2] = 0x21; // value 0 = 1 - 8, value 16 = 2 - 8
        float[] v = new float[32];
        new Q4_0Matrix(s, 0, 1, 32).readRow(0, v, 0);
        assertEquals(-7f, v[0]);
        assertEquals(-6f, v[16]);
        assertEquals(-8f, v[1]);

        byte[] k = new byte[144];
        MemorySegment ks = MemorySegment.ofArray(k);
        ks.set(SHORT, 0, Half.fromFloat(1f));
        ks.set(SHORT, 2, Half.fromFloat(0.5f));
        k[4] = 3; // sub-block 0 scale 3
        k[5] = 5; // sub-block 1 scale 5
        k[8] = 2; // sub-block 0 min 2
        k[16] = 0x21; // value 0 nibble 1, value 32 nibble 2
        float[] kv = new float[256];
        new Q4KMatrix(ks, 0, 1, 256).readRow(0, kv, 0);
        assertEquals(3f * 1 - 0.5f * 2, kv[0]);
        assertEquals(5f * 2, kv[32]);
        assertEquals(-1f, kv[1]);
    }

    @Test
    void ggmlQuantizersRoundTrip() {
        SplittableRandom rng = new SplittableRandom(9);
        float[] x = new float[64];
        for (int i = 0; i < 64; i++) x[i] = (float) rng.nextGaussian();
        MemorySegment q8 = MemorySegment.ofArray(new byte[2 * 34]), q4 = MemorySegment.ofArray(new byte[2 * 18]);
        GgmlQuantizer.q8_0(x, 0, 64, q8, 0);
        GgmlQuantizer.q4_0(x, 0, 64, q4, 0);
        float[] a = new float[64], b = new float[64];
        new Q8_0Matrix(q8, 0, 1, 64).readRow(0, a, 0);
        new Q4_0Matrix(q4, 0, 1, 64).readRow(0, b, 0);
        for (int i = 0; i < 64; i++) {
            assertEquals(x[i], a[i], 0.02, "q8_0 " + i);
            assertEquals(x[i], b[i], 0.5, "q4_0 " + i);
        }
    }
}

package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml's Q4_0: blocks of 32 values, an fp16 scale d then 16 bytes whose low nibbles are values 0..15 and high
 * nibbles values 16..31, each (nibble - 8) * d (18 bytes). The input is quantized to q8_0 as llama.cpp does.
 *
 * <p>Decode runs on a copy of the nibbles repacked at load with 8 rows interleaved ({@link Q4Groups}): per block,
 * the 8 rows' 32 products each add up to one exact integer in 16-bit lanes, and one conversion and one fma per block
 * serve 8 rows. The kernels that kept ggml's layout (lanes along a block: a conversion and an fma per block and row)
 * ran at 14.1-14.5 G multiply-adds/s on 2048x768 x60, one thread; a prototype of this idea at 21-22.7 (see
 * bench/README.md, ninth session). The original blocks stay mapped for rows read as embeddings, for conversion
 * and export.
 *
 * <p>Every row is acc = fma(dot_b, d_w[b] * d_x[b], acc) over its blocks b in order, from acc = 0: the arithmetic of
 * llama.cpp's repacked Q4_0 kernels. The 512-bit kernel, the 256-bit kernel and the scalar one (for other vector
 * widths, reading the blocks in place) compute exactly this, and so does prefill ({@link LaneGemm} with one lane,
 * {@link LaneGemm.Layout#byGroup}): the same bits everywhere.
 */
public final class Q4_0Matrix extends BlockMatrix {
    public static final int BLOCK = 32, BYTES = 18;

    /** Lanes per row of the interleaved layout on this machine: 4 with 512-bit vectors, 2 with 256-bit, 0 for the scalar kernel. */
    static final int NATIVE_LPB = L >= 16 ? 4 : L == 8 ? 2 : 0;

    private final int lpb, blocks;
    /** Per group of 8 rows, per block, a 128-byte tile of nibbles (null for the scalar kernel). */
    private final byte[] packed;
    /** Per group of 8 rows, per block, the 8 rows' scales as floats (zero for padding rows). */
    private final float[] scales;
    private final LaneGemm.Layout prefillLayout;

    public Q4_0Matrix(MemorySegment seg, long base, int rows, int cols) {
        this(seg, base, rows, cols, NATIVE_LPB);
    }

    /** With a given kernel (tests compare all of them on one machine). */
    Q4_0Matrix(MemorySegment seg, long base, int rows, int cols, int lpb) {
        super(seg, base, rows, cols, BLOCK, BYTES);
        if (lpb != 0 && lpb != 2 && lpb != 4) throw new IllegalArgumentException("lanes per row " + lpb);
        this.lpb = lpb;
        this.blocks = cols / BLOCK;
        int tiles = Math.multiplyExact(Q4Groups.rowGroups(rows), blocks);
        this.scales = new float[Math.multiplyExact(tiles, Q4Groups.ROWS)];
        this.packed = lpb == 0 ? null : new byte[Math.multiplyExact(tiles, Q4Groups.TILE_BYTES)];
        for (int r = 0; r < rows; r++) {
            long o = base + r * rowBytes;
            int rr = r % Q4Groups.ROWS, tile = r / Q4Groups.ROWS * blocks;
            for (int b = 0; b < blocks; b++, o += BYTES, tile++) {
                scales[tile * Q4Groups.ROWS + rr] = f16(o);
                if (packed != null) repack(o, tile * Q4Groups.TILE_BYTES, rr);
            }
        }
        this.prefillLayout = LaneGemm.Layout.byGroup(cols, BLOCK, 1);
    }

    /** The block at o (row rr of its group) into its tile at packed[at ..]. */
    private void repack(long o, int at, int rr) {
        for (int i = 0; i < 16; i++) {
            int v = u8(o + 2 + i);
            packed[at + Q4Groups.byteIndex(rr, i, lpb)] |= (byte) (Q4Groups.isHigh(i, lpb) ? (v & 0xF) << 4 : v & 0xF);
            packed[at + Q4Groups.byteIndex(rr, i + 16, lpb)] |= (byte) (Q4Groups.isHigh(i + 16, lpb) ? (v >> 4) << 4 : v >> 4);
        }
    }

    @Override
    public String typeName() {
        return "Q4_0";
    }

    @Override
    public void prepare(Activation x) {
        if (lpb == 0) x.form(Q8BlockInput.Kind.INSTANCE);
        else x.form(Q4GroupedInput.Kind.of(lpb));
    }

    /** Whole groups of 8 rows at a time; rows of a group outside [r0, r1) are computed but not written. */
    @Override
    public void matvec(Activation x, float[] out, int outOff, int r0, int r1) {
        float[] lanes = new float[Q4Groups.ROWS];
        Q4GroupedInput in = lpb == 0 ? null : x.form(Q4GroupedInput.Kind.of(lpb));
        Q8BlockInput q8 = lpb == 0 ? x.form(Q8BlockInput.Kind.INSTANCE) : null;
        for (int g = r0 / Q4Groups.ROWS; g * Q4Groups.ROWS < r1; g++) {
            if (lpb == 4) group512(g, in, lanes);
            else if (lpb == 2) group256(g, in, lanes);
            else groupScalar(g, q8, lanes);
            int first = Math.max(r0, g * Q4Groups.ROWS), last = Math.min(r1, (g + 1) * Q4Groups.ROWS);
            for (int r = first; r < last; r++) out[outOff + r] = lanes[r - g * Q4Groups.ROWS];
        }
    }

    private static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_256, B128 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> S512 = ShortVector.SPECIES_512, S256 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Integer> I512 = IntVector.SPECIES_512, I256 = IntVector.SPECIES_256;
    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;

    /**
     * The 8 rows of group g into out[0 .. 8) with 512-bit vectors (4 lanes per row): per block, 4 chunks of 32 bytes
     * widened to 32 shorts, low and high nibbles times their inputs added per lane; two folds (16-bit pairs to ints,
     * int pairs to longs) give each row its exact dot, less 8 x sum q.
     */
    private void group512(int g, Q4GroupedInput in, float[] out) {
        byte[] w = packed;
        short[] x = in.x;
        int[] offsets = in.offsets;
        float[] xd = in.q8.d, t = scales;
        int wo = g * blocks * Q4Groups.TILE_BYTES, so = g * blocks * Q4Groups.ROWS;
        FloatVector acc = FloatVector.zero(F8);
        for (int b = 0; b < blocks; b++, wo += Q4Groups.TILE_BYTES, so += Q4Groups.ROWS) {
            int xo = b * Q4Groups.INPUT_PER_BLOCK;
            ShortVector a = ShortVector.zero(S512);
            for (int c = 0; c < 4; c++) {
                ShortVector v = (ShortVector) ByteVector.fromArray(B256, w, wo + c * 32).convertShape(VectorOperators.ZERO_EXTEND_B2S, S512, 0);
                a = a.add(v.and((short) 0xF).mul(ShortVector.fromArray(S512, x, xo + c * 64)))
                        .add(v.lanewise(VectorOperators.LSHR, 4).mul(ShortVector.fromArray(S512, x, xo + c * 64 + 32)));
            }
            IntVector i = a.reinterpretAsInts();
            i = i.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(i.lanewise(VectorOperators.ASHR, 16))
                    .sub(IntVector.fromArray(I512, offsets, b * 16));
            LongVector l = i.reinterpretAsLongs();
            l = l.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32).add(l.lanewise(VectorOperators.ASHR, 32));
            FloatVector dot = (FloatVector) l.convertShape(VectorOperators.L2F, F8, 0);
            acc = dot.fma(FloatVector.fromArray(F8, t, so).mul(xd[b]), acc);
        }
        acc.intoArray(out, 0);
    }

    /** {@link #group512} with 256-bit vectors (2 lanes per row): 8 chunks of 16 bytes per block, one fold to ints. */
    private void group256(int g, Q4GroupedInput in, float[] out) {
        byte[] w = packed;
        short[] x = in.x;
        int[] offsets = in.offsets;
        float[] xd = in.q8.d, t = scales;
        int wo = g * blocks * Q4Groups.TILE_BYTES, so = g * blocks * Q4Groups.ROWS;
        FloatVector acc = FloatVector.zero(F8);
        for (int b = 0; b < blocks; b++, wo += Q4Groups.TILE_BYTES, so += Q4Groups.ROWS) {
            int xo = b * Q4Groups.INPUT_PER_BLOCK;
            ShortVector a = ShortVector.zero(S256);
            for (int c = 0; c < 8; c++) {
                ShortVector v = (ShortVector) ByteVector.fromArray(B128, w, wo + c * 16).convertShape(VectorOperators.ZERO_EXTEND_B2S, S256, 0);
                a = a.add(v.and((short) 0xF).mul(ShortVector.fromArray(S256, x, xo + c * 32)))
                        .add(v.lanewise(VectorOperators.LSHR, 4).mul(ShortVector.fromArray(S256, x, xo + c * 32 + 16)));
            }
            IntVector i = a.reinterpretAsInts();
            i = i.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(i.lanewise(VectorOperators.ASHR, 16))
                    .sub(IntVector.fromArray(I256, offsets, b * 8));
            FloatVector dot = (FloatVector) i.convertShape(VectorOperators.I2F, F8, 0);
            acc = dot.fma(FloatVector.fromArray(F8, t, so).mul(xd[b]), acc);
        }
        acc.intoArray(out, 0);
    }

    /** The same arithmetic in scalar code on the blocks in place, for vector widths without a vector kernel. */
    private void groupScalar(int g, Q8BlockInput in, float[] out) {
        for (int rr = 0; rr < Q4Groups.ROWS; rr++) {
            int r = g * Q4Groups.ROWS + rr;
            if (r >= rows) break;
            long o = base + r * rowBytes;
            float acc = 0f;
            for (int b = 0; b < blocks; b++, o += BYTES) {
                int dot = 0;
                for (int i = 0; i < 16; i++) {
                    int v = u8(o + 2 + i);
                    dot += ((v & 0xF) - 8) * in.qs[b * BLOCK + i] + ((v >> 4) - 8) * in.qs[b * BLOCK + 16 + i];
                }
                acc = Math.fma((float) dot, scales[(g * blocks + b) * Q4Groups.ROWS + rr] * in.d[b], acc);
            }
            out[rr] = acc;
        }
    }

    /** Prefill: {@link LaneGemm} with decode's one lane per row, bitwise {@link #matvec} at matrix-product speed. */
    @Override
    public void matmul(ComputePool pool, float[] a, int n, float[] out, int off, int ldc) {
        laneMatmul(pool, a, n, out, off, ldc, prefillLayout);
    }

    @Override
    float unpackBlock(long o, float[] dst, int off) {
        for (int j = 0; j < 16; j++) {
            int v = u8(o + 2 + j);
            dst[off + j] = (v & 0xF) - 8;
            dst[off + 16 + j] = (v >> 4) - 8;
        }
        return f16(o);
    }

    @Override
    protected void dequantizeBlock(long o, float[] dst, int off) {
        float d = f16(o);
        for (int j = 0; j < 16; j++) {
            int v = u8(o + 2 + j);
            dst[off + j] = ((v & 0xF) - 8) * d;
            dst[off + 16 + j] = ((v >> 4) - 8) * d;
        }
    }
}

package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml's Q4_0: blocks of 32 values, an fp16 scale d then 16 bytes whose low nibbles are values 0..15 and high
 * nibbles values 16..31, each (nibble - 8) * d (18 bytes). The input is quantized to q8_0 as llama.cpp does.
 *
 * <p>Decode runs on a copy of the nibbles repacked at load with the rows interleaved in groups of 16 (8 with 256-bit
 * vectors; {@link Q4Groups}): per block, each row's 32 products add up to one exact integer in 16-bit lanes, and one
 * conversion and one fma per block serve the group. The kernels that kept ggml's layout (lanes along a block: a
 * conversion and an fma per block and row) ran at 13.8-14.5 G multiply-adds/s on 2048x768 x60, one thread; this one
 * at 18.0-21.8, and 25.1-26.9 on 15M's 32000x288 classifier against 8.4-8.7 (see bench/README.md, ninth session). The
 * original blocks stay mapped for rows read as embeddings, for conversion and export.
 *
 * <p>Every row is acc = fma(dot_b, d_w[b] * d_x[b], acc) over its blocks b in order, from acc = 0: the arithmetic of
 * llama.cpp's repacked Q4_0 kernels. The 512-bit kernel, the 256-bit kernel and the scalar one (for other vector
 * widths, reading the blocks in place) compute exactly this, and so does prefill ({@link WholeGroupGemm}): the same
 * bits everywhere.
 */
public final class Q4_0Matrix extends WholeBlockMatrix {
    public static final int BLOCK = 32, BYTES = 18;

    /** The kernel for this machine's vectors: rows per group 16 with 512-bit vectors, 8 with 256-bit, 4 with 128-bit (NEON). */
    static final int NATIVE_KERNEL = L >= 16 ? 16 : L == 8 ? 8 : L == 4 ? 4 : 0;
    /**
     * Decode computes rows in whole groups of up to this many: callers that split a matrix's rows between threads
     * should cut at multiples of it, or a group is computed twice.
     */
    public static final int ROW_GROUP = 16;

    /** Rows per group of the vector kernel (16, 8 or 4), or 0 for the scalar kernel (which runs groups of 8 in place). */
    private final int kernel;
    private final int n, blocks;
    /** Per group of n rows, per block, a tile of 16n bytes of nibbles (null for the scalar kernel). */
    private final byte[] packed;
    /** Per group of n rows, per block, the n rows' scales as floats (zero for padding rows). */
    private final float[] scales;

    public Q4_0Matrix(MemorySegment seg, long base, int rows, int cols) {
        this(seg, base, rows, cols, NATIVE_KERNEL);
    }

    /** With a given kernel (tests compare all of them on one machine). */
    Q4_0Matrix(MemorySegment seg, long base, int rows, int cols, int kernel) {
        super(seg, base, rows, cols, BYTES);
        if (kernel != 0 && kernel != 4 && kernel != 8 && kernel != 16) throw new IllegalArgumentException("kernel " + kernel);
        this.blocks = cols / BLOCK;
        byte[] copy = kernel == 0 ? null : allocate(rows, kernel);
        this.kernel = copy == null ? 0 : kernel;
        this.n = this.kernel == 0 ? 8 : kernel;
        this.packed = copy;
        int tiles = Math.multiplyExact(Q4Groups.rowGroups(rows, n), blocks);
        this.scales = new float[Math.multiplyExact(tiles, n)];
        for (int r = 0; r < rows; r++) {
            long o = base + r * rowBytes;
            int rr = r % n, tile = r / n * blocks;
            for (int b = 0; b < blocks; b++, o += BYTES, tile++) {
                scales[tile * n + rr] = f16(o);
                if (packed != null) repack(o, tile * Q4Groups.tileBytes(n), rr);
            }
        }
    }

    /** The repacked copy for groups of n rows, as large as the weights; null when the heap cannot hold it. */
    private byte[] allocate(int rows, int n) {
        return heapCopy((long) Q4Groups.rowGroups(rows, n) * (cols / BLOCK) * Q4Groups.tileBytes(n));
    }

    /** The block at o (row rr of its group) into its tile at packed[at ..]. */
    private void repack(long o, int at, int rr) {
        for (int i = 0; i < 16; i++) {
            int v = u8(o + 2 + i);
            packed[at + Q4Groups.byteIndex(rr, i, n)] |= (byte) (Q4Groups.isHigh(i) ? (v & 0xF) << 4 : v & 0xF);
            packed[at + Q4Groups.byteIndex(rr, i + 16, n)] |= (byte) (Q4Groups.isHigh(i + 16) ? (v >> 4) << 4 : v >> 4);
        }
    }

    @Override
    public String typeName() {
        return "Q4_0";
    }

    @Override
    public void prepare(Activation x) {
        if (kernel == 0) x.form(Q8BlockInput.Kind.INSTANCE);
        else x.form(Q4GroupedInput.Kind.of(n));
    }

    /** Whole groups of rows at a time; rows of a group outside [r0, r1) are computed but not written. */
    @Override
    public void matvec(Activation x, float[] out, int outOff, int r0, int r1) {
        float[] lanes = new float[n];
        Q4GroupedInput in = kernel == 0 ? null : x.form(Q4GroupedInput.Kind.of(n));
        Q8BlockInput q8 = kernel == 0 ? x.form(Q8BlockInput.Kind.INSTANCE) : null;
        for (int g = r0 / n; g * n < r1; g++) {
            if (kernel == 16) group16(g, in, lanes);
            else if (kernel == 8) group8(g, in, lanes);
            else if (kernel == 4) group4(g, in, lanes);
            else groupScalar(g, n, q8, lanes);
            int first = Math.max(r0, g * n), last = Math.min(r1, (g + 1) * n);
            for (int r = first; r < last; r++) out[outOff + r] = lanes[r - g * n];
        }
    }

    private static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_256, B128 = ByteVector.SPECIES_128, B64 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Short> S512 = ShortVector.SPECIES_512, S256 = ShortVector.SPECIES_256, S128 = ShortVector.SPECIES_128;
    private static final VectorSpecies<Float> F512 = FloatVector.SPECIES_512, F256 = FloatVector.SPECIES_256, F128 = FloatVector.SPECIES_128;

    /**
     * The 16 rows of group g into out[0 .. 16) with 512-bit vectors: per block, 8 chunks of 32 bytes widened to 32
     * shorts, low and high nibbles times their inputs added per lane; a fold of lane pairs to ints gives each row its
     * exact dot, less 8 x sum q.
     */
    private void group16(int g, Q4GroupedInput in, float[] out) {
        byte[] w = packed;
        short[] x = in.x;
        int[] offsets = in.offsets;
        float[] xd = in.q8.d, t = scales;
        int wo = g * blocks * 256, so = g * blocks * 16;
        FloatVector acc = FloatVector.zero(F512);
        for (int b = 0; b < blocks; b++, wo += 256, so += 16) {
            int xo = b * 512;
            ShortVector a = ShortVector.zero(S512);
            for (int c = 0; c < 8; c++) {
                ShortVector v = (ShortVector) ByteVector.fromArray(B256, w, wo + c * 32).convertShape(VectorOperators.ZERO_EXTEND_B2S, S512, 0);
                a = a.add(v.and((short) 0xF).mul(ShortVector.fromArray(S512, x, xo + c * 64)))
                        .add(v.lanewise(VectorOperators.LSHR, 4).mul(ShortVector.fromArray(S512, x, xo + c * 64 + 32)));
            }
            IntVector i = a.reinterpretAsInts();
            i = i.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(i.lanewise(VectorOperators.ASHR, 16)).sub(offsets[b]);
            FloatVector dot = (FloatVector) i.convertShape(VectorOperators.I2F, F512, 0);
            acc = dot.fma(FloatVector.fromArray(F512, t, so).mul(xd[b]), acc);
        }
        acc.intoArray(out, 0);
    }

    /**
     * {@link #group16} with 256-bit vectors: groups of 8 rows, chunks of 16 bytes. A copy rather than one method
     * taking its species: the Vector API compiles to instructions only where C2 sees the species as a constant, and a
     * kernel that C2 leaves out of line with a species argument runs its Java fallback (bench/README.md, fourth session).
     */
    private void group8(int g, Q4GroupedInput in, float[] out) {
        byte[] w = packed;
        short[] x = in.x;
        int[] offsets = in.offsets;
        float[] xd = in.q8.d, t = scales;
        int wo = g * blocks * 128, so = g * blocks * 8;
        FloatVector acc = FloatVector.zero(F256);
        for (int b = 0; b < blocks; b++, wo += 128, so += 8) {
            int xo = b * 256;
            ShortVector a = ShortVector.zero(S256);
            for (int c = 0; c < 8; c++) {
                ShortVector v = (ShortVector) ByteVector.fromArray(B128, w, wo + c * 16).convertShape(VectorOperators.ZERO_EXTEND_B2S, S256, 0);
                a = a.add(v.and((short) 0xF).mul(ShortVector.fromArray(S256, x, xo + c * 32)))
                        .add(v.lanewise(VectorOperators.LSHR, 4).mul(ShortVector.fromArray(S256, x, xo + c * 32 + 16)));
            }
            IntVector i = a.reinterpretAsInts();
            i = i.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(i.lanewise(VectorOperators.ASHR, 16)).sub(offsets[b]);
            FloatVector dot = (FloatVector) i.convertShape(VectorOperators.I2F, F256, 0);
            acc = dot.fma(FloatVector.fromArray(F256, t, so).mul(xd[b]), acc);
        }
        acc.intoArray(out, 0);
    }

    /** {@link #group8} with 128-bit vectors (NEON, so every Apple silicon Mac): groups of 4 rows, chunks of 8 bytes. */
    private void group4(int g, Q4GroupedInput in, float[] out) {
        byte[] w = packed;
        short[] x = in.x;
        int[] offsets = in.offsets;
        float[] xd = in.q8.d, t = scales;
        int wo = g * blocks * 64, so = g * blocks * 4;
        FloatVector acc = FloatVector.zero(F128);
        for (int b = 0; b < blocks; b++, wo += 64, so += 4) {
            int xo = b * 128;
            ShortVector a = ShortVector.zero(S128);
            for (int c = 0; c < 8; c++) {
                ShortVector v = (ShortVector) ByteVector.fromArray(B64, w, wo + c * 8).convertShape(VectorOperators.ZERO_EXTEND_B2S, S128, 0);
                a = a.add(v.and((short) 0xF).mul(ShortVector.fromArray(S128, x, xo + c * 16)))
                        .add(v.lanewise(VectorOperators.LSHR, 4).mul(ShortVector.fromArray(S128, x, xo + c * 16 + 8)));
            }
            IntVector i = a.reinterpretAsInts();
            i = i.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(i.lanewise(VectorOperators.ASHR, 16)).sub(offsets[b]);
            FloatVector dot = (FloatVector) i.convertShape(VectorOperators.I2F, F128, 0);
            acc = dot.fma(FloatVector.fromArray(F128, t, so).mul(xd[b]), acc);
        }
        acc.intoArray(out, 0);
    }

    @Override
    int blockDot(long o, Q8BlockInput in, int b) {
        int dot = 0;
        for (int i = 0; i < 16; i++) {
            int v = u8(o + 2 + i);
            dot += ((v & 0xF) - 8) * in.qs[b * BLOCK + i] + ((v >> 4) - 8) * in.qs[b * BLOCK + 16 + i];
        }
        return dot;
    }

    /** The 16 bytes of nibbles as 32 floats minus 8, with vectors: prefill unpacks every row once per product. */
    @Override
    float unpackBlock(long o, float[] dst, int off) {
        ByteVector v = ByteVector.fromMemorySegment(ByteVector.SPECIES_128, seg, o + 2, java.nio.ByteOrder.LITTLE_ENDIAN);
        ByteVector lo = v.and((byte) 0xF).sub((byte) 8), hi = v.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
        for (int part = 0; part * L < 16; part++) {
            ((FloatVector) lo.convertShape(VectorOperators.B2F, F, part)).intoArray(dst, off + part * L);
            ((FloatVector) hi.convertShape(VectorOperators.B2F, F, part)).intoArray(dst, off + 16 + part * L);
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

package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml's Q4_0: blocks of 32 values, an fp16 scale d then 16 bytes whose low nibbles are values 0..15 and high
 * nibbles values 16..31, each (nibble - 8) * d (18 bytes). The input is quantized to q8_0 as llama.cpp does.
 */
public final class Q4_0Matrix extends BlockMatrix {
    public static final int BLOCK = 32, BYTES = 18;
    private static final VectorSpecies<Integer> I = F.vectorShape().withLanes(int.class);

    public Q4_0Matrix(MemorySegment seg, long base, int rows, int cols) {
        super(seg, base, rows, cols, BLOCK, BYTES);
        this.scales = twoBlocks ? scaleTable() : null;
    }

    /**
     * The blocks' scales as floats ({@link #scaleTable}), for {@link #dotRowTwoBlocks}: +15% decode of the 110M shape
     * (114-117 -> 132-133 tok/s). Odd block counts (the 15M shape, whose rows of 9 blocks are too short for a vector
     * of scale products) read them from the blocks, as before: no gain measured there.
     */
    private final float[] scales;

    @Override
    public String typeName() {
        return "Q4_0";
    }

    @Override
    public void prepare(Activation x) {
        x.form(Q8BlockInput.Kind.INSTANCE);
    }

    @Override
    public void matvec(Activation x, float[] out, int outOff, int r0, int r1) {
        Q8BlockInput in = x.form(Q8BlockInput.Kind.INSTANCE);
        if (twoBlocks) {
            int blocks = cols / BLOCK;
            float[] s = new float[blocks];
            for (int r = r0; r < r1; r++) {
                scaleProducts(scales, r * blocks, in.d, s);
                out[outOff + r] = dotRowTwoBlocks(base + r * rowBytes, in.qsPairs, s);
            }
        } else {
            for (int r = r0; r < r1; r++) out[outOff + r] = dotRow(base + r * rowBytes, in);
        }
    }

    /**
     * With 16 float lanes and an even number of blocks per row, decode unpacks two blocks per vector
     * ({@link #dotRowTwoBlocks}). Odd counts (the 15M shape's 288 columns) keep {@link #dotRow}: a tail block after the
     * loop is a vector assigned under a condition, which C2 boxed (30% slower).
     */
    private final boolean twoBlocks = L == 16 && (cols / BLOCK) % 2 == 0;
    private static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Short> S32 = ShortVector.SPECIES_512;
    private static final VectorMask<Byte> UPPER = VectorMask.fromLong(B32, 0xFFFF0000L);

    /**
     * {@link #dotRow} two blocks at a time, with the same per-lane integers and the same fma per block in the same
     * order (the same result). Block A's 16 bytes come from a 32-byte load at A, block B's from a 32-byte load ending
     * at B's end, blended into one vector (neither load leaves the pair). The input is in the paired order
     * ({@link Q8BlockInput#qsPairs}), so one multiply per nibble half serves both blocks: 512-bit operations where
     * dotRow has 256-bit ones. s holds the blocks' scale products ({@link #scaleProducts}).
     */
    private float dotRowTwoBlocks(long o, short[] xs, float[] s) {
        FloatVector acc = FloatVector.zero(F);
        int blocks = cols / BLOCK;
        for (int b = 0; b < blocks; b += 2, o += 2 * BYTES) {
            ByteVector v = ByteVector.fromMemorySegment(B32, seg, o + 2, ByteOrder.LITTLE_ENDIAN)
                    .blend(ByteVector.fromMemorySegment(B32, seg, o + BYTES + 2 - 16, ByteOrder.LITTLE_ENDIAN), UPPER);
            ShortVector w = (ShortVector) v.convertShape(VectorOperators.ZERO_EXTEND_B2S, S32, 0);
            ShortVector lo = w.and((short) 0x0F).sub((short) 8), hi = w.lanewise(VectorOperators.LSHR, 4).sub((short) 8);
            int xo = b * BLOCK;
            ShortVector p = lo.mul(ShortVector.fromArray(S32, xs, xo)).add(hi.mul(ShortVector.fromArray(S32, xs, xo + BLOCK)));
            FloatVector pa = (FloatVector) p.convertShape(VectorOperators.S2F, F, 0);
            FloatVector pb = (FloatVector) p.convertShape(VectorOperators.S2F, F, 1);
            acc = pa.fma(FloatVector.broadcast(F, s[b]), acc);
            acc = pb.fma(FloatVector.broadcast(F, s[b + 1]), acc);
        }
        return LaneMath.sum(acc);
    }

    /** Prefill: {@link LaneGemm}, bitwise {@link #matvec} at matrix-product speed. */
    @Override
    public void matmul(ComputePool pool, float[] a, int n, float[] out, int off, int ldc) {
        laneMatmul(pool, a, n, out, off, ldc);
    }

    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));

    /**
     * The decode kernel: a block's 32 products in 16-bit integers ((nibble - 8) * q fits easily), the two halves
     * added per lane, then one conversion to float: exact per-lane integers, which {@link LaneGemm} reproduces in
     * prefill; about 15% faster here than converting every nibble.
     */
    private float dotRow(long o, Q8BlockInput in) {
        short[] xs = in.qs;
        float[] xd = in.d;
        FloatVector acc = FloatVector.zero(F);
        int blocks = cols / BLOCK;
        for (int b = 0; b < blocks; b++, o += BYTES) {
            int xo = b * BLOCK;
            ShortVector p = products(o + 2, xs, xo);
            for (int j = L; j < 16; j += L) p = p.add(products(o + 2 + j, xs, xo + j));
            acc = ((FloatVector) p.convertShape(VectorOperators.S2F, F, 0)).fma(FloatVector.broadcast(F, f16(o) * xd[b]), acc);
        }
        return LaneMath.sum(acc);
    }

    /** (nibble - 8) * q for the L bytes at o: low nibbles with xs[xo ..], high nibbles with xs[xo + 16 ..], added. */
    private ShortVector products(long o, short[] xs, int xo) {
        ShortVector v = (ShortVector) bytes(o).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
        ShortVector lo = v.and((short) 0x0F).sub((short) 8), hi = v.lanewise(VectorOperators.LSHR, 4).sub((short) 8);
        return lo.mul(ShortVector.fromArray(S, xs, xo)).add(hi.mul(ShortVector.fromArray(S, xs, xo + 16)));
    }

    @Override
    float unpackBlock(long o, float[] dst, int off) {
        for (int j = 0; j < 16; j += L) {
            IntVector v = (IntVector) bytes(o + 2 + j).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            ((FloatVector) v.and(0x0F).sub(8).convertShape(VectorOperators.I2F, F, 0)).intoArray(dst, off + j);
            ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).sub(8).convertShape(VectorOperators.I2F, F, 0)).intoArray(dst, off + 16 + j);
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

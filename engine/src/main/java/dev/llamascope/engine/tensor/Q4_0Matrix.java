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
     * The blocks' scales as floats ({@link #scaleTable}), for {@link #dotRowQuadTwoBlocks}: +15% decode of the 110M shape
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
        if (!twoBlocks) {
            for (int r = r0; r < r1; r++) out[outOff + r] = dotRow(base + r * rowBytes, in);
            return;
        }
        int blocks = cols / BLOCK;
        if (blocks < QUAD_BLOCKS) {
            float[] s = new float[blocks];  // see QUAD_BLOCKS for why not a per-thread FloatScratch
            for (int r = r0; r < r1; r++) {
                scaleProducts(scales, r * blocks, in.d, s, 0, blocks);
                out[outOff + r] = dotRowTwoBlocks(base + r * rowBytes, in.qsPairs, s);
            }
            return;
        }
        // Rows in fours a quarter of the range apart: four streams through memory, each input load shared by the four
        // rows (see Matrix). The 1-3 rows left over go through the same kernel, the last of them repeated (each row's
        // value is the same in any position): one kernel in this loop, as in Q8_0Matrix.
        float[] lanes = LANES.get(4 * L);
        int quarter = (r1 - r0) / 4;
        for (int i = 0; i < quarter; i++)
            dotRowQuadTwoBlocks(r0 + i, r0 + quarter + i, r0 + 2 * quarter + i, r0 + 3 * quarter + i, in, out, outOff, lanes);
        int s = r0 + 4 * quarter, last = r1 - 1;
        if (s <= last) dotRowQuadTwoBlocks(s, Math.min(s + 1, last), Math.min(s + 2, last), last, in, out, outOff, lanes);
    }

    /**
     * Rows of fewer blocks run one at a time ({@link #dotRowTwoBlocks}). With the four-row kernel for every even block
     * count, 42M decode (16-block rows) lost side by side with 2 threads (433-440 -> 404-419 tok/s) while the kernel
     * won on one thread (DecodeBench 512x512: 10.4-11.1 -> 11.4-11.7 G MAC/s); but with this threshold (42M on the
     * old kernels) one 42M round still read 411 -> 301, so that loss may be the machine's noise. Conservative.
     * Those slow processes (about one in five, 282-310 tok/s against 426-481) came from taking the scale products from
     * a per-thread FloatScratch instead of a new array per call, as far as we can tell: 14 alternating rounds of that
     * build had 2 of them (with the scratch padded by two cache lines, too), 8 rounds with the array per call had none
     * (8 x 42M Q4_0, RUNS=6, against the pre-quad build). Why is not understood; the array stays.
     */
    private static final int QUAD_BLOCKS = 24;

    /** The four-row kernel's way out for its accumulators, per thread (a vector argument to a method C2 does not inline is boxed). */
    private static final FloatScratch LANES = new FloatScratch();

    /**
     * {@link #dotRow} of four rows, two blocks at a time, each row with the same per-lane integers and the same fma
     * per block in the same order (the same results). Block A's 16 bytes come from a 32-byte load at A, block B's
     * from a 32-byte load ending at B's end, blended into one vector (neither load leaves the pair). The input is in
     * the paired order ({@link Q8BlockInput#qsPairs}), so one multiply per nibble half serves both blocks: 512-bit
     * operations where dotRow has 256-bit ones; its two loads per block pair serve all four rows. Each block's
     * scale product is scales[row][block] * xd[block] (the float product dotRow forms from the block's fp16 scale).
     * The accumulators leave through lanes and {@link LaneMath#sum(float[], int)} (the same tree as the vector sum):
     * a call with a vector argument that C2 does not inline boxes it. The four rows' products are written out in the loop: as a
     * helper method C2 did not inline them (NodeCountInliningCutoff), 2.8x slower.
     */
    private void dotRowQuadTwoBlocks(int ra, int rb, int rc, int rd, Q8BlockInput in, float[] out, int outOff, float[] lanes) {
        int blocks = cols / BLOCK;
        int sa = ra * blocks, sb = rb * blocks, sc = rc * blocks, sd = rd * blocks;
        float[] t = scales, xd = in.d;
        short[] xs = in.qsPairs;
        long oa = base + ra * rowBytes, ob = base + rb * rowBytes, oc = base + rc * rowBytes, od = base + rd * rowBytes;
        FloatVector accA = FloatVector.zero(F), accB = FloatVector.zero(F), accC = FloatVector.zero(F), accD = FloatVector.zero(F);
        for (int b = 0; b < blocks; b += 2, oa += 2 * BYTES, ob += 2 * BYTES, oc += 2 * BYTES, od += 2 * BYTES) {
            int xo = b * BLOCK;
            ShortVector xl = ShortVector.fromArray(S32, xs, xo), xh = ShortVector.fromArray(S32, xs, xo + BLOCK);
            ShortVector wA = (ShortVector) ByteVector.fromMemorySegment(B32, seg, oa + 2, ByteOrder.LITTLE_ENDIAN)
                    .blend(ByteVector.fromMemorySegment(B32, seg, oa + BYTES + 2 - 16, ByteOrder.LITTLE_ENDIAN), UPPER)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S32, 0);
            ShortVector pA = wA.and((short) 0x0F).sub((short) 8).mul(xl).add(wA.lanewise(VectorOperators.LSHR, 4).sub((short) 8).mul(xh));
            ShortVector wB = (ShortVector) ByteVector.fromMemorySegment(B32, seg, ob + 2, ByteOrder.LITTLE_ENDIAN)
                    .blend(ByteVector.fromMemorySegment(B32, seg, ob + BYTES + 2 - 16, ByteOrder.LITTLE_ENDIAN), UPPER)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S32, 0);
            ShortVector pB = wB.and((short) 0x0F).sub((short) 8).mul(xl).add(wB.lanewise(VectorOperators.LSHR, 4).sub((short) 8).mul(xh));
            ShortVector wC = (ShortVector) ByteVector.fromMemorySegment(B32, seg, oc + 2, ByteOrder.LITTLE_ENDIAN)
                    .blend(ByteVector.fromMemorySegment(B32, seg, oc + BYTES + 2 - 16, ByteOrder.LITTLE_ENDIAN), UPPER)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S32, 0);
            ShortVector pC = wC.and((short) 0x0F).sub((short) 8).mul(xl).add(wC.lanewise(VectorOperators.LSHR, 4).sub((short) 8).mul(xh));
            ShortVector wD = (ShortVector) ByteVector.fromMemorySegment(B32, seg, od + 2, ByteOrder.LITTLE_ENDIAN)
                    .blend(ByteVector.fromMemorySegment(B32, seg, od + BYTES + 2 - 16, ByteOrder.LITTLE_ENDIAN), UPPER)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S32, 0);
            ShortVector pD = wD.and((short) 0x0F).sub((short) 8).mul(xl).add(wD.lanewise(VectorOperators.LSHR, 4).sub((short) 8).mul(xh));
            accA = ((FloatVector) pA.convertShape(VectorOperators.S2F, F, 0)).fma(FloatVector.broadcast(F, t[sa + b] * xd[b]), accA);
            accA = ((FloatVector) pA.convertShape(VectorOperators.S2F, F, 1)).fma(FloatVector.broadcast(F, t[sa + b + 1] * xd[b + 1]), accA);
            accB = ((FloatVector) pB.convertShape(VectorOperators.S2F, F, 0)).fma(FloatVector.broadcast(F, t[sb + b] * xd[b]), accB);
            accB = ((FloatVector) pB.convertShape(VectorOperators.S2F, F, 1)).fma(FloatVector.broadcast(F, t[sb + b + 1] * xd[b + 1]), accB);
            accC = ((FloatVector) pC.convertShape(VectorOperators.S2F, F, 0)).fma(FloatVector.broadcast(F, t[sc + b] * xd[b]), accC);
            accC = ((FloatVector) pC.convertShape(VectorOperators.S2F, F, 1)).fma(FloatVector.broadcast(F, t[sc + b + 1] * xd[b + 1]), accC);
            accD = ((FloatVector) pD.convertShape(VectorOperators.S2F, F, 0)).fma(FloatVector.broadcast(F, t[sd + b] * xd[b]), accD);
            accD = ((FloatVector) pD.convertShape(VectorOperators.S2F, F, 1)).fma(FloatVector.broadcast(F, t[sd + b + 1] * xd[b + 1]), accD);
        }
        accA.intoArray(lanes, 0);
        accB.intoArray(lanes, L);
        accC.intoArray(lanes, 2 * L);
        accD.intoArray(lanes, 3 * L);
        out[outOff + ra] = LaneMath.sum(lanes, 0);
        out[outOff + rb] = LaneMath.sum(lanes, L);
        out[outOff + rc] = LaneMath.sum(lanes, 2 * L);
        out[outOff + rd] = LaneMath.sum(lanes, 3 * L);
    }

    /**
     * With 16 float lanes and an even number of blocks per row, decode unpacks two blocks per vector
     * ({@link #dotRowQuadTwoBlocks}). Odd counts (the 15M shape's 288 columns) keep {@link #dotRow}: a tail block after the
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
     * dotRow has 256-bit ones. s holds the blocks' scale products ({@link #scaleProducts}) from index 0.
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

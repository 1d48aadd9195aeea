package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * llama2.c export version 2 weights: int8 values (rows*cols bytes) followed by one fp32 scale per group of
 * {@code groupSize} consecutive values. The kernel follows runq.c: the input is quantized with the same groups,
 * each group's integer dot product is exact, then scaled by both scales.
 */
public final class Q8GroupMatrix extends Matrix {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** The int16 kernel: twice F's lanes of shorts from as many bytes, widened to ints in two halves of F's lanes. */
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, F.vectorShape());
    private static final VectorSpecies<Byte> B2 = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 16));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment seg;
    private final long qBase;
    private final long sBase;
    private final int groupSize;
    private final Q8Input.Kind inputKind;
    /** Which dot product fits the group size (see {@link #dot2L}). */
    private final int kernel;
    private static final int SCALAR = 0, VECTOR = 1, TWO_VECTORS = 2, FOUR_VECTORS = 3;

    /** Values at qBase, scales at sBase. cols must be a multiple of groupSize (checked by the reader too). */
    public Q8GroupMatrix(MemorySegment seg, long qBase, long sBase, int rows, int cols, int groupSize) {
        super(rows, cols);
        if (groupSize <= 0 || cols % groupSize != 0)
            throw new IllegalArgumentException("group size " + groupSize + " does not divide the row length " + cols);
        long n = (long) rows * cols;
        if (qBase < 0 || qBase + n > seg.byteSize() || sBase < 0 || sBase + n / groupSize * 4 > seg.byteSize())
            throw new IllegalArgumentException("int8 matrix " + rows + "x" + cols + " does not fit in " + seg.byteSize() + " bytes");
        this.seg = seg;
        this.qBase = qBase;
        this.sBase = sBase;
        this.groupSize = groupSize;
        this.inputKind = new Q8Input.Kind(groupSize);
        // Groups under 8 values stay scalar on every vector width, runq.c's arithmetic to the letter: with 4-lane
        // vectors (NEON) groups of 4 would otherwise take the lane kernel, and stories260K's int8 file (groups of 4)
        // would no longer print run.c's text.
        this.kernel = groupSize < 8 ? SCALAR
                : groupSize == 2 * L ? TWO_VECTORS : groupSize == 4 * L ? FOUR_VECTORS : groupSize % L == 0 ? VECTOR : SCALAR;
    }

    public int groupSize() {
        return groupSize;
    }

    /** Bytes of the values plus the scales, as laid out in the file. */
    public static long storageBytes(long n, int groupSize) {
        return n + n / groupSize * 4;
    }

    @Override
    public String typeName() {
        return "Q8(gs" + groupSize + ")";
    }

    @Override
    public long byteSize() {
        return storageBytes((long) rows * cols, groupSize);
    }

    @Override
    public void prepare(Activation x) {
        x.form(inputKind);
    }

    @Override
    public void matvec(Activation x, float[] out, int outOff, int r0, int r1) {
        Q8Input in = x.form(inputKind);
        int groups = cols / groupSize;
        if (kernel == FOUR_VECTORS || kernel == TWO_VECTORS) {
            // Two rows half a range apart at a time: two streams through memory read faster than one (see Matrix).
            int half = (r1 - r0) / 2;
            float[] lanes = kernel == FOUR_VECTORS ? new float[2 * L] : null; // dot4LPair's way out (one per call)
            for (int i = 0; i < half; i++) {
                if (kernel == FOUR_VECTORS) dot4LPair(r0 + i, r0 + half + i, in, groups, out, outOff, lanes);
                else dot2LPair(r0 + i, r0 + half + i, in, groups, out, outOff);
            }
            if (((r1 - r0) & 1) != 0) {
                int r = r1 - 1;
                long q = qBase + (long) r * cols, s = sBase + (long) r * groups * 4;
                out[outOff + r] = kernel == FOUR_VECTORS ? dot4LShort(q, s, in, groups) : dot2L(q, s, in, groups);
            }
            return;
        }
        for (int r = r0; r < r1; r++) {
            long q = qBase + (long) r * cols;
            long s = sBase + (long) r * groups * 4;
            out[outOff + r] = switch (kernel) {
                case TWO_VECTORS -> dot2L(q, s, in, groups);
                case FOUR_VECTORS -> dot4LShort(q, s, in, groups);
                case VECTOR -> dotVector(q, s, in, groups);
                default -> dotScalar(q, s, in, groups);
            };
        }
    }

    /**
     * Prefill: when the group size is a multiple of the vector's lanes, every decode kernel here keeps lane l's exact
     * products of the values j = l (mod L) and one fma per group, so {@link LaneGemm} computes the same bits at
     * matrix-product speed. The scalar kernel (odd group sizes) keeps the default, which runs decode itself.
     */
    @Override
    public void matmul(ComputePool pool, float[] a, int n, float[] out, int off, int ldc) {
        if (kernel == SCALAR) {
            super.matmul(pool, a, n, out, off, ldc);
            return;
        }
        int groups = cols / groupSize;
        LaneGemm.matmul(pool, new LaneGemm.IntegerRows() {
            public int rows() { return rows; }
            public int cols() { return cols; }
            public int groupSize() { return groupSize; }
            public void unpack(int r, float[] values, int vOff, float[] scales, int sOff) {
                long qo = qBase + (long) r * cols, so = sBase + (long) r * groups * 4;
                for (int j = 0; j < cols; j += L) widen(qo + j).intoArray(values, vOff + j);
                for (int g = 0; g < groups; g++) scales[sOff + g] = seg.get(FLOAT, so + 4L * g);
            }
            public LaneGemm.TokenQuantizer newQuantizer() {
                return LaneGemm.viaForm(cols, inputKind, in -> in.q, in -> in.scale);
            }
        }, a, n, out, off, ldc);
    }

    /**
     * Vector path. Each group's partial sum is exact (int8 x int8 products and their sums fit in fp32's 24-bit
     * mantissa), so its lanes may be added in any tree; the groups are then scaled and accumulated in order.
     * Bytes are loaded 16 at a time and widened with castShape (one sign-extend and one convert); four
     * independent products per 64 bytes keep both FMA pipes busy: 13.4 vs 8 G elements/s per core with one chain.
     */
    private float dotVector(long q, long s, Q8Input in, int groups) {
        float[] xq = in.q, xs = in.scale;
        FloatVector acc = FloatVector.zero(F);
        int gs = groupSize;
        for (int g = 0; g < groups; g++) {
            int o = g * gs;
            long qo = q + o;
            int j = 0;
            FloatVector part = FloatVector.zero(F);
            for (; j + 4 * L <= gs; j += 4 * L) {
                FloatVector p0 = widen(qo + j).mul(FloatVector.fromArray(F, xq, o + j));
                FloatVector p1 = widen(qo + j + L).mul(FloatVector.fromArray(F, xq, o + j + L));
                FloatVector p2 = widen(qo + j + 2 * L).mul(FloatVector.fromArray(F, xq, o + j + 2 * L));
                FloatVector p3 = widen(qo + j + 3 * L).mul(FloatVector.fromArray(F, xq, o + j + 3 * L));
                part = part.add(p0.add(p1).add(p2.add(p3)));
            }
            for (; j < gs; j += L) part = widen(qo + j).fma(FloatVector.fromArray(F, xq, o + j), part);
            acc = part.fma(FloatVector.broadcast(F, seg.get(FLOAT, s + 4L * g) * xs[g]), acc);
        }
        return LaneMath.sum(acc);
    }

    /**
     * Group size 2L (32 with AVX-512: llama2.c's export for dims 288 and 512), two groups per step. Straight-line
     * code per group: in {@link #dotVector} such a group goes through the short tail loop, whose carried vector C2
     * boxes (1.7-2.3x slower decode of the 15M/42M shapes). The group sums are exact, so the result is the same.
     * (Tried for 4L groups too: no faster than {@link #dotVector}'s four-product tree, and slower in prefill.)
     */
    private float dot2L(long q, long s, Q8Input in, int groups) {
        float[] xq = in.q, xs = in.scale;
        FloatVector acc = FloatVector.zero(F);
        int g = 0;
        for (; g + 1 < groups; g += 2) {
            int o = g * 2 * L;
            FloatVector p0 = pair(q + o, xq, o), p1 = pair(q + o + 2 * L, xq, o + 2 * L);
            float d0 = seg.get(FLOAT, s + 4L * g) * xs[g], d1 = seg.get(FLOAT, s + 4L * g + 4) * xs[g + 1];
            acc = p0.fma(FloatVector.broadcast(F, d0), acc);
            acc = p1.fma(FloatVector.broadcast(F, d1), acc);
        }
        if (g < groups) acc = pair(q + g * 2 * L, xq, g * 2 * L).fma(FloatVector.broadcast(F, seg.get(FLOAT, s + 4L * g) * xs[g]), acc);
        return LaneMath.sum(acc);
    }

    /**
     * Group size 4L (64 with AVX-512: llama2.c's default) in 16-bit integers: 2L int8 weights widen to shorts in one
     * step, are multiplied by the input's int8 values as shorts (|product| <= 128 * 127 fits), two products per
     * lane are added (still fits), and the two halves widen to ints. Lane l then holds the products of elements
     * l, l + L, l + 2L and l + 3L, the same lanes as {@link #dotVector}'s float sums and as exact: the same result.
     */
    private float dot4LShort(long q, long s, Q8Input in, int groups) {
        short[] xq = in.qs;
        float[] xs = in.scale;
        FloatVector acc = FloatVector.zero(F);
        for (int g = 0; g < groups; g++) {
            int o = g * 4 * L;
            ShortVector w0 = (ShortVector) ByteVector.fromMemorySegment(B2, seg, q + o, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S, 0);
            ShortVector w1 = (ShortVector) ByteVector.fromMemorySegment(B2, seg, q + o + 2 * L, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S, 0);
            ShortVector p = w0.mul(ShortVector.fromArray(S, xq, o)).add(w1.mul(ShortVector.fromArray(S, xq, o + 2 * L)));
            IntVector sum = ((IntVector) p.convertShape(VectorOperators.S2I, I, 0)).add((IntVector) p.convertShape(VectorOperators.S2I, I, 1));
            FloatVector f = (FloatVector) sum.convertShape(VectorOperators.I2F, F, 0);
            acc = f.fma(FloatVector.broadcast(F, seg.get(FLOAT, s + 4L * g) * xs[g]), acc);
        }
        return LaneMath.sum(acc);
    }

    /**
     * {@link #dot4LShort} of rows ra and rb in one loop, each by exactly the same operations (the same results).
     * The point is memory: one core streams a single row's bytes at about 6 GB/s under this much arithmetic, but two
     * rows far apart (two prefetch streams) at about 9-10 GB/s (768x2048 matrices from L3, 1 thread).
     */
    private void dot4LPair(int ra, int rb, Q8Input in, int groups, float[] out, int outOff, float[] lanes) {
        short[] xq = in.qs;
        float[] xs = in.scale;
        long qa = qBase + (long) ra * cols, qb = qBase + (long) rb * cols;
        long sa = sBase + (long) ra * groups * 4, sb = sBase + (long) rb * groups * 4;
        FloatVector accA = FloatVector.zero(F), accB = FloatVector.zero(F);
        for (int g = 0; g < groups; g++) {
            int o = g * 4 * L;
            ShortVector x0 = ShortVector.fromArray(S, xq, o), x1 = ShortVector.fromArray(S, xq, o + 2 * L);
            accA = group4L(qa + o, x0, x1).fma(FloatVector.broadcast(F, seg.get(FLOAT, sa + 4L * g) * xs[g]), accA);
            accB = group4L(qb + o, x0, x1).fma(FloatVector.broadcast(F, seg.get(FLOAT, sb + 4L * g) * xs[g]), accB);
        }
        // Through an array, never a call with a vector argument (see LaneMath.sum(float[], int)): the same bits either
        // way. 110M int8 decode +10-16% side by side. dot2LPair keeps the vector form: there C2 inlines the sum, and
        // a first version that changed both kernels made 42M (groups of 32) 13% slower.
        accA.intoArray(lanes, 0);
        accB.intoArray(lanes, L);
        out[outOff + ra] = LaneMath.sum(lanes, 0);
        out[outOff + rb] = LaneMath.sum(lanes, L);
    }

    /** One group of 4L: the exact integer products with the input (x0, x1: its two halves as shorts), as floats. */
    private FloatVector group4L(long qo, ShortVector x0, ShortVector x1) {
        ShortVector w0 = (ShortVector) ByteVector.fromMemorySegment(B2, seg, qo, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S, 0);
        ShortVector w1 = (ShortVector) ByteVector.fromMemorySegment(B2, seg, qo + 2 * L, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S, 0);
        ShortVector p = w0.mul(x0).add(w1.mul(x1));
        IntVector sum = ((IntVector) p.convertShape(VectorOperators.S2I, I, 0)).add((IntVector) p.convertShape(VectorOperators.S2I, I, 1));
        return (FloatVector) sum.convertShape(VectorOperators.I2F, F, 0);
    }

    /** {@link #dot2L} of rows ra and rb in one loop, each by exactly the same operations (the same results). */
    private void dot2LPair(int ra, int rb, Q8Input in, int groups, float[] out, int outOff) {
        float[] xq = in.q, xs = in.scale;
        long qa = qBase + (long) ra * cols, qb = qBase + (long) rb * cols;
        long sa = sBase + (long) ra * groups * 4, sb = sBase + (long) rb * groups * 4;
        FloatVector accA = FloatVector.zero(F), accB = FloatVector.zero(F);
        for (int g = 0; g < groups; g++) {
            int o = g * 2 * L;
            accA = pair(qa + o, xq, o).fma(FloatVector.broadcast(F, seg.get(FLOAT, sa + 4L * g) * xs[g]), accA);
            accB = pair(qb + o, xq, o).fma(FloatVector.broadcast(F, seg.get(FLOAT, sb + 4L * g) * xs[g]), accB);
        }
        out[outOff + ra] = LaneMath.sum(accA);
        out[outOff + rb] = LaneMath.sum(accB);
    }

    /** The exact products of 2L int8 weights with the input, summed per lane. */
    private FloatVector pair(long qo, float[] xq, int xo) {
        return widen(qo).mul(FloatVector.fromArray(F, xq, xo)).add(widen(qo + L).mul(FloatVector.fromArray(F, xq, xo + L)));
    }

    /** L int8 weights at a byte offset, as floats. */
    private FloatVector widen(long off) {
        return (FloatVector) BlockMatrix.bytes(seg, off).castShape(F, 0);
    }

    /** runq.c's loop to the letter: exact integer group sums, then val += ival * ws * xs in group order. */
    private float dotScalar(long q, long s, Q8Input in, int groups) {
        float[] xq = in.q, xs = in.scale;
        float val = 0f;
        for (int g = 0; g < groups; g++) {
            int o = g * groupSize;
            int ival = 0;
            for (int j = 0; j < groupSize; j++) ival += seg.get(ValueLayout.JAVA_BYTE, q + o + j) * (int) xq[o + j];
            val += ((float) ival) * seg.get(FLOAT, s + 4L * g) * xs[g];
        }
        return val;
    }

    @Override
    public void readRow(int r, float[] dst, int off) {
        int groups = cols / groupSize;
        long q = qBase + (long) r * cols;
        long s = sBase + (long) r * groups * 4;
        for (int g = 0; g < groups; g++) {
            float scale = seg.get(FLOAT, s + 4L * g);
            for (int j = 0; j < groupSize; j++) {
                int i = g * groupSize + j;
                dst[off + i] = seg.get(ValueLayout.JAVA_BYTE, q + i) * scale;
            }
        }
    }
}

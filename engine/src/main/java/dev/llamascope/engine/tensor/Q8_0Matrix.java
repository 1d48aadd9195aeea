package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml's Q8_0: blocks of 32 values, an fp16 scale then 32 int8 (34 bytes). The input is quantized to q8_0 as
 * llama.cpp does, so each block's product is an exact integer sum scaled by both scales.
 *
 * <p>Every row is acc = fma(dot_b, d_w[b] * d_x[b], acc) over its blocks b in order, from acc = 0, dot_b the block's
 * exact integer dot product: Q4_0's arithmetic, so prefill is the same {@link WholeGroupGemm}, which takes 32
 * products per scale fma. (Before, decode kept 16 float lanes of two products per block, and its prefill had to
 * mirror them with an fma per two products and a scale load per fma: 0.65x of llama.cpp's Q8_0 prefill.)
 *
 * <p>Decode runs on a copy of the values repacked at load, rows interleaved in groups of L (one float lane per row):
 * per block, value j of the group's L rows is L adjacent bytes, widened to floats and multiplied by the broadcast
 * input value, so a group's L dot products build up in one vector with no sum across lanes. Four partial sums per
 * block keep the fmas independent; their values are exact integers (|dot| <= 32 x 128 x 127 < 2^24), so how they
 * are added cannot change them. When the heap cannot hold the copy, a scalar kernel reads the blocks in place: the
 * same bits. The original blocks stay mapped for rows read as embeddings, for
 * prefill's unpacking, conversion and export.
 */
public final class Q8_0Matrix extends WholeBlockMatrix {
    public static final int BLOCK = 32, BYTES = 34;

    /** Rows per group of the vector kernel: L, one float lane per row. */
    static final int NATIVE_KERNEL = L;

    /** Rows per group (L, or 8 for the scalar kernel, which has no copy). */
    private final int n;
    private final int blocks;
    /** Per group of n rows, per block, 32 x n bytes: value j of row rr at [j * n + rr] (null for the scalar kernel). */
    private final byte[] packed;
    /** Per group of n rows, per block, the n rows' scales as floats (zero for padding rows; null for the scalar kernel). */
    private final float[] scales;

    public Q8_0Matrix(MemorySegment seg, long base, int rows, int cols) {
        this(seg, base, rows, cols, NATIVE_KERNEL);
    }

    /** With the native kernel (L) or the scalar one (0): tests compare them on one machine. */
    Q8_0Matrix(MemorySegment seg, long base, int rows, int cols, int kernel) {
        super(seg, base, rows, cols, BYTES);
        if (kernel != 0 && kernel != NATIVE_KERNEL) throw new IllegalArgumentException("kernel " + kernel);
        this.blocks = cols / BLOCK;
        int groupRows = kernel == 0 ? 8 : kernel;
        // With 4 lanes a load of values reads 8 bytes and uses 4 (BlockMatrix.B): padding keeps the last one inside.
        byte[] copy = kernel == 0 ? null : heapCopy((long) (rows + groupRows - 1) / groupRows * groupRows * cols + B.length() - L);
        this.packed = copy;
        this.n = copy == null ? 8 : groupRows;
        this.scales = copy == null ? null : new float[Math.multiplyExact((rows + n - 1) / n * blocks, n)];
        if (copy != null) {
            for (int r = 0; r < rows; r++) {
                long o = base + r * rowBytes;
                int rr = r % n, tile = r / n * blocks;
                for (int b = 0; b < blocks; b++, o += BYTES, tile++) {
                    scales[tile * n + rr] = f16(o);
                    for (int j = 0; j < BLOCK; j++) copy[tile * BLOCK * n + j * n + rr] = seg.get(ValueLayout.JAVA_BYTE, o + 2 + j);
                }
            }
        }
    }

    @Override
    public String typeName() {
        return "Q8_0";
    }

    @Override
    public void prepare(Activation x) {
        x.form(Q8BlockInput.Kind.INSTANCE);
    }

    /**
     * Whole groups of rows at a time; rows of a group outside [r0, r1) are computed but not written. The vector kernel
     * takes two groups half the range apart in one loop: two streams through memory keep more reads in flight (see
     * {@link Matrix}); each group's result is the same as alone.
     */
    @Override
    public void matvec(Activation x, float[] out, int outOff, int r0, int r1) {
        Q8BlockInput in = x.form(Q8BlockInput.Kind.INSTANCE);
        float[] lanes = LANES.get(2 * n);
        int g0 = r0 / n, g1 = (r1 + n - 1) / n;
        if (packed == null) {
            for (int g = g0; g < g1; g++) {
                groupScalar(g, n, in, lanes);
                write(g, 0, lanes, out, outOff, r0, r1);
            }
            return;
        }
        int half = (g1 - g0) / 2;
        for (int i = 0; i < half; i++) {
            groupPair(g0 + i, g0 + half + i, in, lanes);
            write(g0 + i, 0, lanes, out, outOff, r0, r1);
            write(g0 + half + i, n, lanes, out, outOff, r0, r1);
        }
        if (((g1 - g0) & 1) != 0) {
            groupPair(g1 - 1, g1 - 1, in, lanes);
            write(g1 - 1, 0, lanes, out, outOff, r0, r1);
        }
    }

    /** Group g's rows inside [r0, r1) from lanes[at ..] into out. */
    private void write(int g, int at, float[] lanes, float[] out, int outOff, int r0, int r1) {
        int first = Math.max(r0, g * n), last = Math.min(r1, (g + 1) * n);
        for (int r = first; r < last; r++) out[outOff + r] = lanes[at + r - g * n];
    }

    /** Two groups' results, per thread (not a new array per call: garbage). */
    private static final FloatScratch LANES = new FloatScratch();

    /** The L rows of groups ga and gb into out[0 .. L) and out[L .. 2L), one lane per row. */
    private void groupPair(int ga, int gb, Q8BlockInput in, float[] out) {
        float[] xq = in.q, xd = in.d, t = scales;
        int wa = ga * blocks * BLOCK * L, wb = gb * blocks * BLOCK * L, sa = ga * blocks * L, sb = gb * blocks * L;
        FloatVector accA = FloatVector.zero(F), accB = accA;
        for (int b = 0; b < blocks; b++, wa += BLOCK * L, wb += BLOCK * L, sa += L, sb += L) {
            int xo = b * BLOCK;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0;
            for (int j = 0; j < BLOCK; j += 2) {
                FloatVector x0 = FloatVector.broadcast(F, xq[xo + j]), x1 = FloatVector.broadcast(F, xq[xo + j + 1]);
                a0 = values(wa + j * L).fma(x0, a0);
                a1 = values(wa + (j + 1) * L).fma(x1, a1);
                b0 = values(wb + j * L).fma(x0, b0);
                b1 = values(wb + (j + 1) * L).fma(x1, b1);
            }
            float d = xd[b];
            accA = a0.add(a1).fma(FloatVector.fromArray(F, t, sa).mul(d), accA);
            accB = b0.add(b1).fma(FloatVector.fromArray(F, t, sb).mul(d), accB);
        }
        accA.intoArray(out, 0);
        accB.intoArray(out, L);
    }

    /** L values of the copy, one per row of a group, as floats. */
    private FloatVector values(int o) {
        return (FloatVector) ByteVector.fromArray(B, packed, o).convertShape(VectorOperators.B2F, F, 0);
    }

    @Override
    int blockDot(long o, Q8BlockInput in, int b) {
        int dot = 0;
        for (int j = 0; j < BLOCK; j++) dot += seg.get(ValueLayout.JAVA_BYTE, o + 2 + j) * (int) in.q[b * BLOCK + j];
        return dot;
    }

    @Override
    float unpackBlock(long o, float[] dst, int off) {
        for (int j = 0; j < BLOCK; j += L) ((FloatVector) bytes(o + 2 + j).convertShape(VectorOperators.B2F, F, 0)).intoArray(dst, off + j);
        return f16(o);
    }

    @Override
    protected void dequantizeBlock(long o, float[] dst, int off) {
        float d = f16(o);
        for (int j = 0; j < BLOCK; j++) dst[off + j] = seg.get(ValueLayout.JAVA_BYTE, o + 2 + j) * d;
    }
}

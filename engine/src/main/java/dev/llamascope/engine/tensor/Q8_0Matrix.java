package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml's Q8_0: blocks of 32 values, an fp16 scale then 32 int8 (34 bytes). The input is quantized to q8_0 as
 * llama.cpp does, so each block's product is an exact integer sum scaled by both scales.
 */
public final class Q8_0Matrix extends BlockMatrix {
    public static final int BLOCK = 32, BYTES = 34;

    public Q8_0Matrix(MemorySegment seg, long base, int rows, int cols) {
        super(seg, base, rows, cols, BLOCK, BYTES);
    }

    @Override
    public String typeName() {
        return "Q8_0";
    }

    @Override
    public void prepare(Activation x) {
        x.form(Q8BlockInput.Kind.INSTANCE);
    }

    @Override
    public void matvec(Activation x, float[] out, int outOff, int r0, int r1) {
        Q8BlockInput in = x.form(Q8BlockInput.Kind.INSTANCE);
        if (L != 16) {
            int half = (r1 - r0) / 2; // rows in pairs half the range apart: two streams through memory (see Matrix)
            for (int i = 0; i < half; i++) dotRowPair(r0 + i, r0 + half + i, in, out, outOff);
            if (((r1 - r0) & 1) != 0) out[outOff + r1 - 1] = dotRow(base + (r1 - 1) * rowBytes, in);
            return;
        }
        // Rows in fours a quarter of the range apart: four streams through memory (see Matrix). The 1-3 rows left
        // over go through the same kernel, the last of them repeated (each row's value is the same in any position):
        // one kernel in this loop. The single-row kernel for them ran boxed in 110M decode (its vector calls not
        // compiled to instructions): the largest source of garbage in a JFR profile of 110M Q8_0 decode.
        float[] lanes = LANES.get(4 * L);
        int quarter = (r1 - r0) / 4;
        for (int i = 0; i < quarter; i++) dotRowQuad(r0 + i, r0 + quarter + i, r0 + 2 * quarter + i, r0 + 3 * quarter + i, in, out, outOff, lanes);
        int s = r0 + 4 * quarter, last = r1 - 1;
        if (s <= last) dotRowQuad(s, Math.min(s + 1, last), Math.min(s + 2, last), last, in, out, outOff, lanes);
    }

    /** dotRowQuad's way out for its accumulators, per thread (not a new array per call: garbage). */
    private static final FloatScratch LANES = new FloatScratch();

    /**
     * {@link #dotRow} of four rows in one loop, each by exactly the same operations (the same results): four streams
     * through memory keep more reads in flight than two (one thread, 2048x768 streamed: 7.2 -> 9.6 G multiply-adds/s).
     * The accumulators leave through {@code lanes} and {@link LaneMath#sum(float[], int)} (the same tree): a call with
     * a vector argument that C2 does not inline boxes it (see Q8GroupMatrix.dot4LPair).
     */
    private void dotRowQuad(int ra, int rb, int rc, int rd, Q8BlockInput in, float[] out, int outOff, float[] lanes) {
        float[] xq = in.q, xd = in.d;
        long oa = base + ra * rowBytes, ob = base + rb * rowBytes, oc = base + rc * rowBytes, od = base + rd * rowBytes;
        FloatVector accA = FloatVector.zero(F), accB = FloatVector.zero(F), accC = FloatVector.zero(F), accD = FloatVector.zero(F);
        int blocks = cols / BLOCK;
        for (int b = 0; b < blocks; b++, oa += BYTES, ob += BYTES, oc += BYTES, od += BYTES) {
            int xo = b * BLOCK;
            FloatVector x0 = FloatVector.fromArray(F, xq, xo), x1 = FloatVector.fromArray(F, xq, xo + L);
            float d = xd[b];
            accA = block2(oa, x0, x1).fma(FloatVector.broadcast(F, f16(oa) * d), accA);
            accB = block2(ob, x0, x1).fma(FloatVector.broadcast(F, f16(ob) * d), accB);
            accC = block2(oc, x0, x1).fma(FloatVector.broadcast(F, f16(oc) * d), accC);
            accD = block2(od, x0, x1).fma(FloatVector.broadcast(F, f16(od) * d), accD);
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

    /** {@link #block} for 16 lanes (two vectors per block), the input's two halves given. */
    private FloatVector block2(long o, FloatVector x0, FloatVector x1) {
        FloatVector p = ((FloatVector) bytes(o + 2).convertShape(VectorOperators.B2F, F, 0)).mul(x0);
        return ((FloatVector) bytes(o + 2 + L).convertShape(VectorOperators.B2F, F, 0)).fma(x1, p);
    }

    /** {@link #dotRow} of rows ra and rb in one loop, each by exactly the same operations (the same results). */
    private void dotRowPair(int ra, int rb, Q8BlockInput in, float[] out, int outOff) {
        float[] xq = in.q, xd = in.d;
        long oa = base + ra * rowBytes, ob = base + rb * rowBytes;
        FloatVector accA = FloatVector.zero(F), accB = FloatVector.zero(F);
        int blocks = cols / BLOCK;
        for (int b = 0; b < blocks; b++, oa += BYTES, ob += BYTES) {
            accA = block(oa, xq, b * BLOCK).fma(FloatVector.broadcast(F, f16(oa) * xd[b]), accA);
            accB = block(ob, xq, b * BLOCK).fma(FloatVector.broadcast(F, f16(ob) * xd[b]), accB);
        }
        out[outOff + ra] = LaneMath.sum(accA);
        out[outOff + rb] = LaneMath.sum(accB);
    }

    private float dotRow(long o, Q8BlockInput in) {
        float[] xq = in.q, xd = in.d;
        FloatVector acc = FloatVector.zero(F);
        int blocks = cols / BLOCK, b = 0;
        // Two blocks per step for instruction-level parallelism; the accumulation order is the same as one by one.
        for (; b + 1 < blocks; b += 2, o += 2 * BYTES) {
            FloatVector p = block(o, xq, b * BLOCK), q = block(o + BYTES, xq, (b + 1) * BLOCK);
            float d0 = f16(o) * xd[b], d1 = f16(o + BYTES) * xd[b + 1];
            acc = p.fma(FloatVector.broadcast(F, d0), acc);
            acc = q.fma(FloatVector.broadcast(F, d1), acc);
        }
        if (b < blocks) acc = block(o, xq, b * BLOCK).fma(FloatVector.broadcast(F, f16(o) * xd[b]), acc);
        return LaneMath.sum(acc);
    }

    /** Prefill: {@link LaneGemm}, bitwise {@link #matvec} at matrix-product speed. */
    @Override
    public void matmul(ComputePool pool, float[] a, int n, float[] out, int off, int ldc) {
        laneMatmul(pool, a, n, out, off, ldc);
    }

    /** The exact integer products of one block with the input, summed per lane. */
    private FloatVector block(long o, float[] xq, int xo) {
        // No null or conditional vector here: C2 then keeps the vectors in registers (it boxed them otherwise).
        FloatVector p = ((FloatVector) bytes(o + 2).convertShape(VectorOperators.B2F, F, 0)).mul(FloatVector.fromArray(F, xq, xo));
        for (int j = L; j < BLOCK; j += L) {
            p = ((FloatVector) bytes(o + 2 + j).convertShape(VectorOperators.B2F, F, 0)).fma(FloatVector.fromArray(F, xq, xo + j), p);
        }
        return p;
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

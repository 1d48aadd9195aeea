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
        int half = (r1 - r0) / 2; // rows in pairs half the range apart: two streams through memory (see Matrix)
        for (int i = 0; i < half; i++) dotRowPair(r0 + i, r0 + half + i, in, out, outOff);
        if (((r1 - r0) & 1) != 0) out[outOff + r1 - 1] = dotRow(base + (r1 - 1) * rowBytes, in);
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

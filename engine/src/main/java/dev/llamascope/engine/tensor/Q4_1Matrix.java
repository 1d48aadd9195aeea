package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml's Q4_1: blocks of 32 values, fp16 scale d and fp16 offset m, then 16 bytes of nibbles laid out as in Q4_0;
 * each value is nibble * d + m (20 bytes). The input is quantized to q8_1, whose block sum s carries the offset.
 */
public final class Q4_1Matrix extends BlockMatrix {
    public static final int BLOCK = 32, BYTES = 20;

    public Q4_1Matrix(MemorySegment seg, long base, int rows, int cols) {
        super(seg, base, rows, cols, BLOCK, BYTES);
    }

    @Override
    public String typeName() {
        return "Q4_1";
    }

    @Override
    public void prepare(Activation x) {
        x.form(Q8BlockInput.Kind.INSTANCE);
    }

    @Override
    public void matvec(Activation x, float[] out, int outOff, int r0, int r1) {
        Q8BlockInput in = x.form(Q8BlockInput.Kind.INSTANCE);
        for (int r = r0; r < r1; r++) out[outOff + r] = dotRow(base + r * rowBytes, in);
    }

    private float dotRow(long o, Q8BlockInput in) {
        float[] xq = in.q, xd = in.d, xs = in.s;
        FloatVector acc = FloatVector.zero(F);
        float offsets = 0f;
        int blocks = cols / BLOCK;
        for (int b = 0; b < blocks; b++, o += BYTES) {
            int xo = b * BLOCK;
            FloatVector p = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                ByteVector v = bytes(o + 4 + j);
                FloatVector lo = (FloatVector) v.and((byte) 0x0F).convertShape(VectorOperators.B2F, F, 0);
                FloatVector hi = (FloatVector) v.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.B2F, F, 0);
                p = lo.fma(FloatVector.fromArray(F, xq, xo + j), p);
                p = hi.fma(FloatVector.fromArray(F, xq, xo + 16 + j), p);
            }
            acc = p.fma(FloatVector.broadcast(F, f16(o) * xd[b]), acc);
            offsets += f16(o + 2) * xs[b];
        }
        return LaneMath.sum(acc) + offsets;
    }

    @Override
    protected void dequantizeBlock(long o, float[] dst, int off) {
        float d = f16(o), m = f16(o + 2);
        for (int j = 0; j < 16; j++) {
            int v = u8(o + 4 + j);
            dst[off + j] = (v & 0xF) * d + m;
            dst[off + 16 + j] = (v >> 4) * d + m;
        }
    }
}

package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml's Q5_1: blocks of 32 values, fp16 scale d and offset m, a 32-bit word of fifth bits, 16 bytes of low
 * nibbles; each value is (nibble | fifth bit << 4) * d + m (24 bytes). Input in q8_1.
 */
public final class Q5_1Matrix extends BlockMatrix {
    public static final int BLOCK = 32, BYTES = 24;

    public Q5_1Matrix(MemorySegment seg, long base, int rows, int cols) {
        super(seg, base, rows, cols, BLOCK, BYTES);
    }

    @Override
    public String typeName() {
        return "Q5_1";
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
            int qh = seg.get(INT, o + 4);
            FloatVector p = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                ByteVector v = bytes(o + 8 + j);
                FloatVector lo = ((FloatVector) v.and((byte) 0x0F).convertShape(VectorOperators.B2F, F, 0)).add(Q5_0Matrix.fifthBits(qh, j));
                FloatVector hi = ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.B2F, F, 0)).add(Q5_0Matrix.fifthBits(qh, 16 + j));
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
        int qh = seg.get(INT, o + 4);
        for (int j = 0; j < 16; j++) {
            int v = u8(o + 8 + j);
            dst[off + j] = ((v & 0xF) | ((qh >>> j) & 1) << 4) * d + m;
            dst[off + 16 + j] = ((v >> 4) | ((qh >>> (j + 16)) & 1) << 4) * d + m;
        }
    }
}

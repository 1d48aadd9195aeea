package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.IntVector;
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
    }

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
        for (int r = r0; r < r1; r++) out[outOff + r] = dotRow(base + r * rowBytes, in);
    }

    private float dotRow(long o, Q8BlockInput in) {
        float[] xq = in.q, xd = in.d;
        FloatVector acc = FloatVector.zero(F);
        int blocks = cols / BLOCK;
        for (int b = 0; b < blocks; b++, o += BYTES) {
            int xo = b * BLOCK;
            FloatVector p = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                IntVector v = (IntVector) bytes(o + 2 + j).convertShape(VectorOperators.B2I, I, 0);
                FloatVector lo = (FloatVector) v.and(0x0F).sub(8).convertShape(VectorOperators.I2F, F, 0);
                FloatVector hi = (FloatVector) v.lanewise(VectorOperators.ASHR, 4).and(0x0F).sub(8).convertShape(VectorOperators.I2F, F, 0);
                p = lo.fma(FloatVector.fromArray(F, xq, xo + j), p);
                p = hi.fma(FloatVector.fromArray(F, xq, xo + 16 + j), p);
            }
            acc = p.fma(FloatVector.broadcast(F, f16(o) * xd[b]), acc);
        }
        return LaneMath.sum(acc);
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

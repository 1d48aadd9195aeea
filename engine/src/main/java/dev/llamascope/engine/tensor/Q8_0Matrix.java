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
    protected float dotRow(long o, Activation x) {
        Q8BlockInput in = x.form(Q8BlockInput.Kind.INSTANCE);
        float[] xq = in.q, xd = in.d;
        FloatVector acc = FloatVector.zero(F);
        int blocks = cols / BLOCK;
        for (int b = 0; b < blocks; b++, o += BYTES) {
            int xo = b * BLOCK;
            FloatVector p = FloatVector.zero(F);
            for (int j = 0; j < BLOCK; j += L) {
                FloatVector w = (FloatVector) bytes(o + 2 + j).convertShape(VectorOperators.B2F, F, 0);
                p = w.fma(FloatVector.fromArray(F, xq, xo + j), p);
            }
            acc = p.fma(FloatVector.broadcast(F, f16(o) * xd[b]), acc);
        }
        return LaneMath.sum(acc);
    }

    @Override
    protected void dequantizeBlock(long o, float[] dst, int off) {
        float d = f16(o);
        for (int j = 0; j < BLOCK; j++) dst[off + j] = seg.get(ValueLayout.JAVA_BYTE, o + 2 + j) * d;
    }
}

package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml's Q5_0: blocks of 32 values, fp16 scale d, a 32-bit word of fifth bits (bit j for value j), then 16 bytes
 * of low nibbles as in Q4_0; each value is (nibble | fifth bit << 4) - 16, times d (22 bytes). Input in q8_0.
 */
public final class Q5_0Matrix extends BlockMatrix {
    public static final int BLOCK = 32, BYTES = 22;
    static final VectorSpecies<Integer> I = F.vectorShape().withLanes(int.class);
    static final IntVector IOTA = (IntVector) I.iotaShuffle(0, 1, false).toVector();

    public Q5_0Matrix(MemorySegment seg, long base, int rows, int cols) {
        super(seg, base, rows, cols, BLOCK, BYTES);
    }

    @Override
    public String typeName() {
        return "Q5_0";
    }

    @Override
    public void prepare(Activation x) {
        x.form(Q8BlockInput.Kind.INSTANCE);
    }

    /** Bits j .. j + L - 1 of qh, one per lane, as 0f or 16f. */
    static FloatVector fifthBits(int qh, int j) {
        IntVector bits = IntVector.broadcast(I, qh).lanewise(VectorOperators.LSHR, IOTA.add(j)).and(1).lanewise(VectorOperators.LSHL, 4);
        return (FloatVector) bits.convertShape(VectorOperators.I2F, F, 0);
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
            int qh = seg.get(INT, o + 2);
            FloatVector p = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                ByteVector v = bytes(o + 6 + j);
                FloatVector lo = ((FloatVector) v.and((byte) 0x0F).convertShape(VectorOperators.B2F, F, 0)).add(fifthBits(qh, j)).sub(16f);
                FloatVector hi = ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.B2F, F, 0)).add(fifthBits(qh, 16 + j)).sub(16f);
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
        int qh = seg.get(INT, o + 2);
        for (int j = 0; j < 16; j++) {
            int v = u8(o + 6 + j);
            dst[off + j] = (((v & 0xF) | ((qh >>> j) & 1) << 4) - 16) * d;
            dst[off + 16 + j] = (((v >> 4) | ((qh >>> (j + 16)) & 1) << 4) - 16) * d;
        }
    }
}

package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml's Q5_K: super-blocks of 256 values (176 bytes): fp16 d and dmin, 12 bytes of 6-bit scales and mins as in
 * Q4_K, 32 bytes of fifth bits (for the 64 values j: bit 2j of byte l for value l, bit 2j+1 for value 32 + l),
 * then 128 bytes of nibbles as in Q4_K; value = d * scale * q - dmin * min. Input in q8_K.
 */
public final class Q5KMatrix extends BlockMatrix {
    public static final int BLOCK = 256, BYTES = 176;

    public Q5KMatrix(MemorySegment seg, long base, int rows, int cols) {
        super(seg, base, rows, cols, BLOCK, BYTES);
    }

    @Override
    public String typeName() {
        return "Q5_K";
    }

    @Override
    public void prepare(Activation x) {
        x.form(Q8KInput.Kind.INSTANCE);
    }

    @Override
    public void matvec(Activation x, float[] out, int outOff, int r0, int r1) {
        Q8KInput in = x.form(Q8KInput.Kind.INSTANCE);
        for (int r = r0; r < r1; r++) out[outOff + r] = dotRow(base + r * rowBytes, in);
    }

    private float dotRow(long o, Q8KInput in) {
        float[] xq = in.q, xd = in.d, bs = in.bsums;
        FloatVector acc = FloatVector.zero(F);
        float minSum = 0f;
        int blocks = cols / BLOCK;
        for (int b = 0; b < blocks; b++, o += BYTES) {
            long sc = o + 4;
            FloatVector sb = FloatVector.zero(F);
            int mins = 0;
            for (int j = 0; j < 4; j++) {
                int xo = b * BLOCK + 64 * j;
                FloatVector pl = FloatVector.zero(F), ph = FloatVector.zero(F);
                for (int l = 0; l < 32; l += L) {
                    ByteVector v = bytes(o + 48 + 32 * j + l);
                    ByteVector h = bytes(o + 16 + l);
                    ByteVector lo = v.and((byte) 0x0F).or(h.lanewise(VectorOperators.LSHR, 2 * j).and((byte) 1).lanewise(VectorOperators.LSHL, 4));
                    ByteVector hi = v.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 2 * j + 1).and((byte) 1).lanewise(VectorOperators.LSHL, 4));
                    pl = ((FloatVector) lo.convertShape(VectorOperators.B2F, F, 0)).fma(FloatVector.fromArray(F, xq, xo + l), pl);
                    ph = ((FloatVector) hi.convertShape(VectorOperators.B2F, F, 0)).fma(FloatVector.fromArray(F, xq, xo + 32 + l), ph);
                }
                sb = pl.fma(FloatVector.broadcast(F, scaleK4(sc, 2 * j)), sb);
                sb = ph.fma(FloatVector.broadcast(F, scaleK4(sc, 2 * j + 1)), sb);
                int q = b * 16 + 4 * j;
                mins += minK4(sc, 2 * j) * (int) (bs[q] + bs[q + 1]) + minK4(sc, 2 * j + 1) * (int) (bs[q + 2] + bs[q + 3]);
            }
            acc = sb.fma(FloatVector.broadcast(F, f16(o) * xd[b]), acc);
            minSum += f16(o + 2) * xd[b] * mins;
        }
        return LaneMath.sum(acc) - minSum;
    }

    @Override
    protected void dequantizeBlock(long o, float[] dst, int off) {
        float d = f16(o), dmin = f16(o + 2);
        long sc = o + 4;
        for (int j = 0; j < 4; j++) {
            float d1 = d * scaleK4(sc, 2 * j), m1 = dmin * minK4(sc, 2 * j);
            float d2 = d * scaleK4(sc, 2 * j + 1), m2 = dmin * minK4(sc, 2 * j + 1);
            for (int l = 0; l < 32; l++) {
                int v = u8(o + 48 + 32 * j + l), h = u8(o + 16 + l);
                dst[off + 64 * j + l] = d1 * ((v & 0xF) + ((h >> (2 * j)) & 1) * 16) - m1;
                dst[off + 64 * j + 32 + l] = d2 * ((v >> 4) + ((h >> (2 * j + 1)) & 1) * 16) - m2;
            }
        }
    }
}

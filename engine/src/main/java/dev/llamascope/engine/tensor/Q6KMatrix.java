package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml's Q6_K: super-blocks of 256 values (210 bytes): 128 bytes of low nibbles (ql), 64 bytes of 2-bit high parts
 * (qh), sixteen int8 scales, fp16 d. Each half of 128 values uses 64 bytes of ql and 32 of qh: for l < 32, values
 * l, l+32, l+64, l+96 take the low/low/high/high nibbles of ql[l], ql[l+32], ql[l], ql[l+32] and bits 0-1, 2-3, 4-5,
 * 6-7 of qh[l]; value = d * scale[16-value group] * (q - 32). Input in q8_K.
 */
public final class Q6KMatrix extends BlockMatrix {
    public static final int BLOCK = 256, BYTES = 210;

    public Q6KMatrix(MemorySegment seg, long base, int rows, int cols) {
        super(seg, base, rows, cols, BLOCK, BYTES);
    }

    @Override
    public String typeName() {
        return "Q6_K";
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
        float[] xq = in.q, xd = in.d;
        FloatVector acc = FloatVector.zero(F);
        int blocks = cols / BLOCK;
        for (int b = 0; b < blocks; b++, o += BYTES) {
            FloatVector sb = FloatVector.zero(F);
            for (int n = 0; n < 2; n++) {
                long ql = o + 64 * n, qh = o + 128 + 32 * n, sc = o + 192 + 8 * n;
                int xo = b * BLOCK + 128 * n;
                for (int l = 0; l < 32; l += L) {
                    ByteVector a = bytes(ql + l), c = bytes(ql + 32 + l), h = bytes(qh + l);
                    int is = l / 16;
                    ByteVector q1 = a.and((byte) 0x0F).or(h.and((byte) 3).lanewise(VectorOperators.LSHL, 4));
                    ByteVector q2 = c.and((byte) 0x0F).or(h.lanewise(VectorOperators.LSHR, 2).and((byte) 3).lanewise(VectorOperators.LSHL, 4));
                    ByteVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 4).and((byte) 3).lanewise(VectorOperators.LSHL, 4));
                    ByteVector q4 = c.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 6).lanewise(VectorOperators.LSHL, 4));
                    sb = term(q1, xq, xo + l, scale(sc + is), sb);
                    sb = term(q2, xq, xo + 32 + l, scale(sc + is + 2), sb);
                    sb = term(q3, xq, xo + 64 + l, scale(sc + is + 4), sb);
                    sb = term(q4, xq, xo + 96 + l, scale(sc + is + 6), sb);
                }
            }
            acc = sb.fma(FloatVector.broadcast(F, f16(o + 208) * xd[b]), acc);
        }
        return LaneMath.sum(acc);
    }

    private static FloatVector term(ByteVector q, float[] xq, int xo, float scale, FloatVector sb) {
        FloatVector w = (FloatVector) q.sub((byte) 32).convertShape(VectorOperators.B2F, F, 0);
        return w.mul(FloatVector.fromArray(F, xq, xo)).fma(FloatVector.broadcast(F, scale), sb);
    }

    private float scale(long o) {
        return seg.get(ValueLayout.JAVA_BYTE, o);
    }

    @Override
    protected void dequantizeBlock(long o, float[] dst, int off) {
        float d = f16(o + 208);
        for (int n = 0; n < 2; n++) {
            long ql = o + 64 * n, qh = o + 128 + 32 * n, sc = o + 192 + 8 * n;
            int y = off + 128 * n;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int a = u8(ql + l), c = u8(ql + 32 + l), h = u8(qh + l);
                dst[y + l] = d * scale(sc + is) * (((a & 0xF) | ((h & 3) << 4)) - 32);
                dst[y + l + 32] = d * scale(sc + is + 2) * (((c & 0xF) | (((h >> 2) & 3) << 4)) - 32);
                dst[y + l + 64] = d * scale(sc + is + 4) * (((a >> 4) | (((h >> 4) & 3) << 4)) - 32);
                dst[y + l + 96] = d * scale(sc + is + 6) * (((c >> 4) | (((h >> 6) & 3) << 4)) - 32);
            }
        }
    }
}

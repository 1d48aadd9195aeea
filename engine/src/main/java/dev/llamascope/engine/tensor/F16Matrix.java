package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;

/**
 * Half-precision weights (IEEE fp16, or bfloat16) read in place. The input stays fp32 (llama.cpp rounds it to
 * fp16 for fp16 weights; keeping it exact costs nothing here and keeps the output closer to the fp32 model).
 */
public final class F16Matrix extends Matrix {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int L = Half.F.length();

    private final MemorySegment seg;
    private final long base;
    private final boolean bf16;

    /** fp16 (bf16 = false) or bfloat16 values, row-major, at base. */
    public F16Matrix(MemorySegment seg, long base, int rows, int cols, boolean bf16) {
        super(rows, cols);
        if (base < 0 || base + (long) rows * cols * 2 > seg.byteSize())
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " at " + base + " does not fit in " + seg.byteSize() + " bytes");
        this.seg = seg;
        this.base = base;
        this.bf16 = bf16;
    }

    public boolean isBf16() {
        return bf16;
    }

    @Override
    public String typeName() {
        return bf16 ? "BF16" : "F16";
    }

    @Override
    public long byteSize() {
        return (long) rows * cols * 2;
    }

    @Override
    public void matvec(Activation x, float[] out, int outOff, int r0, int r1) {
        float[] xs = x.data;
        for (int r = r0; r < r1; r++) out[outOff + r] = dot(base + (long) r * cols * 2, xs);
    }

    private float dot(long off, float[] x) {
        int n = cols;
        FloatVector a0 = FloatVector.zero(Half.F), a1 = FloatVector.zero(Half.F);
        int i = 0;
        for (int bound = n - n % (2 * L); i < bound; i += 2 * L) {
            long o = off + 2L * i;
            a0 = widen(o).fma(FloatVector.fromArray(Half.F, x, i), a0);
            a1 = widen(o + 2L * L).fma(FloatVector.fromArray(Half.F, x, i + L), a1);
        }
        for (int bound = n - n % L; i < bound; i += L) {
            a0 = widen(off + 2L * i).fma(FloatVector.fromArray(Half.F, x, i), a0);
        }
        float sum = LaneMath.sum(a0.add(a1));
        for (; i < n; i++) sum += value(off + 2L * i) * x[i];
        return sum;
    }

    private FloatVector widen(long o) {
        ShortVector h = ShortVector.fromMemorySegment(Half.S, seg, o, ByteOrder.LITTLE_ENDIAN);
        return bf16 ? Half.bf16ToFloat(h) : Half.f16ToFloat(h);
    }

    private float value(long o) {
        short h = seg.get(SHORT, o);
        return bf16 ? Half.bf16ToFloat(h) : Half.toFloat(h);
    }

    @Override
    public void readRow(int r, float[] dst, int off) {
        readRow(r, 0, cols, dst, off);
    }

    @Override
    public void readRow(int r, int c0, int n, float[] dst, int off) {
        long o = base + ((long) r * cols + c0) * 2;
        for (int i = 0; i < n; i++) dst[off + i] = value(o + 2L * i);
    }
}

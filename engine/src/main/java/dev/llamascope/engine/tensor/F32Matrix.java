package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** fp32 weights read in place from a memory segment (a mapped checkpoint, or a heap array for training). */
public final class F32Matrix extends Matrix {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment seg;
    private final long base;

    public F32Matrix(MemorySegment seg, long base, int rows, int cols) {
        super(rows, cols);
        if (base < 0 || base + (long) rows * cols * 4 > seg.byteSize())
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " at " + base + " does not fit in " + seg.byteSize() + " bytes");
        this.seg = seg;
        this.base = base;
    }

    /** A matrix over a heap array (training weights, tests): see {@link F32ArrayMatrix} for why it is another class. */
    public static Matrix of(float[] values, int rows, int cols) {
        return new F32ArrayMatrix(values, 0, rows, cols);
    }

    public MemorySegment segment() {
        return seg;
    }

    public long base() {
        return base;
    }

    @Override
    public String typeName() {
        return "F32";
    }

    @Override
    public long byteSize() {
        return (long) rows * cols * 4;
    }

    @Override
    public void matvec(Activation x, float[] out, int outOff, int r0, int r1) {
        float[] xs = x.data;
        for (int r = r0; r < r1; r++) out[outOff + r] = dot(seg, base + (long) r * cols * 4, xs, cols);
    }

    /** The compute-bound path: a tiled matrix-matrix product (rounding differs from decode only in sum order). */
    @Override
    public void matmul(ComputePool pool, float[] a, int n, float[] out, int off, int ldc) {
        Gemm.gemm(pool, n, rows, cols, a, 0, cols, 1, Gemm.transposed(this), out, off, ldc, false);
    }

    /**
     * dot(w[off .. off + 4n), x[0 .. n)). Two accumulators: the loop is bound by memory, and this shape streamed
     * ~10% faster than four accumulators on 768-wide rows here (31 vs 28 GB/s on two threads).
     */
    static float dot(MemorySegment w, long off, float[] x, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int i = 0;
        for (int bound = n - n % (2 * L); i < bound; i += 2 * L) {
            long o = off + (long) i * 4;
            a0 = FloatVector.fromMemorySegment(F, w, o, ByteOrder.LITTLE_ENDIAN).fma(FloatVector.fromArray(F, x, i), a0);
            a1 = FloatVector.fromMemorySegment(F, w, o + 4L * L, ByteOrder.LITTLE_ENDIAN).fma(FloatVector.fromArray(F, x, i + L), a1);
        }
        for (int bound = n - n % L; i < bound; i += L) {
            a0 = FloatVector.fromMemorySegment(F, w, off + (long) i * 4, ByteOrder.LITTLE_ENDIAN).fma(FloatVector.fromArray(F, x, i), a0);
        }
        float sum = LaneMath.sum(a0.add(a1));
        for (; i < n; i++) sum += w.get(FLOAT, off + (long) i * 4) * x[i];
        return sum;
    }

    @Override
    public void readRow(int r, float[] dst, int off) {
        MemorySegment.copy(seg, FLOAT, base + (long) r * cols * 4, dst, off, cols);
    }

    @Override
    public void readRow(int r, int c0, int n, float[] dst, int off) {
        MemorySegment.copy(seg, FLOAT, base + ((long) r * cols + c0) * 4, dst, off, n);
    }
}

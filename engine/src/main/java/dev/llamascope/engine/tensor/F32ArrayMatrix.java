package dev.llamascope.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * fp32 weights in a Java array, for weights that change (the trainer's, whose samples run on the live values) and
 * for tests. A class of its own rather than {@link F32Matrix} over a heap segment: the JIT specialises a Vector API
 * load for the segment classes it has seen, and one call site fed both mapped and heap segments ran 3-5x slower
 * for every model after (see {@code util/Segments}). The arithmetic is {@link F32Matrix}'s, lane for lane.
 */
public final class F32ArrayMatrix extends Matrix {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private final float[] w;
    private final int off;

    public F32ArrayMatrix(float[] w, int off, int rows, int cols) {
        super(rows, cols);
        if (off < 0 || off + (long) rows * cols > w.length)
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " at " + off + " does not fit in " + w.length + " floats");
        this.w = w;
        this.off = off;
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
        for (int r = r0; r < r1; r++) out[outOff + r] = dot(w, off + r * cols, xs, cols);
    }

    /** The same loop as F32Matrix.dot, on an array. */
    static float dot(float[] w, int o, float[] x, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int i = 0;
        for (int bound = n - n % (2 * L); i < bound; i += 2 * L) {
            a0 = FloatVector.fromArray(F, w, o + i).fma(FloatVector.fromArray(F, x, i), a0);
            a1 = FloatVector.fromArray(F, w, o + i + L).fma(FloatVector.fromArray(F, x, i + L), a1);
        }
        for (int bound = n - n % L; i < bound; i += L) {
            a0 = FloatVector.fromArray(F, w, o + i).fma(FloatVector.fromArray(F, x, i), a0);
        }
        float sum = LaneMath.sum(a0.add(a1));
        for (; i < n; i++) sum += w[o + i] * x[i];
        return sum;
    }

    @Override
    public void matmul(ComputePool pool, float[] a, int n, float[] out, int outOff, int ldc) {
        Gemm.gemm(pool, n, rows, cols, a, 0, cols, 1, Gemm.transposed(w, off, cols), out, outOff, ldc, false);
    }

    @Override
    public void readRow(int r, float[] dst, int dstOff) {
        System.arraycopy(w, off + r * cols, dst, dstOff, cols);
    }

    @Override
    public void readRow(int r, int c0, int n, float[] dst, int dstOff) {
        System.arraycopy(w, off + r * cols + c0, dst, dstOff, n);
    }
}

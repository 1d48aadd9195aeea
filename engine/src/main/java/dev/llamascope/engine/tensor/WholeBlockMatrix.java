package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A block format whose decode sums each block's 32 products with the q8_0 input exactly before one fma with the two
 * scales (Q8_0, Q4_0): per row, acc = fma(dot_b, d_w[b] * d_x[b], acc) over the blocks in order. What they share:
 * prefill through {@link WholeGroupGemm} (the same bits as that decode), the rows unpacked for it, and the heap copy
 * their decode kernels run on.
 */
abstract class WholeBlockMatrix extends BlockMatrix {
    WholeBlockMatrix(MemorySegment seg, long base, int rows, int cols, int blockBytes) {
        super(seg, base, rows, cols, Q8BlockInput.QK, blockBytes);
    }

    /** Prefill: {@link WholeGroupGemm}, decode's arithmetic, bitwise {@link #matvec}. */
    @Override
    public final void matmul(ComputePool pool, float[] a, int n, float[] out, int off, int ldc) {
        WholeGroupGemm.matmul(pool, this, a, n, out, off, ldc);
    }

    @Override
    public final void matmul(ComputePool pool, PrefillBatch in, float[] out, int off, int ldc) {
        WholeGroupGemm.matmul(pool, this, in, out, off, ldc);
    }

    /** Row r's values as the integers decode multiplies (in floats) into values[vOff ..], its block scales into scales[sOff ..]. */
    final void unpackRow(int r, float[] values, int vOff, float[] scales, int sOff) {
        long o = base + r * rowBytes;
        for (int b = 0; b < cols / blockSize; b++, o += blockBytes) scales[sOff + b] = unpackBlock(o, values, vOff + b * blockSize);
    }

    /** The block at o as the integers decode multiplies (in floats) into dst[off ..]; returns its scale as decode uses it. */
    abstract float unpackBlock(long o, float[] dst, int off);

    /**
     * Rows g * n .. g * n + n - 1 (those that exist) into out[0 ..] in scalar code on the blocks in place: the decode
     * arithmetic itself, acc = fma(dot_b, d_w * d_x, acc) over the blocks in order. For a matrix without its heap copy.
     */
    final void groupScalar(int g, int n, Q8BlockInput in, float[] out) {
        for (int rr = 0; rr < n; rr++) {
            int r = g * n + rr;
            if (r >= rows) break;
            long o = base + r * rowBytes;
            float acc = 0f;
            for (int b = 0; b < cols / blockSize; b++, o += blockBytes) acc = Math.fma((float) blockDot(o, in, b), f16(o) * in.d[b], acc);
            out[rr] = acc;
        }
    }

    /** The exact integer dot product of the block at o with block b of the input. */
    abstract int blockDot(long o, Q8BlockInput in, int b);

    /**
     * A zeroed heap array of size bytes for a decode copy, or null when the heap cannot hold it (a model larger than the
     * heap: by default a quarter of the memory, more with LLAMASCOPE_JAVA_OPTS=-Xmx...) or an array cannot be that
     * large. The matrix then runs its scalar kernel on the mapped blocks: the same bits, only slower.
     */
    static byte[] heapCopy(long size) {
        if (size > Integer.MAX_VALUE - 16) return null;
        try {
            return new byte[(int) size];
        } catch (OutOfMemoryError e) {
            return null;
        }
    }
}

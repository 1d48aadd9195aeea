package dev.llamascope.engine.tensor;

/**
 * A 2-D weight matrix (rows x cols, row-major) in one storage type. Inference multiplies it with a vector
 * ({@link #matvec}, decode) or with a block of vectors through {@link Gemm} (prefill), which reads rows with
 * {@link #readRow}. One subclass per storage type, each with its own Vector API kernel.
 *
 * <p>The int8 group kernel runs its {@link #matvec} rows in pairs half the range apart, both rows in one loop with the
 * same operations per row as one at a time (so the results do not change). Decode streams each weight once from
 * memory, and one core kept more reads in flight with two streams than with one (1.5x on 768x2048 int8 matrices out
 * of L2, one thread; +33-35% decode of 42M int8 v2, see bench/README.md). Q8_0 and Q4_0 run groups of 16 rows at once
 * from copies repacked with the rows interleaved (see Q8_0Matrix, Q4_0Matrix); Q8_0 two groups half the range apart,
 * for the same reason. The fp32 kernel runs one row at a time.
 */
public abstract class Matrix {
    protected final int rows;
    protected final int cols;

    protected Matrix(int rows, int cols) {
        if (rows <= 0 || cols <= 0) throw new IllegalArgumentException("bad matrix shape " + rows + "x" + cols);
        this.rows = rows;
        this.cols = cols;
    }

    public final int rows() {
        return rows;
    }

    public final int cols() {
        return cols;
    }

    /** The storage type, for model cards and {@code info}. */
    public abstract String typeName();

    /** Bytes the weights occupy in their storage. */
    public abstract long byteSize();

    /**
     * Makes the input ready for {@link #matvec} (quantizes it for kernels that work on quantized inputs).
     * Called once per input value on one thread, before the parallel loop; cached inside the activation.
     */
    public void prepare(Activation x) {}

    /** out[outOff + r] = dot(row r, x) for r0 <= r < r1. Safe to call from several threads on disjoint ranges. */
    public abstract void matvec(Activation x, float[] out, int outOff, int r0, int r1);

    /**
     * {@link #matmul(ComputePool, float[], int, float[], int, int)} of a batch's rows. Kernels that quantize their input
     * in prefill (Q8_0, Q4_0) keep the quantization in the batch, so the products of one input share it.
     */
    public void matmul(ComputePool pool, PrefillBatch in, float[] out, int off, int ldc) {
        matmul(pool, in.values, in.rows(), out, off, ldc);
    }

    /**
     * out[off + t * ldc + r] = dot(row r, a[t * cols ..]) for n input rows: the product of a block of tokens
     * (prefill). This default runs the decode kernel ({@link #matvec}) on blocks of rows that stay in cache across
     * the tokens, so every value is bitwise what decode computes: quantized kernels quantize their input, and a
     * different summation order would move values across rounding steps and change the text. Float matrices
     * override it with a real matrix-matrix kernel ({@link Gemm}); Q8_0, Q4_0 and llama2.c int8 groups with one that
     * keeps decode's arithmetic ({@link WholeGroupGemm}, {@link LaneGemm}).
     */
    public void matmul(ComputePool pool, float[] a, int n, float[] out, int off, int ldc) {
        Activation[] in = new Activation[n];
        for (int t = 0; t < n; t++) {
            in[t] = new Activation(cols);
            System.arraycopy(a, t * cols, in[t].data, 0, cols);
            prepare(in[t]);
        }
        int block = Math.max(1, Math.min(64, (int) (16384 / Math.max(1, byteSize() / rows))));
        pool.parallelFor(rows, block, (r0, r1) -> {
            for (int t = 0; t < n; t++) matvec(in[t], out, off + t * ldc, r0, r1);
        });
    }

    /** Writes row r as floats (dequantized) into dst[off, off + cols). */
    public abstract void readRow(int r, float[] dst, int off);

    /** Writes columns [c0, c0 + n) of row r as floats into dst[off, off + n). */
    public void readRow(int r, int c0, int n, float[] dst, int off) {
        float[] row = new float[cols];
        readRow(r, row, 0);
        System.arraycopy(row, c0, dst, off, n);
    }

    @Override
    public String toString() {
        return typeName() + "[" + rows + "x" + cols + "]";
    }
}

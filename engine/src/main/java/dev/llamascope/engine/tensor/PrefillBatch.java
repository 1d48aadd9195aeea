package dev.llamascope.engine.tensor;

/**
 * The inputs of a block of prompt tokens for {@link Matrix#matmul(ComputePool, PrefillBatch, float[], int, int)}:
 * n rows of fp32 values plus the quantized form that Q8_0 and Q4_0 prefill computes from them, kept until the values
 * are rewritten. Prefill's counterpart of {@link Activation}: q, k and v (and w1, w3) multiply the same input, and
 * quantizing it once instead of once per matrix saves two of every three quantizations there.
 *
 * <p>The owner rewrites {@link #values} and then calls {@link #fresh(int)}, which forgets the cached form.
 */
public final class PrefillBatch {
    /** Row t's values at values[t * cols ..]. */
    public final float[] values;
    private final int cols;
    private int n;
    /** The q8_0 tiles of the current values (WholeGroupGemm's layout), and whether they are current. */
    private float[] xp = new float[0], xd = new float[0];
    private LaneGemm.Inputs tiles;

    public PrefillBatch(float[] values, int cols) {
        if (cols <= 0) throw new IllegalArgumentException("rows of " + cols + " values");
        this.values = values;
        this.cols = cols;
    }

    /** Declares the first n rows of {@link #values} new: the next product quantizes them again. Returns this. */
    public PrefillBatch fresh(int n) {
        if (n < 0 || (long) n * cols > values.length) throw new IllegalArgumentException(n + " rows of " + cols + " in " + values.length + " values");
        this.n = n;
        this.tiles = null;
        return this;
    }

    public int rows() {
        return n;
    }

    public int cols() {
        return cols;
    }

    /** The q8_0 tiles of the current rows, computed on first use since {@link #fresh(int)}. */
    LaneGemm.Inputs q8Tiles(ComputePool pool) {
        if (tiles == null) {
            int t = WholeGroupGemm.tiles(n), groups = cols / Q8BlockInput.QK;
            if (xp.length < t * cols * LaneGemm.TT) xp = new float[t * cols * LaneGemm.TT];
            if (xd.length < t * groups * LaneGemm.TT) xd = new float[t * groups * LaneGemm.TT];
            tiles = WholeGroupGemm.inputs(pool, values, n, cols, xp, xd);
        }
        return tiles;
    }
}

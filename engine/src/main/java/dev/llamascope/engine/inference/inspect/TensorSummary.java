package dev.llamascope.engine.inference.inspect;

import dev.llamascope.engine.tensor.Matrix;

/**
 * A tensor made small enough to draw: every k-th row and column (nearest sampling, so the values keep their real
 * size; averaging blocks of random-looking weights would wash them out to zero), plus statistics over all of it.
 *
 * @param rows       rows of the picture
 * @param cols       columns of the picture
 * @param sourceRows rows of the tensor
 * @param sourceCols columns of the tensor
 * @param values     rows x cols, row-major
 * @param stats      over every value of the tensor, not only the sampled ones
 */
public record TensorSummary(int rows, int cols, int sourceRows, int sourceCols, float[] values, Stats stats) {

    /** Mean, standard deviation, Frobenius norm (square root of the sum of squares), range; computed in double. */
    public record Stats(long count, double mean, double std, double frobenius, double min, double max) {}

    /** A weight matrix, reading each row once through {@link Matrix#readRow} (dequantized). */
    public static TensorSummary of(Matrix m, int maxRows, int maxCols) {
        int R = Math.min(m.rows(), maxRows), C = Math.min(m.cols(), maxCols);
        float[] row = new float[m.cols()];
        float[] values = new float[R * C];
        StatsBuilder s = new StatsBuilder();
        int next = 0;
        for (int r = 0; r < m.rows(); r++) {
            m.readRow(r, row, 0);
            s.add(row, 0, row.length);
            while (next < R && sample(next, R, m.rows()) == r) {
                for (int j = 0; j < C; j++) values[next * C + j] = row[sample(j, C, m.cols())];
                next++;
            }
        }
        return new TensorSummary(R, C, m.rows(), m.cols(), values, s.build());
    }

    /** A vector (a norm's gains) as one row. */
    public static TensorSummary of(float[] v, int maxCols) {
        return of(new float[][] {v}, 1, maxCols);
    }

    /** Rows of equal length (activations: one row per position). */
    public static TensorSummary of(float[][] rowsIn, int maxRows, int maxCols) {
        if (rowsIn.length == 0 || rowsIn[0].length == 0) throw new IllegalArgumentException("nothing to summarise");
        int srcR = rowsIn.length, srcC = rowsIn[0].length;
        int R = Math.min(srcR, maxRows), C = Math.min(srcC, maxCols);
        float[] values = new float[R * C];
        StatsBuilder s = new StatsBuilder();
        for (float[] r : rowsIn) {
            if (r.length != srcC) throw new IllegalArgumentException("rows of different lengths");
            s.add(r, 0, r.length);
        }
        for (int i = 0; i < R; i++) {
            float[] r = rowsIn[sample(i, R, srcR)];
            for (int j = 0; j < C; j++) values[i * C + j] = r[sample(j, C, srcC)];
        }
        return new TensorSummary(R, C, srcR, srcC, values, s.build());
    }

    /** The source index shown at picture index i of n (out of src). */
    public static int sample(int i, int n, int src) {
        return (int) ((long) i * src / n);
    }

    /** The largest absolute value in the picture (for a symmetric colour scale). */
    public float maxAbs() {
        float m = 0;
        for (float v : values) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static final class StatsBuilder {
        long n;
        double sum, sumSq, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;

        void add(float[] v, int off, int len) {
            for (int i = off; i < off + len; i++) {
                double x = v[i];
                sum += x;
                sumSq += x * x;
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            n += len;
        }

        Stats build() {
            double mean = sum / n;
            double var = Math.max(0, sumSq / n - mean * mean);
            return new Stats(n, mean, Math.sqrt(var), Math.sqrt(sumSq), min, max);
        }
    }
}

package dev.llamascope.app.ui.viz;

import dev.llamascope.engine.inference.inspect.AttentionMatrix;
import dev.llamascope.engine.inference.inspect.TensorSummary;

/** A matrix to draw: rows x cols values, some cells masked (drawn in the masked colour, not the scale). */
public interface MatrixSource {
    int rows();

    int cols();

    float get(int r, int c);

    default boolean masked(int r, int c) {
        return false;
    }

    /**
     * Copies the values of row r from column 0 into dst and returns how many columns are visible before the mask
     * (all of them when nothing is masked at the end of the row): the fast path for painting whole rows.
     */
    default int copyRow(int r, float[] dst) {
        int n = cols();
        while (n > 0 && masked(r, n - 1)) n--;
        for (int c = 0; c < n; c++) dst[c] = get(r, c);
        return n;
    }

    /** The smallest and largest unmasked value. */
    default float[] range() {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int r = 0; r < rows(); r++) {
            for (int c = 0; c < cols(); c++) {
                if (masked(r, c)) continue;
                float v = get(r, c);
                if (Float.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo > hi ? new float[] {0, 1} : new float[] {lo, hi};
    }

    /** A head's attention: query rows, key columns, keys after the query masked. */
    static MatrixSource of(AttentionMatrix m) {
        return new MatrixSource() {
            public int rows() {
                return m.size();
            }

            public int cols() {
                return m.size();
            }

            public float get(int r, int c) {
                return m.get(r, c);
            }

            public boolean masked(int r, int c) {
                return c > r;
            }

            public float[] range() {
                return m.range();
            }

            public int copyRow(int r, float[] dst) {
                m.copyRow(r, dst, 0);
                return r + 1;
            }
        };
    }

    /** A dense n x n row-major matrix; with causal, cells above the diagonal are masked. */
    static MatrixSource dense(int n, float[] values, boolean causal) {
        return new MatrixSource() {
            public int rows() {
                return n;
            }

            public int cols() {
                return n;
            }

            public float get(int r, int c) {
                return values[r * n + c];
            }

            public boolean masked(int r, int c) {
                return causal && c > r;
            }
        };
    }

    /** The picture of a tensor summary. */
    static MatrixSource of(TensorSummary s) {
        return new MatrixSource() {
            public int rows() {
                return s.rows();
            }

            public int cols() {
                return s.cols();
            }

            public float get(int r, int c) {
                return s.values()[r * s.cols() + c];
            }
        };
    }
}

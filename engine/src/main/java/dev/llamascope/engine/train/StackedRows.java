package dev.llamascope.engine.train;

import dev.llamascope.engine.tensor.Gemm;
import dev.llamascope.engine.tensor.Gemm.PanelSource;

/**
 * Several row-major matrices with the same number of columns, read as one taller matrix whose rows are theirs in
 * order (wq, wk, wv of a layer; or w1, w3). One GEMM then computes q, k and v (or both SwiGLU inputs) from one
 * packing of the input, and the backward pass sums their input gradients in one product.
 */
record StackedRows(float[] w, int[] offsets, int[] rows, int cols) {

    static StackedRows of(float[] w, int cols, int... offsetRowPairs) {
        int n = offsetRowPairs.length / 2;
        int[] o = new int[n], r = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = offsetRowPairs[2 * i];
            r[i] = offsetRowPairs[2 * i + 1];
        }
        return new StackedRows(w, o, r, cols);
    }

    int totalRows() {
        int t = 0;
        for (int r : rows) t += r;
        return t;
    }

    /** Offset in w of stacked row r. */
    int rowOffset(int r) {
        int i = 0;
        while (r >= rows[i]) r -= rows[i++];
        return offsets[i] + r * cols;
    }

    /** B(k, n) = row n, column k: C = A * stack^T (the forward pass of nn.Linear). */
    PanelSource transposed() {
        return (n0, nc, k0, kc, dst) -> {
            int nr = Gemm.NR;
            for (int j = 0; j < nc; j++) {
                int src = rowOffset(n0 + j) + k0;
                for (int k = 0; k < kc; k++) dst[k * nr + j] = w[src + k];
            }
            if (nc < nr) for (int k = 0; k < kc; k++) for (int j = nc; j < nr; j++) dst[k * nr + j] = 0f;
        };
    }

    /** B(k, n) = row k, column n: C = A * stack (the input gradient of nn.Linear). */
    PanelSource rowMajor() {
        return (n0, nc, k0, kc, dst) -> {
            int nr = Gemm.NR;
            for (int k = 0; k < kc; k++) {
                System.arraycopy(w, rowOffset(k0 + k) + n0, dst, k * nr, nc);
                for (int j = nc; j < nr; j++) dst[k * nr + j] = 0f;
            }
        };
    }
}

package dev.llamascope.engine.inference.inspect;

import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tensor.Kernels;

/**
 * The logit lens: the model's final RMSNorm and classifier applied to the residual stream after every layer (and
 * to the embeddings), as if the model stopped there. Row 0 is the embedding, row l + 1 the output of layer l; the
 * last row is the model's own output. Per cell it keeps the top-k tokens with their probabilities and the
 * probability and rank of the model's final prediction, so a view can show at which layer that prediction appears.
 */
public final class LogitLens {
    private final int rows, positions, k, vocab;
    private final int[] topIds;      // [row][pos][k]
    private final float[] topProbs;  // [row][pos][k]
    private final float[] finalProb; // [row][pos]
    private final int[] finalRank;   // [row][pos]
    private final int[] finalToken;  // [pos]
    private final LlamaModel model;
    private final float[][] residuals;

    private LogitLens(LlamaModel model, float[][] residuals, int positions, int k) {
        this.model = model;
        this.residuals = residuals;
        this.rows = residuals.length;
        this.positions = positions;
        this.k = k;
        this.vocab = model.config().vocabSize();
        topIds = new int[rows * positions * k];
        topProbs = new float[rows * positions * k];
        finalProb = new float[rows * positions];
        finalRank = new int[rows * positions];
        finalToken = new int[positions];
    }

    /**
     * Computes the lens for recorded residuals (from {@link Inspection#residuals()}): the classifier runs as a
     * matrix-matrix product over blocks of positions, the softmax and rankings in parallel on the pool.
     */
    public static LogitLens compute(LlamaModel model, float[][] residuals, int positions, int k, ComputePool pool) {
        if (residuals == null) throw new IllegalArgumentException("the residual stream was not recorded");
        if (residuals.length != model.config().nLayers() + 1) throw new IllegalArgumentException("expected " + (model.config().nLayers() + 1) + " residual rows");
        if (k < 1) throw new IllegalArgumentException("the lens needs k >= 1");
        LogitLens lens = new LogitLens(model, residuals, positions, Math.min(k, model.config().vocabSize()));
        lens.fill(pool);
        return lens;
    }

    private void fill(ComputePool pool) {
        int dim = model.config().dim();
        int chunk = Math.max(1, Math.min(positions, (1 << 22) / vocab));
        float[] in = new float[chunk * dim], out = new float[chunk * vocab];
        // the last row first: its top token is the final prediction every other row is compared with
        for (int r = rows - 1; r >= 0; r--) {
            for (int p0 = 0; p0 < positions; p0 += chunk) {
                int m = Math.min(chunk, positions - p0);
                for (int i = 0; i < m; i++)
                    Kernels.rmsnorm(in, i * dim, residuals[r], (p0 + i) * dim, model.finalNorm(), dim, model.config().rmsEps());
                model.classifier().matmul(pool, in, m, out, 0, vocab);
                final int row = r, first = p0;
                pool.parallelFor(m, 1, (s, e) -> {
                    for (int i = s; i < e; i++) summarise(row, first + i, out, i * vocab);
                });
            }
        }
    }

    /** Softmax of one row of logits in place (buf[off .. off + vocab)), then its top-k and the final token's rank. */
    private void summarise(int row, int pos, float[] buf, int off) {
        Kernels.softmax(buf, off, vocab);
        int[] ids = Distribution.topK(buf, off, vocab, k);
        int cell = row * positions + pos;
        for (int j = 0; j < k; j++) {
            topIds[cell * k + j] = ids[j];
            topProbs[cell * k + j] = buf[off + ids[j]];
        }
        if (row == rows - 1) finalToken[pos] = ids[0];
        int f = finalToken[pos];
        finalProb[cell] = buf[off + f];
        finalRank[cell] = Distribution.rank(buf, off, vocab, f);
    }

    /** Rows: the embedding, then one per layer. */
    public int rows() {
        return rows;
    }

    public int positions() {
        return positions;
    }

    public int k() {
        return k;
    }

    /** The j-th most likely token at a row and position. */
    public int top(int row, int pos, int j) {
        return topIds[(row * positions + pos) * k + j];
    }

    public float topProb(int row, int pos, int j) {
        return topProbs[(row * positions + pos) * k + j];
    }

    /** The model's final prediction at a position (the last row's top token). */
    public int finalToken(int pos) {
        return finalToken[pos];
    }

    /** The probability this row gives the final prediction. */
    public float finalProb(int row, int pos) {
        return finalProb[row * positions + pos];
    }

    /** The rank this row gives the final prediction (0 = already the top). */
    public int finalRank(int row, int pos) {
        return finalRank[row * positions + pos];
    }

    /** The first row from which the final prediction is the top token in every row up to the last. */
    public int settledRow(int pos) {
        int r = rows - 1;
        while (r > 0 && finalRank(r - 1, pos) == 0) r--;
        return r;
    }

    /** The whole lens distribution at a row and position, recomputed (one classifier product). */
    public float[] distribution(int row, int pos) {
        int dim = model.config().dim();
        dev.llamascope.engine.tensor.Activation x = new dev.llamascope.engine.tensor.Activation(dim);
        Kernels.rmsnorm(x.data, 0, residuals[row], pos * dim, model.finalNorm(), dim, model.config().rmsEps());
        x.changed();
        float[] logits = new float[vocab];
        model.classifier().prepare(x);
        model.classifier().matvec(x, logits, 0, 0, vocab);
        Kernels.softmax(logits, 0, vocab);
        return logits;
    }
}

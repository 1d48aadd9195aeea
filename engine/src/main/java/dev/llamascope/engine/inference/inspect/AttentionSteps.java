package dev.llamascope.engine.inference.inspect;

import dev.llamascope.engine.model.ModelConfig;

/**
 * The three steps of one head's attention over a text, for showing them side by side: the raw scores
 * q_i·k_j/sqrt(head_size) for every pair (also the future keys the model never looks at), the same with the
 * causal mask (-infinity above the diagonal), and the softmax of each masked row. Computed from the queries and
 * keys after RoPE, in double; the model's own recorded scores agree on the lower triangle within float rounding.
 *
 * @param raw    n x n, row-major
 * @param masked n x n, -infinity where j > i
 * @param softmax n x n, 0 where j > i
 */
public record AttentionSteps(int n, float[] raw, float[] masked, float[] softmax) {

    /**
     * @param qRope [pos][dim] queries after RoPE (site Q_ROPE)
     * @param kRope [pos][kv_dim] keys after RoPE (site K_ROPE)
     */
    public static AttentionSteps of(ModelConfig c, float[][] qRope, float[][] kRope, int head) {
        int n = qRope.length, hs = c.headSize();
        if (kRope.length != n) throw new IllegalArgumentException("queries and keys of different lengths");
        if (head < 0 || head >= c.nHeads()) throw new IllegalArgumentException("no head " + head);
        int qo = head * hs, ko = (head / (c.nHeads() / c.nKvHeads())) * hs;
        double scale = Math.sqrt(hs);
        float[] raw = new float[n * n], masked = new float[n * n], soft = new float[n * n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] row = new double[n];
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int d = 0; d < hs; d++) s += (double) qRope[i][qo + d] * kRope[j][ko + d];
                row[j] = s / scale;
                raw[i * n + j] = (float) row[j];
                masked[i * n + j] = j > i ? Float.NEGATIVE_INFINITY : (float) row[j];
                if (j <= i) max = Math.max(max, row[j]);
            }
            double sum = 0;
            for (int j = 0; j <= i; j++) sum += Math.exp(row[j] - max);
            for (int j = 0; j < n; j++) soft[i * n + j] = j > i ? 0f : (float) (Math.exp(row[j] - max) / sum);
        }
        return new AttentionSteps(n, raw, masked, soft);
    }
}

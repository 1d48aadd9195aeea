package dev.llamascope.engine.inference.inspect;

import dev.llamascope.engine.model.LayerWeights;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.tensor.Matrix;

/**
 * An independent forward pass in double precision, written straight from the Llama-2 equations (not sharing any
 * code with the engine's kernels): embedding, per layer RMSNorm, q/k/v, RoPE on interleaved pairs, causal
 * softmax attention with GQA, Wo, residual, RMSNorm, SwiGLU, residual; final RMSNorm and the classifier. It keeps
 * every head's scores and weights and the residual stream, for comparing with what the probes record.
 */
final class DoubleReference {
    final int n;
    /** [layer][head][q][k] for k <= q. */
    final double[][][][] scores, weights;
    /** [layer + 1][pos][dim]: [0] embeddings. */
    final double[][][] residuals;
    /** [pos][vocab]. */
    final double[][] logits;

    DoubleReference(LlamaModel m, int[] tokens) {
        ModelConfig c = m.config();
        n = tokens.length;
        int dim = c.dim(), hs = c.headSize(), heads = c.nHeads(), kvDim = c.kvDim(), L = c.nLayers();
        int group = heads / c.nKvHeads();
        scores = new double[L][heads][n][];
        weights = new double[L][heads][n][];
        residuals = new double[L + 1][n][];
        logits = new double[n][];
        double[][] x = new double[n][];
        for (int p = 0; p < n; p++) x[p] = row(m.tokenEmbedding(), tokens[p]);
        for (int p = 0; p < n; p++) residuals[0][p] = x[p].clone();
        for (int l = 0; l < L; l++) {
            LayerWeights w = m.layers().get(l);
            double[][] Wq = mat(w.wq()), Wk = mat(w.wk()), Wv = mat(w.wv()), Wo = mat(w.wo());
            double[][] W1 = mat(w.w1()), W2 = mat(w.w2()), W3 = mat(w.w3());
            double[][] q = new double[n][], k = new double[n][], v = new double[n][];
            for (int p = 0; p < n; p++) {
                double[] xn = rmsnorm(x[p], w.attnNorm(), c.rmsEps());
                q[p] = rope(mul(Wq, xn), p, hs, c.ropeTheta());
                k[p] = rope(mul(Wk, xn), p, hs, c.ropeTheta());
                v[p] = mul(Wv, xn);
            }
            for (int p = 0; p < n; p++) {
                double[] mix = new double[dim];
                for (int h = 0; h < heads; h++) {
                    int kvOff = (h / group) * hs;
                    double[] s = new double[p + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int t = 0; t <= p; t++) {
                        double d = 0;
                        for (int i = 0; i < hs; i++) d += q[p][h * hs + i] * k[t][kvOff + i];
                        s[t] = d / Math.sqrt(hs);
                        max = Math.max(max, s[t]);
                    }
                    double sum = 0;
                    double[] a = new double[p + 1];
                    for (int t = 0; t <= p; t++) sum += a[t] = Math.exp(s[t] - max);
                    for (int t = 0; t <= p; t++) a[t] /= sum;
                    scores[l][h][p] = s;
                    weights[l][h][p] = a;
                    for (int t = 0; t <= p; t++) for (int i = 0; i < hs; i++) mix[h * hs + i] += a[t] * v[t][kvOff + i];
                }
                double[] o = mul(Wo, mix);
                for (int i = 0; i < dim; i++) x[p][i] += o[i];
                double[] xn = rmsnorm(x[p], w.ffnNorm(), c.rmsEps());
                double[] g = mul(W1, xn), u = mul(W3, xn);
                for (int i = 0; i < g.length; i++) g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
                double[] f = mul(W2, g);
                for (int i = 0; i < dim; i++) x[p][i] += f[i];
                residuals[l + 1][p] = x[p].clone();
            }
        }
        double[][] cls = mat(m.classifier());
        for (int p = 0; p < n; p++) logits[p] = mul(cls, rmsnorm(x[p], m.finalNorm(), c.rmsEps()));
    }

    static double[] row(Matrix m, int r) {
        float[] f = new float[m.cols()];
        m.readRow(r, f, 0);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    static double[][] mat(Matrix m) {
        double[][] d = new double[m.rows()][];
        for (int r = 0; r < m.rows(); r++) d[r] = row(m, r);
        return d;
    }

    static double[] mul(double[][] w, double[] x) {
        double[] y = new double[w.length];
        for (int r = 0; r < w.length; r++) {
            double s = 0;
            for (int i = 0; i < x.length; i++) s += w[r][i] * x[i];
            y[r] = s;
        }
        return y;
    }

    static double[] rmsnorm(double[] x, float[] g, float eps) {
        double ss = 0;
        for (double v : x) ss += v * v;
        double inv = 1 / Math.sqrt(ss / x.length + eps);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = g[i] * x[i] * inv;
        return y;
    }

    /** Rotates pairs (2j, 2j+1) of every head by pos * theta^(-2j / head_size). */
    static double[] rope(double[] v, int pos, int hs, double theta) {
        double[] r = v.clone();
        for (int h = 0; h < v.length; h += hs) {
            for (int j = 0; j < hs / 2; j++) {
                double a = pos * Math.pow(theta, -2.0 * j / hs);
                double c = Math.cos(a), s = Math.sin(a);
                int i = h + 2 * j;
                r[i] = v[i] * c - v[i + 1] * s;
                r[i + 1] = v[i] * s + v[i + 1] * c;
            }
        }
        return r;
    }

    /** Softmax of a position's logits, in double. */
    double[] probs(int pos) {
        double[] l = logits[pos];
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : l) max = Math.max(max, v);
        double[] p = new double[l.length];
        for (int i = 0; i < l.length; i++) sum += p[i] = Math.exp(l[i] - max);
        for (int i = 0; i < l.length; i++) p[i] /= sum;
        return p;
    }
}

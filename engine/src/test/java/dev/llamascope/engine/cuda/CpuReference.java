package dev.llamascope.engine.cuda;

import dev.llamascope.engine.train.Dropout;

/**
 * Plain scalar references of every training kernel, summing in double: the "right answer" the kernels are checked
 * against (on the emulator here, on a GPU by GpuKernelsTest). Layouts as the kernels' (see the .cu files).
 */
final class CpuReference {
    private CpuReference() {}

    /** The dropout factor of element idx of a stream: the CPU trainer's {@link Dropout}, which the kernels must match. */
    static float dropoutScale(float p, long stream, long idx) {
        return new Dropout(p).factor(stream, idx);
    }

    static float[] embeddingForward(int[] tokens, float[] emb, int C, float p, long seed) {
        float[] out = new float[tokens.length * C];
        for (int i = 0; i < tokens.length; i++)
            for (int c = 0; c < C; c++) out[i * C + c] = emb[tokens[i] * C + c] * dropoutScale(p, seed, (long) i * C + c);
        return out;
    }

    static void embeddingBackward(float[] demb, float[] dout, int[] tokens, int C, float p, long seed) {
        for (int i = 0; i < tokens.length; i++)
            for (int c = 0; c < C; c++) demb[tokens[i] * C + c] += dout[i * C + c] * dropoutScale(p, seed, (long) i * C + c);
    }

    static float[] rstd(float[] x, int N, int C, float eps) {
        float[] r = new float[N];
        for (int i = 0; i < N; i++) {
            double ss = 0;
            for (int c = 0; c < C; c++) ss += (double) x[i * C + c] * x[i * C + c];
            r[i] = (float) (1.0 / Math.sqrt(ss / C + eps));
        }
        return r;
    }

    static float[] rmsnormForward(float[] x, float[] g, int N, int C, float eps) {
        float[] r = rstd(x, N, C, eps), out = new float[N * C];
        for (int i = 0; i < N; i++) for (int c = 0; c < C; c++) out[i * C + c] = x[i * C + c] * r[i] * g[c];
        return out;
    }

    /** Adds the input gradient into dx and the gain gradient into dg. */
    static void rmsnormBackward(float[] dx, float[] dg, float[] dout, float[] x, float[] g, float[] r, int N, int C) {
        for (int i = 0; i < N; i++) {
            double dot = 0;
            for (int c = 0; c < C; c++) dot += (double) dout[i * C + c] * g[c] * x[i * C + c] * r[i];
            dot /= C;
            for (int c = 0; c < C; c++) {
                double xhat = (double) x[i * C + c] * r[i];
                dx[i * C + c] += (float) (r[i] * (dout[i * C + c] * (double) g[c] - xhat * dot));
                dg[c] += (float) (dout[i * C + c] * xhat);
            }
        }
    }

    static void rope(float[] x, float[] cos, float[] sin, int N, int T, int heads, int hs, boolean backward) {
        int half = hs / 2;
        for (int n = 0; n < N; n++) {
            int t = n % T;
            for (int h = 0; h < heads; h++)
                for (int j = 0; j < half; j++) {
                    int i = (n * heads + h) * hs + 2 * j;
                    double c = cos[t * half + j], s = sin[t * half + j], a = x[i], b = x[i + 1];
                    if (backward) {
                        x[i] = (float) (a * c + b * s);
                        x[i + 1] = (float) (-a * s + b * c);
                    } else {
                        x[i] = (float) (a * c - b * s);
                        x[i + 1] = (float) (a * s + b * c);
                    }
                }
        }
    }

    /** Attention forward: fills att [B,NH,T,T] and returns y [B*T, NH*hs]. */
    static float[] attentionForward(float[] att, float[] q, float[] k, float[] v, int B, int T, int NH, int NKV, int hs,
                                    float p, long seed) {
        int C = NH * hs, KC = NKV * hs, group = NH / NKV;
        double scale = 1.0 / Math.sqrt(hs);
        float[] y = new float[B * T * C];
        for (int b = 0; b < B; b++)
            for (int h = 0; h < NH; h++)
                for (int t = 0; t < T; t++) {
                    int kvh = h / group;
                    long row = ((long) (b * NH + h) * T + t) * T;
                    double[] s = new double[t + 1];
                    double mx = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u <= t; u++) {
                        double d = 0;
                        for (int e = 0; e < hs; e++) d += (double) q[(b * T + t) * C + h * hs + e] * k[(b * T + u) * KC + kvh * hs + e];
                        s[u] = d * scale;
                        mx = Math.max(mx, s[u]);
                    }
                    double sum = 0;
                    for (int u = 0; u <= t; u++) sum += Math.exp(s[u] - mx);
                    for (int u = 0; u < T; u++) att[(int) (row + u)] = u <= t ? (float) (Math.exp(s[u] - mx) / sum) : 0f;
                    for (int e = 0; e < hs; e++) {
                        double acc = 0;
                        for (int u = 0; u <= t; u++) acc += (double) att[(int) (row + u)] * dropoutScale(p, seed, row + u) * v[(b * T + u) * KC + kvh * hs + e];
                        y[(b * T + t) * C + h * hs + e] = (float) acc;
                    }
                }
        return y;
    }

    /** Attention backward from att and dy: returns {datt, dq, dk, dv}. */
    static float[][] attentionBackward(float[] att, float[] q, float[] k, float[] v, float[] dy, int B, int T, int NH, int NKV,
                                       int hs, float p, long seed) {
        int C = NH * hs, KC = NKV * hs, group = NH / NKV;
        double scale = 1.0 / Math.sqrt(hs);
        float[] datt = new float[att.length], dq = new float[q.length], dk = new float[k.length], dv = new float[v.length];
        double[] dkd = new double[k.length], dvd = new double[v.length];
        for (int b = 0; b < B; b++)
            for (int h = 0; h < NH; h++)
                for (int t = 0; t < T; t++) {
                    int kvh = h / group;
                    long row = ((long) (b * NH + h) * T + t) * T;
                    double[] dp = new double[t + 1];
                    double s = 0;
                    for (int u = 0; u <= t; u++) {
                        double d = 0;
                        for (int e = 0; e < hs; e++) d += (double) dy[(b * T + t) * C + h * hs + e] * v[(b * T + u) * KC + kvh * hs + e];
                        dp[u] = d * dropoutScale(p, seed, row + u);
                        s += att[(int) (row + u)] * dp[u];
                    }
                    for (int u = 0; u <= t; u++) {
                        double ds = scale * att[(int) (row + u)] * (dp[u] - s);
                        datt[(int) (row + u)] = (float) ds;
                        double pd = (double) att[(int) (row + u)] * dropoutScale(p, seed, row + u);
                        for (int e = 0; e < hs; e++) {
                            int qi = (b * T + t) * C + h * hs + e, ki = (b * T + u) * KC + kvh * hs + e;
                            dq[qi] += (float) (ds * k[ki]);
                            dkd[ki] += ds * q[qi];
                            dvd[ki] += pd * dy[qi];
                        }
                    }
                }
        for (int i = 0; i < dk.length; i++) {
            dk[i] = (float) dkd[i];
            dv[i] = (float) dvd[i];
        }
        return new float[][]{datt, dq, dk, dv};
    }

    /** Returns {logits gradient, per-row weighted losses}. */
    static float[][] crossEntropy(float[] logits, int[] targets, float[] mask, int N, int V, float invCount) {
        float[] grad = new float[N * V], losses = new float[N];
        for (int i = 0; i < N; i++) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < V; j++) mx = Math.max(mx, logits[i * V + j]);
            double sum = 0;
            for (int j = 0; j < V; j++) sum += Math.exp(logits[i * V + j] - mx);
            double w = mask == null ? 1 : mask[i];
            losses[i] = (float) (w * (mx + Math.log(sum) - logits[i * V + targets[i]]));
            for (int j = 0; j < V; j++) {
                double pr = Math.exp(logits[i * V + j] - mx) / sum;
                grad[i * V + j] = (float) ((pr - (j == targets[i] ? 1 : 0)) * w * invCount);
            }
        }
        return new float[][]{grad, losses};
    }

    /** Row-major C = alpha op(A) op(B) + beta C. */
    static void gemm(boolean ta, boolean tb, int M, int N, int K, float alpha, float[] A, int lda, float[] B, int ldb, float beta,
                     float[] C, int ldc) {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < K; k++) {
                    double a = ta ? A[k * lda + i] : A[i * lda + k];
                    double b = tb ? B[j * ldb + k] : B[k * ldb + j];
                    s += a * b;
                }
                C[i * ldc + j] = (float) (alpha * s + (beta == 0 ? 0 : beta * (double) C[i * ldc + j]));
            }
    }

    /** One AdamW step as PyTorch, on gradients times coef (all float, in the kernel's order). */
    static void adamw(float[] p, float[] g, float[] m, float[] v, float coef, float decay, float stepSize, float omb1, float b2,
                      float omb2, float bc2sqrt, float eps) {
        for (int i = 0; i < p.length; i++) {
            float grad = g[i] * coef;
            float mi = m[i] + omb1 * (grad - m[i]);
            float vi = v[i] * b2 + omb2 * (grad * grad);
            float denom = (float) Math.sqrt(vi) / bc2sqrt + eps;
            p[i] = p[i] * decay - stepSize * (mi / denom);
            m[i] = mi;
            v[i] = vi;
        }
    }
}

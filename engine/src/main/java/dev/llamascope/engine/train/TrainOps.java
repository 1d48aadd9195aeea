package dev.llamascope.engine.train;

import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tensor.Gemm;
import dev.llamascope.engine.tensor.LaneMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The layers of the training step as forward/backward pairs over flat row-major buffers, in the style of llm.c's
 * train_gpt2.c: no autograd, each backward function takes what its forward saved and adds its gradients in place.
 * A buffer of activations holds {@code n} rows (n = batch x sequence, row r at position r % T).
 *
 * <p>Every result is independent of the number of threads and of scheduling: parallel loops only split
 * independent outputs, and sums across rows (norm weight gradients) use fixed row blocks reduced in order. That is
 * what makes a resumed run bit-identical to an uninterrupted one whatever the thread count.
 */
public final class TrainOps {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Rows per block of the norm weight gradient reduction (fixed so results do not depend on threads). */
    static final int NORM_BLOCK = 32;
    /** Query rows per block of causal attention: a block only multiplies the keys up to its last row. */
    static final int ATT_BLOCK = 64;

    private TrainOps() {}

    // ---------------------------------------------------------------- embedding

    /** out[r] = emb[tokens[r]]. */
    public static void embeddingForward(float[] out, int[] tokens, int n, float[] emb, int embOff, int d) {
        for (int r = 0; r < n; r++) System.arraycopy(emb, embOff + tokens[r] * d, out, r * d, d);
    }

    /** grad[tokens[r]] += dout[r], rows in order (repeated tokens sum the same way every time). */
    public static void embeddingBackward(float[] grad, int embOff, int[] tokens, int n, float[] dout, int d) {
        for (int r = 0; r < n; r++) add(grad, embOff + tokens[r] * d, dout, r * d, d);
    }

    // ---------------------------------------------------------------- RMSNorm

    /** out[r] = w * (x[r] * rstd[r]), rstd[r] = 1 / sqrt(mean(x[r]^2) + eps); saves rstd for the backward pass. */
    public static void rmsnormForward(ComputePool pool, float[] out, float[] rstd, float[] x, int n, int d,
                                      float[] w, int wOff, float eps) {
        pool.parallelFor(n, (s, e) -> {
            for (int r = s; r < e; r++) {
                float ss = dot(x, r * d, x, r * d, d);
                rstd[r] = 1f / (float) Math.sqrt(ss / d + eps);
            }
        });
        rmsnormApply(pool, out, x, rstd, n, d, w, wOff);
    }

    /** out[r] = w * (x[r] * rstd[r]) with saved rstd: recomputes the normed input exactly as the forward pass did. */
    public static void rmsnormApply(ComputePool pool, float[] out, float[] x, float[] rstd, int n, int d, float[] w, int wOff) {
        pool.parallelFor(n, (s, e) -> {
            for (int r = s; r < e; r++) {
                int o = r * d;
                float rs = rstd[r];
                int i = 0;
                for (int b = F.loopBound(d); i < b; i += L) {
                    FloatVector.fromArray(F, w, wOff + i).mul(FloatVector.fromArray(F, x, o + i).mul(rs)).intoArray(out, o + i);
                }
                for (; i < d; i++) out[o + i] = w[wOff + i] * (x[o + i] * rs);
            }
        });
    }

    /**
     * dx[r] += rstd * (dxhat - xhat * mean(dxhat * xhat)) with xhat = x * rstd and dxhat = dout * w;
     * dw += sum over rows of dout * xhat. {@code partial} holds ceil(n / NORM_BLOCK) * d floats.
     */
    public static void rmsnormBackward(ComputePool pool, float[] dx, float[] dw, int dwOff, float[] dout, float[] x,
                                       float[] rstd, int n, int d, float[] w, int wOff, float[] partial) {
        int blocks = (n + NORM_BLOCK - 1) / NORM_BLOCK;
        pool.parallelFor(blocks, 1, (b0, b1) -> {
            for (int blk = b0; blk < b1; blk++) {
                int p = blk * d;
                java.util.Arrays.fill(partial, p, p + d, 0f);
                for (int r = blk * NORM_BLOCK, end = Math.min(n, r + NORM_BLOCK); r < end; r++) {
                    int o = r * d;
                    float rs = rstd[r];
                    // mean(dxhat * xhat) = rstd * sum(dout * w * x) / d
                    FloatVector acc = FloatVector.zero(F);
                    int i = 0;
                    for (int e = F.loopBound(d); i < e; i += L) {
                        FloatVector g = FloatVector.fromArray(F, dout, o + i).mul(FloatVector.fromArray(F, w, wOff + i));
                        acc = g.fma(FloatVector.fromArray(F, x, o + i), acc);
                    }
                    float sum = LaneMath.sum(acc);
                    for (; i < d; i++) sum += dout[o + i] * w[wOff + i] * x[o + i];
                    float c = sum * rs * rs / d; // xhat * mean(dxhat*xhat) = x * rs * rs * sum / d
                    i = 0;
                    for (int e = F.loopBound(d); i < e; i += L) {
                        FloatVector xv = FloatVector.fromArray(F, x, o + i);
                        FloatVector dov = FloatVector.fromArray(F, dout, o + i);
                        FloatVector dxh = dov.mul(FloatVector.fromArray(F, w, wOff + i));
                        FloatVector g = dxh.sub(xv.mul(c)).mul(rs);
                        g.add(FloatVector.fromArray(F, dx, o + i)).intoArray(dx, o + i);
                        dov.fma(xv.mul(rs), FloatVector.fromArray(F, partial, p + i)).intoArray(partial, p + i);
                    }
                    for (; i < d; i++) {
                        float dxh = dout[o + i] * w[wOff + i];
                        dx[o + i] += (dxh - x[o + i] * c) * rs;
                        partial[p + i] += dout[o + i] * (x[o + i] * rs);
                    }
                }
            }
        });
        for (int blk = 0; blk < blocks; blk++) add(dw, dwOff, partial, blk * d, d);
    }

    // ---------------------------------------------------------------- linear layers (through the tiled GEMM)

    /** out[r][o] = sum_k in[r][k] * W[o][k] for W given as panels of its transpose; rows of out are ldo apart. */
    public static void linearForward(ComputePool pool, float[] in, int n, int k, Gemm.PanelSource wT, float[] out, int ldo, int oc) {
        Gemm.gemm(pool, n, oc, k, in, 0, k, 1, wT, out, 0, ldo, false);
    }

    /** din[r][k] (+)= sum_o dout[r][o] * W[o][k], dout rows ldd apart (W row-major through {@code w}). */
    public static void linearBackwardInput(ComputePool pool, float[] dout, int ddOff, int ldd, int n, int oc,
                                           Gemm.PanelSource w, float[] din, int k, boolean accumulate) {
        Gemm.gemm(pool, n, k, oc, dout, ddOff, ldd, 1, w, din, 0, k, accumulate);
    }

    /** dW[o][k] += sum_r dout[r][o] * in[r][k]: dout read transposed through strides (dout column o of ldd-wide rows). */
    public static void linearBackwardWeight(ComputePool pool, float[] dout, int ddOff, int ldd, int n, int oc,
                                            float[] in, int k, float[] grad, int gOff) {
        Gemm.gemm(pool, oc, k, n, dout, ddOff, 1, ldd, Gemm.rowMajor(in, 0, k), grad, gOff, k, true);
    }

    // ---------------------------------------------------------------- SwiGLU

    /** g[r][j] = silu(a) * b with a = h13[r][j], b = h13[r][h + j] (w1 x and w3 x side by side). */
    public static void swigluForward(ComputePool pool, float[] g, float[] h13, int n, int h) {
        pool.parallelFor(n, (s, e) -> {
            for (int r = s; r < e; r++) {
                int a0 = r * 2 * h, b0 = a0 + h, o = r * h;
                int j = 0;
                for (int lim = F.loopBound(h); j < lim; j += L) {
                    FloatVector a = FloatVector.fromArray(F, h13, a0 + j);
                    FloatVector sig = LaneMath.exp(a.neg()).add(1f);
                    a.div(sig).mul(FloatVector.fromArray(F, h13, b0 + j)).intoArray(g, o + j);
                }
                for (; j < h; j++) {
                    float a = h13[a0 + j];
                    g[o + j] = a / (1f + LaneMath.exp(-a)) * h13[b0 + j];
                }
            }
        });
    }

    /** dh13 = (dg * b * silu'(a), dg * silu(a)), silu'(a) = s (1 + a (1 - s)) with s = sigmoid(a). */
    public static void swigluBackward(ComputePool pool, float[] dh13, float[] dg, float[] h13, int n, int h) {
        pool.parallelFor(n, (s, e) -> {
            for (int r = s; r < e; r++) {
                int a0 = r * 2 * h, b0 = a0 + h, o = r * h;
                int j = 0;
                for (int lim = F.loopBound(h); j < lim; j += L) {
                    FloatVector a = FloatVector.fromArray(F, h13, a0 + j);
                    FloatVector b = FloatVector.fromArray(F, h13, b0 + j);
                    FloatVector d = FloatVector.fromArray(F, dg, o + j);
                    FloatVector sig = FloatVector.broadcast(F, 1f).div(LaneMath.exp(a.neg()).add(1f));
                    FloatVector silu = a.mul(sig);
                    FloatVector dsilu = sig.mul(a.mul(sig.neg().add(1f)).add(1f));
                    d.mul(b).mul(dsilu).intoArray(dh13, a0 + j);
                    d.mul(silu).intoArray(dh13, b0 + j);
                }
                for (; j < h; j++) {
                    float a = h13[a0 + j], b = h13[b0 + j], d = dg[o + j];
                    float sig = 1f / (1f + LaneMath.exp(-a));
                    float silu = a * sig;
                    float dsilu = sig * (a * (1f - sig) + 1f);
                    dh13[a0 + j] = d * b * dsilu;
                    dh13[b0 + j] = d * silu;
                }
            }
        });
    }

    // ---------------------------------------------------------------- attention

    /**
     * The shape of causal multi-head attention over a buffer of fused q|k|v rows ({@code ld} floats apart: q at
     * column 0, k at dim, v at dim + kv_dim).
     */
    public record AttentionShape(int batch, int seq, int heads, int kvHeads, int headSize, int ld) {
        int dim() {
            return heads * headSize;
        }

        int kvDim() {
            return kvHeads * headSize;
        }

        float scale() {
            return (float) (1.0 / Math.sqrt(headSize));
        }
    }

    /**
     * out[r][h*hs ..] = softmax(q k^T * scale, causal) v per (batch row, head), with dropout on the probabilities;
     * saves the log-sum-exp of each score row in lse[(b * heads + h) * seq + t] (the backward pass rebuilds the
     * probabilities from it instead of storing them: seq^2 per head would not fit for long contexts).
     */
    public static void attentionForward(ComputePool pool, AttentionShape s, float[] qkv, float[] out, float[] lse,
                                        Dropout dropout, long stream) {
        int T = s.seq(), H = s.heads(), hs = s.headSize(), ld = s.ld(), d = s.dim(), kv = s.kvDim();
        int group = H / s.kvHeads();
        float scale = s.scale();
        pool.parallelFor(s.batch() * H, 1, (j0, j1) -> {
            float[] p = new float[Math.min(ATT_BLOCK, T) * T];
            for (int job = j0; job < j1; job++) {
                int b = job / H, h = job % H, kvh = h / group;
                int base = b * T;
                for (int t0 = 0; t0 < T; t0 += ATT_BLOCK) {
                    int t1 = Math.min(T, t0 + ATT_BLOCK), m = t1 - t0;
                    Gemm.gemm(pool, m, t1, hs, qkv, (base + t0) * ld + h * hs, ld, 1,
                            Gemm.transposed(qkv, base * ld + d + kvh * hs, ld), p, 0, T, false);
                    for (int i = 0; i < m; i++) {
                        int t = t0 + i;
                        lse[(b * H + h) * T + t] = softmaxRow(p, i * T, t + 1, t1, scale);
                        if (dropout.active()) dropout.apply(stream, ((long) (b * H + h) * T + t) * T, p, i * T, t + 1);
                    }
                    Gemm.gemm(pool, m, hs, t1, p, 0, T, 1, Gemm.rowMajor(qkv, base * ld + d + kv + kvh * hs, ld),
                            out, (base + t0) * d + h * hs, d, false);
                }
            }
        });
    }

    /**
     * Gradients of attention: dq, dk, dv into the q|k|v columns of dqkv (same layout as qkv), from dout (rows of
     * width dim). Jobs are (batch row, kv head) so that the query heads sharing a kv head (GQA) add their dk, dv in
     * a fixed order without races.
     */
    public static void attentionBackward(ComputePool pool, AttentionShape s, float[] qkv, float[] lse, float[] dout,
                                         float[] dqkv, Dropout dropout, long stream) {
        int T = s.seq(), H = s.heads(), hs = s.headSize(), ld = s.ld(), d = s.dim(), kv = s.kvDim();
        int group = H / s.kvHeads();
        float scale = s.scale();
        pool.parallelFor(s.batch() * s.kvHeads(), 1, (j0, j1) -> {
            int rows = Math.min(ATT_BLOCK, T);
            float[] p = new float[rows * T], dp = new float[rows * T];
            float[] pd = dropout.active() ? new float[rows * T] : p;
            for (int job = j0; job < j1; job++) {
                int b = job / s.kvHeads(), kvh = job % s.kvHeads();
                int base = b * T;
                int kOff = base * ld + d + kvh * hs, vOff = base * ld + d + kv + kvh * hs;
                for (int t = 0; t < T; t++) {
                    int r = (base + t) * ld;
                    java.util.Arrays.fill(dqkv, r + d + kvh * hs, r + d + kvh * hs + hs, 0f);
                    java.util.Arrays.fill(dqkv, r + d + kv + kvh * hs, r + d + kv + kvh * hs + hs, 0f);
                }
                for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                    for (int t0 = 0; t0 < T; t0 += ATT_BLOCK) {
                        int t1 = Math.min(T, t0 + ATT_BLOCK), m = t1 - t0;
                        int qOff = (base + t0) * ld + h * hs, doOff = (base + t0) * d + h * hs;
                        // probabilities again, from the saved log-sum-exp
                        Gemm.gemm(pool, m, t1, hs, qkv, qOff, ld, 1, Gemm.transposed(qkv, kOff, ld), p, 0, T, false);
                        for (int i = 0; i < m; i++) {
                            int t = t0 + i;
                            expRow(p, i * T, t + 1, t1, scale, lse[(b * H + h) * T + t]);
                            if (dropout.active()) dropout.apply(stream, ((long) (b * H + h) * T + t) * T, p, i * T, pd, i * T, t1);
                        }
                        // dPd = dO V^T; dV += Pd^T dO
                        Gemm.gemm(pool, m, t1, hs, dout, doOff, d, 1, Gemm.transposed(qkv, vOff, ld), dp, 0, T, false);
                        Gemm.gemm(pool, t1, hs, m, pd, 0, 1, T, Gemm.rowMajor(dout, doOff, d), dqkv, vOff, ld, true);
                        // dS = (Pd * dPd - P * sum(Pd * dPd)) * scale, zero above the diagonal
                        for (int i = 0; i < m; i++) {
                            int t = t0 + i, o = i * T;
                            float dsum = dot(pd, o, dp, o, t + 1);
                            softmaxBackwardRow(p, pd, dp, o, t + 1, t1, dsum, scale);
                        }
                        // dQ = dS K; dK += dS^T Q
                        Gemm.gemm(pool, m, hs, t1, dp, 0, T, 1, Gemm.rowMajor(qkv, kOff, ld), dqkv, qOff, ld, false);
                        Gemm.gemm(pool, t1, hs, m, dp, 0, 1, T, Gemm.rowMajor(qkv, qOff, ld), dqkv, kOff, ld, true);
                    }
                }
            }
        });
    }

    /** Causal softmax of p[o .. o+len) scaled by scale, zeros in [o+len, o+width); returns the log-sum-exp. */
    static float softmaxRow(float[] p, int o, int len, int width, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) max = Math.max(max, p[o + i] * scale);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int e = F.loopBound(len); i < e; i += L) {
            FloatVector v = LaneMath.exp(FloatVector.fromArray(F, p, o + i).mul(scale).sub(max));
            v.intoArray(p, o + i);
            acc = acc.add(v);
        }
        float sum = LaneMath.sum(acc);
        for (; i < len; i++) {
            float v = LaneMath.exp(p[o + i] * scale - max);
            p[o + i] = v;
            sum += v;
        }
        float inv = 1f / sum;
        i = 0;
        for (int e = F.loopBound(len); i < e; i += L) FloatVector.fromArray(F, p, o + i).mul(inv).intoArray(p, o + i);
        for (; i < len; i++) p[o + i] *= inv;
        java.util.Arrays.fill(p, o + len, o + width, 0f);
        return max + (float) Math.log(sum);
    }

    /** p = exp(p * scale - lse) on [o, o+len), zeros up to o+width: the probabilities from saved statistics. */
    static void expRow(float[] p, int o, int len, int width, float scale, float lse) {
        int i = 0;
        for (int e = F.loopBound(len); i < e; i += L) {
            LaneMath.exp(FloatVector.fromArray(F, p, o + i).mul(scale).sub(lse)).intoArray(p, o + i);
        }
        for (; i < len; i++) p[o + i] = LaneMath.exp(p[o + i] * scale - lse);
        java.util.Arrays.fill(p, o + len, o + width, 0f);
    }

    /** dp = (pd * dp - p * dsum) * scale on [o, o+len), zeros up to o+width. */
    static void softmaxBackwardRow(float[] p, float[] pd, float[] dp, int o, int len, int width, float dsum, float scale) {
        int i = 0;
        for (int e = F.loopBound(len); i < e; i += L) {
            FloatVector a = FloatVector.fromArray(F, pd, o + i).mul(FloatVector.fromArray(F, dp, o + i));
            a.sub(FloatVector.fromArray(F, p, o + i).mul(dsum)).mul(scale).intoArray(dp, o + i);
        }
        for (; i < len; i++) dp[o + i] = (pd[o + i] * dp[o + i] - p[o + i] * dsum) * scale;
        java.util.Arrays.fill(dp, o + len, o + width, 0f);
    }

    // ---------------------------------------------------------------- cross-entropy

    /**
     * For one row of logits (in place): the cross-entropy against {@code target}, and when {@code scale} is not
     * zero, the logits replaced by the loss gradient (softmax - onehot) * scale. A negative target is ignored: loss
     * 0 and a zero gradient row.
     */
    public static double crossEntropyRow(float[] logits, int o, int v, int target, float scale, boolean backward) {
        if (target < 0) {
            if (backward) java.util.Arrays.fill(logits, o, o + v, 0f);
            return 0;
        }
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int e = F.loopBound(v); i < e; i += L) mv = mv.max(FloatVector.fromArray(F, logits, o + i));
        float max = mv.reduceLanes(VectorOperators.MAX); // exact whatever the order
        for (; i < v; i++) max = Math.max(max, logits[o + i]);
        float picked = logits[o + target];
        FloatVector acc = FloatVector.zero(F);
        i = 0;
        if (backward) {
            for (int e = F.loopBound(v); i < e; i += L) {
                FloatVector x = LaneMath.exp(FloatVector.fromArray(F, logits, o + i).sub(max));
                x.intoArray(logits, o + i);
                acc = acc.add(x);
            }
        } else {
            for (int e = F.loopBound(v); i < e; i += L) acc = acc.add(LaneMath.exp(FloatVector.fromArray(F, logits, o + i).sub(max)));
        }
        float sum = LaneMath.sum(acc);
        for (; i < v; i++) {
            float x = LaneMath.exp(logits[o + i] - max);
            if (backward) logits[o + i] = x;
            sum += x;
        }
        double loss = max + Math.log(sum) - picked;
        if (backward) {
            float f = scale / sum;
            i = 0;
            for (int e = F.loopBound(v); i < e; i += L) FloatVector.fromArray(F, logits, o + i).mul(f).intoArray(logits, o + i);
            for (; i < v; i++) logits[o + i] *= f;
            logits[o + target] -= scale;
        }
        return loss;
    }

    // ---------------------------------------------------------------- small helpers

    /** x[xo..xo+n) += y[yo..yo+n). */
    public static void add(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int b = F.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(F, x, xo + i).add(FloatVector.fromArray(F, y, yo + i)).intoArray(x, xo + i);
        }
        for (; i < n; i++) x[xo + i] += y[yo + i];
    }

    /** out = a + b elementwise over n floats, in parallel. */
    public static void sum(ComputePool pool, float[] out, float[] a, float[] b, int n) {
        int chunk = 1 << 14;
        pool.parallelFor((n + chunk - 1) / chunk, 1, (s, e) -> {
            for (int c = s; c < e; c++) {
                int o = c * chunk, len = Math.min(chunk, n - o);
                int i = 0;
                for (int lim = F.loopBound(len); i < lim; i += L) {
                    FloatVector.fromArray(F, a, o + i).add(FloatVector.fromArray(F, b, o + i)).intoArray(out, o + i);
                }
                for (; i < len; i++) out[o + i] = a[o + i] + b[o + i];
            }
        });
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int e = F.loopBound(n); i < e; i += L) {
            acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc);
        }
        float s = LaneMath.sum(acc);
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }
}

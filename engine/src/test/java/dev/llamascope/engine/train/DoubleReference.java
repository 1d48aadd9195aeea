package dev.llamascope.engine.train;

import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.FlatWeights.Kind;
import dev.llamascope.engine.model.ModelConfig;

/**
 * A plain double-precision forward and backward pass of the same model, for tests only: scalar loops written
 * straight from the math, no GEMM, no vectors, no recomputation tricks. Finite differences need the whole forward
 * pass in double (one float cast inside makes central differences meaningless), and this is the reference the fp32
 * trainer is compared against. Dropout uses the trainer's masks ({@link Dropout}) with a double scale.
 */
final class DoubleReference {
    private final ModelConfig c;
    private final FlatWeights layout;
    private final int B, T, n, d, kv, hd, H, KVH, hs, V, L;
    private final Dropout dropout;
    private final double keepScale;
    private final long key;
    private final double[] cos, sin;

    // activations of the last forward pass
    private double[][] xIn, xMid, rms1, rms2, xn1, xn2, q, k, v, att, h1, h3, gate;
    /** Attention probabilities per [layer][(b * H + h) * T + t][t'], before and after dropout. */
    private double[][][] probs, probsDropped;
    private double[] xOut, rmsF, xf, logits;

    DoubleReference(ModelConfig c, int batch, int seq, float p, long key) {
        this.c = c;
        this.layout = new FlatWeights(c);
        B = batch;
        T = seq;
        n = B * T;
        d = c.dim();
        kv = c.kvDim();
        hd = c.hiddenDim();
        H = c.nHeads();
        KVH = c.nKvHeads();
        hs = c.headSize();
        V = c.vocabSize();
        L = c.nLayers();
        this.dropout = new Dropout(p);
        this.keepScale = 1.0 / (1.0 - p);
        this.key = key;
        int half = hs / 2;
        cos = new double[T * half];
        sin = new double[T * half];
        for (int t = 0; t < T; t++) {
            for (int j = 0; j < half; j++) {
                double freq = 1.0 / Math.pow(c.ropeTheta(), (2.0 * j) / hs);
                cos[t * half + j] = Math.cos(t * freq);
                sin[t * half + j] = Math.sin(t * freq);
            }
        }
    }

    private int off(Kind kind, int l) {
        return layout.offset(kind, l);
    }

    private double mask(Dropout.Site site, int layer, long i) {
        if (!dropout.active()) return 1.0;
        return dropout.factor(Dropout.stream(key, site, layer), i) == 0f ? 0.0 : keepScale;
    }

    /** Mean cross-entropy over the targets that are not negative. */
    double loss(double[] w, int[] x, int[] y) {
        forward(w, x);
        double sum = 0;
        int valid = 0;
        for (int r = 0; r < n; r++) {
            if (y[r] < 0) continue;
            valid++;
            sum += lse(logits, r * V, V) - logits[r * V + y[r]];
        }
        return valid == 0 ? 0 : sum / valid;
    }

    /** The loss, and its gradient written into g (same layout as w). */
    double lossAndGradient(double[] w, int[] x, int[] y, double[] g) {
        double loss = loss(w, x, y);
        java.util.Arrays.fill(g, 0);
        int valid = 0;
        for (int t : y) if (t >= 0) valid++;
        double[] dlogits = new double[n * V];
        for (int r = 0; r < n; r++) {
            if (y[r] < 0) continue;
            double l = lse(logits, r * V, V);
            for (int i = 0; i < V; i++) dlogits[r * V + i] = Math.exp(logits[r * V + i] - l) / valid;
            dlogits[r * V + y[r]] -= 1.0 / valid;
        }
        int cls = c.sharedClassifier() ? off(Kind.EMBEDDING, 0) : off(Kind.CLASSIFIER, 0);
        double[] dxf = new double[n * d];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < V; o++) {
                double dl = dlogits[r * V + o];
                if (dl == 0) continue;
                for (int i = 0; i < d; i++) {
                    dxf[r * d + i] += dl * w[cls + o * d + i];
                    g[cls + o * d + i] += dl * xf[r * d + i];
                }
            }
        }
        double[] dx = new double[n * d];
        rmsnormBackward(w, g, off(Kind.FINAL_NORM, 0), xOut, rmsF, dxf, dx);
        for (int l = L - 1; l >= 0; l--) {
            // FFN half
            double[] dBranch = new double[n * d];
            for (int i = 0; i < n * d; i++) dBranch[i] = dx[i] * mask(Dropout.Site.FFN_OUT, l, i);
            double[] dgate = new double[n * hd];
            linearBackward(w, g, off(Kind.W2, l), dBranch, gate[l], dgate, d, hd);
            double[] dh1 = new double[n * hd], dh3 = new double[n * hd];
            for (int i = 0; i < n * hd; i++) {
                double a = h1[l][i], b = h3[l][i], s = 1 / (1 + Math.exp(-a));
                dh1[i] = dgate[i] * b * (s * (1 + a * (1 - s)));
                dh3[i] = dgate[i] * a * s;
            }
            double[] dxn = new double[n * d];
            linearBackward(w, g, off(Kind.W1, l), dh1, xn2[l], dxn, hd, d);
            linearBackward(w, g, off(Kind.W3, l), dh3, xn2[l], dxn, hd, d);
            rmsnormBackward(w, g, off(Kind.FFN_NORM, l), xMid[l], rms2[l], dxn, dx);
            // attention half
            for (int i = 0; i < n * d; i++) dBranch[i] = dx[i] * mask(Dropout.Site.ATTENTION_OUT, l, i);
            double[] datt = new double[n * d];
            linearBackward(w, g, off(Kind.WO, l), dBranch, att[l], datt, d, d);
            double[] dq = new double[n * d], dk = new double[n * kv], dv = new double[n * kv];
            double scale = 1 / Math.sqrt(hs);
            for (int b = 0; b < B; b++) {
                for (int h = 0; h < H; h++) {
                    int kvh = h / (H / KVH);
                    for (int t = 0; t < T; t++) {
                        int row = (b * H + h) * T + t;
                        double[] p = probs[l][row], pd = probsDropped[l][row];
                        double[] dp = new double[t + 1];
                        for (int u = 0; u <= t; u++) {
                            double dpd = 0;
                            for (int j = 0; j < hs; j++) {
                                double go = datt[(b * T + t) * d + h * hs + j];
                                dpd += go * v[l][(b * T + u) * kv + kvh * hs + j];
                                dv[(b * T + u) * kv + kvh * hs + j] += pd[u] * go;
                            }
                            dp[u] = dpd * mask(Dropout.Site.ATTENTION, l, (long) row * T + u);
                        }
                        double dot = 0;
                        for (int u = 0; u <= t; u++) dot += p[u] * dp[u];
                        for (int u = 0; u <= t; u++) {
                            double ds = p[u] * (dp[u] - dot) * scale;
                            for (int j = 0; j < hs; j++) {
                                dq[(b * T + t) * d + h * hs + j] += ds * k[l][(b * T + u) * kv + kvh * hs + j];
                                dk[(b * T + u) * kv + kvh * hs + j] += ds * q[l][(b * T + t) * d + h * hs + j];
                            }
                        }
                    }
                }
            }
            rope(dq, d, true);
            rope(dk, kv, true);
            java.util.Arrays.fill(dxn, 0);
            linearBackward(w, g, off(Kind.WQ, l), dq, xn1[l], dxn, d, d);
            linearBackward(w, g, off(Kind.WK, l), dk, xn1[l], dxn, kv, d);
            linearBackward(w, g, off(Kind.WV, l), dv, xn1[l], dxn, kv, d);
            rmsnormBackward(w, g, off(Kind.ATTN_NORM, l), xIn[l], rms1[l], dxn, dx);
        }
        int emb = off(Kind.EMBEDDING, 0);
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) g[emb + x[r] * d + i] += dx[r * d + i] * mask(Dropout.Site.EMBEDDING, 0, (long) r * d + i);
        }
        return loss;
    }

    private void forward(double[] w, int[] tok) {
        xIn = new double[L][];
        xMid = new double[L][];
        rms1 = new double[L][n];
        rms2 = new double[L][n];
        xn1 = new double[L][];
        xn2 = new double[L][];
        q = new double[L][];
        k = new double[L][];
        v = new double[L][];
        att = new double[L][];
        h1 = new double[L][];
        h3 = new double[L][];
        gate = new double[L][];
        probs = new double[L][B * H * T][];
        probsDropped = new double[L][B * H * T][];
        double[] x = new double[n * d];
        int emb = off(Kind.EMBEDDING, 0);
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) x[r * d + i] = w[emb + tok[r] * d + i] * mask(Dropout.Site.EMBEDDING, 0, (long) r * d + i);
        }
        double scale = 1 / Math.sqrt(hs);
        for (int l = 0; l < L; l++) {
            xIn[l] = x.clone();
            xn1[l] = rmsnorm(w, off(Kind.ATTN_NORM, l), x, rms1[l]);
            q[l] = linear(w, off(Kind.WQ, l), xn1[l], d, d);
            k[l] = linear(w, off(Kind.WK, l), xn1[l], d, kv);
            v[l] = linear(w, off(Kind.WV, l), xn1[l], d, kv);
            rope(q[l], d, false);
            rope(k[l], kv, false);
            att[l] = new double[n * d];
            for (int b = 0; b < B; b++) {
                for (int h = 0; h < H; h++) {
                    int kvh = h / (H / KVH);
                    for (int t = 0; t < T; t++) {
                        int row = (b * H + h) * T + t;
                        double[] s = new double[t + 1];
                        for (int u = 0; u <= t; u++) {
                            double dot = 0;
                            for (int j = 0; j < hs; j++) dot += q[l][(b * T + t) * d + h * hs + j] * k[l][(b * T + u) * kv + kvh * hs + j];
                            s[u] = dot * scale;
                        }
                        double lse = lse(s, 0, t + 1);
                        double[] p = new double[t + 1], pd = new double[t + 1];
                        for (int u = 0; u <= t; u++) {
                            p[u] = Math.exp(s[u] - lse);
                            pd[u] = p[u] * mask(Dropout.Site.ATTENTION, l, (long) row * T + u);
                        }
                        probs[l][row] = p;
                        probsDropped[l][row] = pd;
                        for (int u = 0; u <= t; u++) {
                            for (int j = 0; j < hs; j++) att[l][(b * T + t) * d + h * hs + j] += pd[u] * v[l][(b * T + u) * kv + kvh * hs + j];
                        }
                    }
                }
            }
            double[] y = linear(w, off(Kind.WO, l), att[l], d, d);
            for (int i = 0; i < n * d; i++) x[i] += y[i] * mask(Dropout.Site.ATTENTION_OUT, l, i);
            xMid[l] = x.clone();
            xn2[l] = rmsnorm(w, off(Kind.FFN_NORM, l), x, rms2[l]);
            h1[l] = linear(w, off(Kind.W1, l), xn2[l], d, hd);
            h3[l] = linear(w, off(Kind.W3, l), xn2[l], d, hd);
            gate[l] = new double[n * hd];
            for (int i = 0; i < n * hd; i++) gate[l][i] = h1[l][i] / (1 + Math.exp(-h1[l][i])) * h3[l][i];
            y = linear(w, off(Kind.W2, l), gate[l], hd, d);
            for (int i = 0; i < n * d; i++) x[i] += y[i] * mask(Dropout.Site.FFN_OUT, l, i);
        }
        xOut = x.clone();
        rmsF = new double[n];
        xf = rmsnorm(w, off(Kind.FINAL_NORM, 0), x, rmsF);
        int cls = c.sharedClassifier() ? emb : off(Kind.CLASSIFIER, 0);
        logits = linear(w, cls, xf, d, V);
    }

    private double[] rmsnorm(double[] w, int g, double[] x, double[] rstd) {
        double[] out = new double[n * d];
        for (int r = 0; r < n; r++) {
            double ss = 0;
            for (int i = 0; i < d; i++) ss += x[r * d + i] * x[r * d + i];
            rstd[r] = 1 / Math.sqrt(ss / d + c.rmsEps());
            for (int i = 0; i < d; i++) out[r * d + i] = w[g + i] * x[r * d + i] * rstd[r];
        }
        return out;
    }

    /** dx += d(norm)/dx applied to dout; dg += dout * xhat. */
    private void rmsnormBackward(double[] w, double[] grad, int g, double[] x, double[] rstd, double[] dout, double[] dx) {
        for (int r = 0; r < n; r++) {
            double dot = 0;
            for (int i = 0; i < d; i++) dot += dout[r * d + i] * w[g + i] * x[r * d + i];
            double rs = rstd[r];
            for (int i = 0; i < d; i++) {
                double xi = x[r * d + i];
                grad[g + i] += dout[r * d + i] * xi * rs;
                dx[r * d + i] += rs * dout[r * d + i] * w[g + i] - rs * rs * rs * xi * dot / d;
            }
        }
    }

    /** out[r][o] = sum_i in[r][i] W[o][i], W at w[off], oc x ic. */
    private double[] linear(double[] w, int off, double[] in, int ic, int oc) {
        double[] out = new double[n * oc];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < oc; o++) {
                double s = 0;
                for (int i = 0; i < ic; i++) s += in[r * ic + i] * w[off + o * ic + i];
                out[r * oc + o] = s;
            }
        }
        return out;
    }

    /** din += dout W; dW += dout^T in. */
    private void linearBackward(double[] w, double[] grad, int off, double[] dout, double[] in, double[] din, int oc, int ic) {
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < oc; o++) {
                double go = dout[r * oc + o];
                if (go == 0) continue;
                for (int i = 0; i < ic; i++) {
                    din[r * ic + i] += go * w[off + o * ic + i];
                    grad[off + o * ic + i] += go * in[r * ic + i];
                }
            }
        }
    }

    /** Rotates every head of each row's [0, width) by the position's angles (or their negatives). */
    private void rope(double[] buf, int width, boolean inverse) {
        int half = hs / 2;
        for (int r = 0; r < n; r++) {
            int t = r % T;
            for (int h0 = 0; h0 < width; h0 += hs) {
                for (int j = 0; j < half; j++) {
                    int i = r * width + h0 + 2 * j;
                    double cs = cos[t * half + j], sn = inverse ? -sin[t * half + j] : sin[t * half + j];
                    double a = buf[i], b = buf[i + 1];
                    buf[i] = a * cs - b * sn;
                    buf[i + 1] = a * sn + b * cs;
                }
            }
        }
    }

    private static double lse(double[] v, int o, int len) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) max = Math.max(max, v[o + i]);
        double s = 0;
        for (int i = 0; i < len; i++) s += Math.exp(v[o + i] - max);
        return max + Math.log(s);
    }
}

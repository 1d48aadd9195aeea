package dev.llamascope.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise and reduction kernels of the forward pass, each a Vector API loop with a scalar tail. Sums and
 * exponentials go through {@link LaneMath} so that results do not depend on the JIT tier.
 */
public final class Kernels {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();

    private Kernels() {}

    /** out[o..o+n) = w * (x[xo..xo+n) / rms(x)), as run.c's rmsnorm (eps added to the mean square). */
    public static void rmsnorm(float[] out, int o, float[] x, int xo, float[] w, int n, float eps) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int b = F.loopBound(n); i < b; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            acc = v.fma(v, acc);
        }
        float ss = LaneMath.sum(acc);
        for (; i < n; i++) ss += x[xo + i] * x[xo + i];
        ss = ss / n + eps;
        ss = 1.0f / (float) Math.sqrt(ss);
        i = 0;
        for (int b = F.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(F, w, i).mul(FloatVector.fromArray(F, x, xo + i).mul(ss)).intoArray(out, o + i);
        }
        for (; i < n; i++) out[o + i] = w[i] * (ss * x[xo + i]);
    }

    /** x[xo..xo+n) += y[yo..yo+n). */
    public static void add(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int b = F.loopBound(n); i < b; i += L) {
            FloatVector.fromArray(F, x, xo + i).add(FloatVector.fromArray(F, y, yo + i)).intoArray(x, xo + i);
        }
        for (; i < n; i++) x[xo + i] += y[yo + i];
    }

    /** h[i] = silu(h[i]) * g[i], silu(v) = v / (1 + e^-v): the SwiGLU gate. */
    public static void swiglu(float[] h, int ho, float[] g, int go, int n) {
        int i = 0;
        for (int b = F.loopBound(n); i < b; i += L) {
            FloatVector v = FloatVector.fromArray(F, h, ho + i);
            FloatVector s = v.div(LaneMath.exp(v.neg()).add(1f));
            s.mul(FloatVector.fromArray(F, g, go + i)).intoArray(h, ho + i);
        }
        for (; i < n; i++) {
            float v = h[ho + i];
            h[ho + i] = v / (1.0f + LaneMath.exp(-v)) * g[go + i];
        }
    }

    /** dot(a[ao..ao+n), b[bo..bo+n)). */
    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float sum;
        if (n >= L) {
            FloatVector acc = FloatVector.zero(F);
            for (int e = F.loopBound(n); i < e; i += L) {
                acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc);
            }
            sum = LaneMath.sum(acc);
        } else {
            sum = 0f;
        }
        for (; i < n; i++) sum += a[ao + i] * b[bo + i];
        return sum;
    }

    /**
     * out[oo + i] = sum over t < n of w[wo + t] * v[vo + t * stride + i], for i < len: attention's weighted sum of
     * values: one fma per element and t, in t order (scalar tails: y += w * v), the arithmetic of the axpy loop it
     * replaced, bit for bit (KernelsTest keeps that axpy as its reference). The sums stay in registers across t:
     * axpy stored and reloaded them for every t, a chain through memory that made it the largest part of attention.
     */
    public static void weightedSum(float[] w, int wo, int n, float[] v, int vo, int stride, float[] out, int oo, int len) {
        int i = 0;
        for (; i + 4 * L <= len; i += 4 * L) weightedSum4(w, wo, n, v, vo + i, stride, out, oo + i);
        int rest = (len - i) / L;
        if (rest == 3) weightedSum3(w, wo, n, v, vo + i, stride, out, oo + i);
        else if (rest == 2) weightedSum2(w, wo, n, v, vo + i, stride, out, oo + i);
        else if (rest == 1) weightedSum1(w, wo, n, v, vo + i, stride, out, oo + i);
        i += rest * L;
        for (; i < len; i++) {
            float y = 0f;
            for (int t = 0; t < n; t++) y += w[wo + t] * v[vo + t * stride + i];
            out[oo + i] = y;
        }
    }

    /**
     * {@link #weightedSum} for four consecutive causal queries at once: query r (r < 4) has weights w[wo + r * ws ..]
     * over n + r terms and its output at out[oo + r * os ..]. Each output is the same bits as weightedSum of that query
     * alone (one fma per element and t, t in order). Why: prefill attention read each
     * value row once per query, a load per fma in a chain; here one load serves four queries, and eight independent
     * chains keep the fma units busy (bench/README.md, tenth session).
     */
    public static void weightedSumQuad(float[] w, int wo, int ws, int n, float[] v, int vo, int stride, float[] out, int oo, int os, int len) {
        if (len % L != 0) { // scalar tails: the queries one by one
            for (int r = 0; r < 4; r++) weightedSum(w, wo + r * ws, n + r, v, vo, stride, out, oo + r * os, len);
            return;
        }
        int i = 0;
        for (; i + 2 * L <= len; i += 2 * L) weightedSumQuad2(w, wo, ws, n, v, vo + i, stride, out, oo + i, os);
        if (i < len) weightedSumQuad1(w, wo, ws, n, v, vo + i, stride, out, oo + i, os);
    }

    /** Two vectors of four queries: eight accumulators. */
    private static void weightedSumQuad2(float[] w, int wo, int ws, int n, float[] v, int vo, int stride, float[] out, int oo, int os) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        int w1 = wo + ws, w2 = wo + 2 * ws, w3 = wo + 3 * ws, o = vo;
        for (int t = 0; t < n; t++, o += stride) {
            FloatVector v0 = FloatVector.fromArray(F, v, o), v1 = FloatVector.fromArray(F, v, o + L);
            FloatVector s = FloatVector.broadcast(F, w[wo + t]);
            a00 = v0.fma(s, a00);
            a01 = v1.fma(s, a01);
            s = FloatVector.broadcast(F, w[w1 + t]);
            a10 = v0.fma(s, a10);
            a11 = v1.fma(s, a11);
            s = FloatVector.broadcast(F, w[w2 + t]);
            a20 = v0.fma(s, a20);
            a21 = v1.fma(s, a21);
            s = FloatVector.broadcast(F, w[w3 + t]);
            a30 = v0.fma(s, a30);
            a31 = v1.fma(s, a31);
        }
        // the three terms past the shared n: query 1 has one more, query 2 two, query 3 three
        FloatVector v0 = FloatVector.fromArray(F, v, o), v1 = FloatVector.fromArray(F, v, o + L);
        FloatVector s = FloatVector.broadcast(F, w[w1 + n]);
        a10 = v0.fma(s, a10);
        a11 = v1.fma(s, a11);
        s = FloatVector.broadcast(F, w[w2 + n]);
        a20 = v0.fma(s, a20);
        a21 = v1.fma(s, a21);
        s = FloatVector.broadcast(F, w[w3 + n]);
        a30 = v0.fma(s, a30);
        a31 = v1.fma(s, a31);
        o += stride;
        v0 = FloatVector.fromArray(F, v, o);
        v1 = FloatVector.fromArray(F, v, o + L);
        s = FloatVector.broadcast(F, w[w2 + n + 1]);
        a20 = v0.fma(s, a20);
        a21 = v1.fma(s, a21);
        s = FloatVector.broadcast(F, w[w3 + n + 1]);
        a30 = v0.fma(s, a30);
        a31 = v1.fma(s, a31);
        o += stride;
        s = FloatVector.broadcast(F, w[w3 + n + 2]);
        a30 = FloatVector.fromArray(F, v, o).fma(s, a30);
        a31 = FloatVector.fromArray(F, v, o + L).fma(s, a31);
        a00.intoArray(out, oo);
        a01.intoArray(out, oo + L);
        a10.intoArray(out, oo + os);
        a11.intoArray(out, oo + os + L);
        a20.intoArray(out, oo + 2 * os);
        a21.intoArray(out, oo + 2 * os + L);
        a30.intoArray(out, oo + 3 * os);
        a31.intoArray(out, oo + 3 * os + L);
    }

    /** One vector of four queries. */
    private static void weightedSumQuad1(float[] w, int wo, int ws, int n, float[] v, int vo, int stride, float[] out, int oo, int os) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int w1 = wo + ws, w2 = wo + 2 * ws, w3 = wo + 3 * ws, o = vo;
        for (int t = 0; t < n; t++, o += stride) {
            FloatVector x = FloatVector.fromArray(F, v, o);
            a0 = x.fma(FloatVector.broadcast(F, w[wo + t]), a0);
            a1 = x.fma(FloatVector.broadcast(F, w[w1 + t]), a1);
            a2 = x.fma(FloatVector.broadcast(F, w[w2 + t]), a2);
            a3 = x.fma(FloatVector.broadcast(F, w[w3 + t]), a3);
        }
        FloatVector x = FloatVector.fromArray(F, v, o);
        a1 = x.fma(FloatVector.broadcast(F, w[w1 + n]), a1);
        a2 = x.fma(FloatVector.broadcast(F, w[w2 + n]), a2);
        a3 = x.fma(FloatVector.broadcast(F, w[w3 + n]), a3);
        x = FloatVector.fromArray(F, v, o + stride);
        a2 = x.fma(FloatVector.broadcast(F, w[w2 + n + 1]), a2);
        a3 = x.fma(FloatVector.broadcast(F, w[w3 + n + 1]), a3);
        a3 = FloatVector.fromArray(F, v, o + 2 * stride).fma(FloatVector.broadcast(F, w[w3 + n + 2]), a3);
        a0.intoArray(out, oo);
        a1.intoArray(out, oo + os);
        a2.intoArray(out, oo + 2 * os);
        a3.intoArray(out, oo + 3 * os);
    }

    private static void weightedSum4(float[] w, int wo, int n, float[] v, int vo, int stride, float[] out, int oo) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int t = 0, o = vo; t < n; t++, o += stride) {
            FloatVector s = FloatVector.broadcast(F, w[wo + t]);
            a0 = FloatVector.fromArray(F, v, o).fma(s, a0);
            a1 = FloatVector.fromArray(F, v, o + L).fma(s, a1);
            a2 = FloatVector.fromArray(F, v, o + 2 * L).fma(s, a2);
            a3 = FloatVector.fromArray(F, v, o + 3 * L).fma(s, a3);
        }
        a0.intoArray(out, oo);
        a1.intoArray(out, oo + L);
        a2.intoArray(out, oo + 2 * L);
        a3.intoArray(out, oo + 3 * L);
    }

    private static void weightedSum3(float[] w, int wo, int n, float[] v, int vo, int stride, float[] out, int oo) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0;
        for (int t = 0, o = vo; t < n; t++, o += stride) {
            FloatVector s = FloatVector.broadcast(F, w[wo + t]);
            a0 = FloatVector.fromArray(F, v, o).fma(s, a0);
            a1 = FloatVector.fromArray(F, v, o + L).fma(s, a1);
            a2 = FloatVector.fromArray(F, v, o + 2 * L).fma(s, a2);
        }
        a0.intoArray(out, oo);
        a1.intoArray(out, oo + L);
        a2.intoArray(out, oo + 2 * L);
    }

    private static void weightedSum2(float[] w, int wo, int n, float[] v, int vo, int stride, float[] out, int oo) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int t = 0, o = vo; t < n; t++, o += stride) {
            FloatVector s = FloatVector.broadcast(F, w[wo + t]);
            a0 = FloatVector.fromArray(F, v, o).fma(s, a0);
            a1 = FloatVector.fromArray(F, v, o + L).fma(s, a1);
        }
        a0.intoArray(out, oo);
        a1.intoArray(out, oo + L);
    }

    private static void weightedSum1(float[] w, int wo, int n, float[] v, int vo, int stride, float[] out, int oo) {
        FloatVector a0 = FloatVector.zero(F);
        for (int t = 0, o = vo; t < n; t++, o += stride) a0 = FloatVector.fromArray(F, v, o).fma(FloatVector.broadcast(F, w[wo + t]), a0);
        a0.intoArray(out, oo);
    }

    /**
     * In-place softmax of x[o..o+n): exp(x - max) / sum, vectorised. The maximum is taken by lanes: Math.max's
     * result (NaN and signed zeros included) does not depend on the order, and the scalar loop was a chain of
     * dependent max operations (a few % of prefill's samples).
     */
    public static void softmax(float[] x, int o, int n) {
        float max = x[o];
        int i = 0;
        if (n >= L) {
            FloatVector mx = FloatVector.fromArray(F, x, o);
            for (int e = F.loopBound(n); i < e; i += L) mx = mx.max(FloatVector.fromArray(F, x, o + i));
            max = mx.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) max = Math.max(max, x[o + i]);
        FloatVector acc = FloatVector.zero(F);
        i = 0;
        for (int e = F.loopBound(n); i < e; i += L) {
            FloatVector v = LaneMath.exp(FloatVector.fromArray(F, x, o + i).sub(max));
            v.intoArray(x, o + i);
            acc = acc.add(v);
        }
        float sum = LaneMath.sum(acc);
        if (i < n) {
            // The tail's exponentials in one masked vector (the scalar LaneMath.exp gives the same bits, one at a
            // time: it was about half of a softmax over 130 scores), added to the sum one by one, in order.
            VectorMask<Float> m = F.indexInRange(i, n);
            LaneMath.exp(FloatVector.fromArray(F, x, o + i, m).sub(max)).intoArray(x, o + i, m);
            for (; i < n; i++) sum += x[o + i];
        }
        float inv = 1.0f / sum;
        i = 0;
        for (int e = F.loopBound(n); i < e; i += L) FloatVector.fromArray(F, x, o + i).mul(inv).intoArray(x, o + i);
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector.fromArray(F, x, o + i, m).mul(inv).intoArray(x, o + i, m);
        }
    }

    /** Index of the largest value (the first on ties), as run.c's argmax. */
    public static int argmax(float[] x, int n) {
        int best = 0;
        float max = x[0];
        for (int i = 1; i < n; i++) {
            if (x[i] > max) {
                max = x[i];
                best = i;
            }
        }
        return best;
    }
}

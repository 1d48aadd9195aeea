package dev.llamascope.engine.tensor;

import jdk.incubator.vector.FloatVector;
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

    /** In-place softmax of x[o..o+n): exp(x - max) / sum, vectorised. */
    public static void softmax(float[] x, int o, int n) {
        float max = x[o];
        for (int i = 1; i < n; i++) max = Math.max(max, x[o + i]);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int e = F.loopBound(n); i < e; i += L) {
            FloatVector v = LaneMath.exp(FloatVector.fromArray(F, x, o + i).sub(max));
            v.intoArray(x, o + i);
            acc = acc.add(v);
        }
        float sum = LaneMath.sum(acc);
        for (; i < n; i++) {
            float v = LaneMath.exp(x[o + i] - max);
            x[o + i] = v;
            sum += v;
        }
        float inv = 1.0f / sum;
        i = 0;
        for (int e = F.loopBound(n); i < e; i += L) FloatVector.fromArray(F, x, o + i).mul(inv).intoArray(x, o + i);
        for (; i < n; i++) x[o + i] *= inv;
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

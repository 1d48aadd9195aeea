package dev.llamascope.engine.train;

import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.tensor.ComputePool;

/**
 * AdamW exactly as PyTorch's single-tensor implementation computes it in fp32, over the flat weight array: per
 * element, with g the (clipped) gradient and t the 1-based step,
 * <pre>
 *   p = p * (1 - lr * wd)                      only for matrices and the embedding (never norm gains)
 *   m = m + (1 - beta1) * (g - m)              (torch.lerp)
 *   v = v * beta2 + (1 - beta2) * g * g        (mul_, addcmul_)
 *   p = p + (-lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)   (addcdiv_)
 * </pre>
 * with the scalar factors computed in double from the double hyperparameters, as Python does, then rounded to float.
 *
 * @param weightDecay decoupled decay, applied to the kinds {@link FlatWeights#decays} names
 */
public record AdamW(double beta1, double beta2, double eps, double weightDecay) {
    private static final int CHUNK = 1 << 15;

    public AdamW {
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        if (!(eps > 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("eps must be positive, got " + eps);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }

    /** llama2.c's trainer defaults: betas (0.9, 0.95), eps 1e-8, weight decay 0.1. */
    public static AdamW defaults() {
        return new AdamW(0.9, 0.95, 1e-8, 0.1);
    }

    /**
     * One update of every weight. {@code gradScale} multiplies each gradient first (the clipping coefficient,
     * 1 when not clipping), as clip_grad_norm_ multiplies the gradients in place before the optimizer runs.
     */
    public void update(ComputePool pool, FlatWeights layout, float[] w, float[] g, float[] m, float[] v,
                       double lr, float gradScale, long step) {
        if (step < 1) throw new IllegalArgumentException("AdamW steps count from 1, got " + step);
        float decayed = (float) (1.0 - lr * weightDecay);
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1.0 - beta1), oneMinusB2 = (float) (1.0 - beta2);
        double bc1 = 1.0 - Math.pow(beta1, step), bc2 = 1.0 - Math.pow(beta2, step);
        float negStep = (float) -(lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float e = (float) eps;
        for (FlatWeights.Kind k : FlatWeights.Kind.values()) {
            int n = layout.count(k) * layout.numel(k);
            if (n == 0) continue;
            int start = layout.offset(k, 0);
            float decay = FlatWeights.decays(k) ? decayed : 1f;
            pool.parallelFor((n + CHUNK - 1) / CHUNK, 1, (c0, c1) -> {
                int from = start + c0 * CHUNK, to = Math.min(start + n, start + c1 * CHUNK);
                for (int i = from; i < to; i++) {
                    float gi = g[i] * gradScale;
                    float p = w[i] * decay;
                    float mi = m[i] + oneMinusB1 * (gi - m[i]);
                    float vi = v[i] * b2 + oneMinusB2 * gi * gi;
                    float denom = (float) Math.sqrt(vi) / bc2Sqrt + e;
                    w[i] = p + negStep * mi / denom;
                    m[i] = mi;
                    v[i] = vi;
                }
            });
        }
    }

    /**
     * The coefficient clip_grad_norm_ multiplies gradients by: min(1, maxNorm / (norm + 1e-6)), in fp32; 1 when
     * clipping is off (maxNorm 0).
     */
    public static float clipCoefficient(double norm, float maxNorm) {
        if (maxNorm <= 0) return 1f;
        float coef = maxNorm / ((float) norm + 1e-6f);
        return Math.min(coef, 1f);
    }
}

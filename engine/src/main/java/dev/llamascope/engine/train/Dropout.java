package dev.llamascope.engine.train;

import dev.llamascope.engine.tensor.ComputePool;

/**
 * Dropout masks from a counter-based hash instead of a random stream: whether element i of a site is kept is a pure
 * function of (key, site, layer, i). The backward pass regenerates the forward's mask instead of storing it, threads
 * need no shared generator (results do not depend on scheduling), and a resumed run draws exactly the masks the
 * uninterrupted run would have drawn, because the key is derived from the seed and the micro-batch counter.
 *
 * <p>Kept elements are scaled by 1/(1-p), dropped ones are zero, as {@code torch.nn.Dropout} in training mode. llama2.c
 * applies dropout to the embedding output, the attention probabilities, and each residual branch (after wo and after
 * w2); the {@link Site} values name those places.
 */
public final class Dropout {
    /** Where a mask is applied; part of the hash so that sites draw independent masks. */
    public enum Site { EMBEDDING, ATTENTION, ATTENTION_OUT, FFN_OUT }

    private final float p;
    private final float scale;
    /** Elements whose 53-bit hash value is below this are dropped. */
    private final long threshold;

    public Dropout(float p) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
        this.p = p;
        this.scale = p == 0f ? 1f : 1f / (1f - p);
        this.threshold = (long) Math.ceil(p * (double) (1L << 53));
    }

    public float p() {
        return p;
    }

    public boolean active() {
        return p > 0f;
    }

    /** The factor a kept element is multiplied by: 1/(1-p). */
    public float scale() {
        return scale;
    }

    /** The key of one micro-batch: all its masks derive from it. */
    public static long key(long seed, long microBatch) {
        return mix(mix(seed ^ 0x6a09e667f3bcc909L) + microBatch * 0x9e3779b97f4a7c15L);
    }

    /** The base of a (site, layer) stream within a micro-batch; element i's hash is {@code mix(base + i * GAMMA)}. */
    public static long stream(long key, Site site, int layer) {
        return mix(key + (site.ordinal() + 1L) * 0xbf58476d1ce4e5b9L + (layer + 1L) * 0x94d049bb133111ebL);
    }

    /** The multiplier of element i of a stream: 0 (dropped) or {@link #scale()} (kept). */
    public float factor(long stream, long i) {
        return (mix(stream + i * 0x9e3779b97f4a7c15L) >>> 11) < threshold ? 0f : scale;
    }

    /** x[o + j] *= factor(stream, first + j) for j < n. */
    public void apply(long stream, long first, float[] x, int o, int n) {
        for (int j = 0; j < n; j++) x[o + j] *= factor(stream, first + j);
    }

    /** dst[o + j] = src[so + j] * factor(stream, first + j) for j < n. */
    public void apply(long stream, long first, float[] src, int so, float[] dst, int o, int n) {
        for (int j = 0; j < n; j++) dst[o + j] = src[so + j] * factor(stream, first + j);
    }

    /** The same as {@link #apply(long, long, float[], int, float[], int, int)} split across a pool (a pure function of the index). */
    public void apply(ComputePool pool, long stream, long first, float[] src, int so, float[] dst, int o, int n) {
        int chunk = 1 << 14;
        pool.parallelFor((n + chunk - 1) / chunk, 1, (c0, c1) -> {
            int from = c0 * chunk, to = Math.min(n, c1 * chunk);
            apply(stream, first + from, src, so + from, dst, o + from, to - from);
        });
    }

    /** SplitMix64's finalizer: a bijection on 64 bits with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}

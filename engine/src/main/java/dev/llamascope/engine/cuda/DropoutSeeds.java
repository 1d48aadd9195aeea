package dev.llamascope.engine.cuda;

/**
 * One seed per (step, layer, site) for the dropout masks, so the backward pass regenerates the forward pass's masks
 * instead of storing them. The kernels hash (seed, element index) with splitmix64's finalizer (common.cuh's
 * ls_uniform); {@link #uniform} is the same function in Java, for references and tests.
 */
public final class DropoutSeeds {
    private DropoutSeeds() {}

    public static final int EMBEDDING = 0, ATTENTION = 1, ATTENTION_RESIDUAL = 2, FFN_RESIDUAL = 3;

    public static long site(long seed, int step, int layer, int site) {
        long z = mix(seed ^ 0x6c6c616d6173636fL);
        z = mix(z + step);
        z = mix(z + layer + 1);
        return mix(z + site);
    }

    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** ls_uniform(seed, idx): a float in [0, 1) from the top 24 bits of the hash. */
    public static float uniform(long seed, long idx) {
        long z = seed + idx * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (float) (z >>> 40) * (1.0f / 16777216.0f);
    }

    /** ls_dropout_scale: 0 when dropped, 1 / (1 - p) when kept, 1 when p == 0. */
    public static float scale(float p, long seed, long idx) {
        if (p <= 0f) return 1f;
        return uniform(seed, idx) >= p ? 1.0f / (1.0f - p) : 0f;
    }
}

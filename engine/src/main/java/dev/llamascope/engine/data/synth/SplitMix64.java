package dev.llamascope.engine.data.synth;

/**
 * Steele, Lea and Flood's SplitMix64 generator, written out so that a seeded prompt set is the same on every JDK
 * (java.util.Random's and SplittableRandom's algorithms are not promised to stay as they are).
 */
public final class SplitMix64 {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** An independent stream for item {@code index} of a seeded set, so any item can be rebuilt on its own. */
    public static SplitMix64 forItem(long seed, long index) {
        return new SplitMix64(mix(seed) ^ mix(index * GOLDEN + 0x632BE59BD9B4E019L));
    }

    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound) without modulo bias (rejects the top partial block). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long limit = Long.remainderUnsigned(-1L, bound); // (2^64 - 1) mod bound ... values above 2^64-1-limit are biased
        while (true) {
            long r = nextLong();
            if (Long.compareUnsigned(r, -1L - limit) < 0 || limit == bound - 1) return (int) Long.remainderUnsigned(r, bound);
        }
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}

package dev.llamascope.engine.data.diversity;

/** 64-bit mixing for word ids, n-grams and MinHash permutations (SplitMix64's finalizer). */
final class Hashing {
    private Hashing() {}

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A hash of the word ids ids[from .. from+n). */
    static long ngram(int[] ids, int from, int n) {
        long h = 0x243F6A8885A308D3L + n;
        for (int i = 0; i < n; i++) h = mix(h ^ (ids[from + i] + 0x9E3779B97F4A7C15L * (i + 1)));
        return h;
    }
}

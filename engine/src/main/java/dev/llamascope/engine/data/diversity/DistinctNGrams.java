package dev.llamascope.engine.data.diversity;

/**
 * Distinct-n (Li et al., 2016): distinct word n-grams over all n-grams of the corpus.
 */
public record DistinctNGrams(int n, long total, long distinct) {
    public double ratio() {
        return total == 0 ? 0 : (double) distinct / total;
    }
}

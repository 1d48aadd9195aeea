package dev.llamascope.engine.data.diversity;

/**
 * Settings of a diversity report.
 *
 * @param shingleWords words per shingle for near-duplicate detection
 * @param hashes       MinHash signature length
 * @param bands        LSH bands (hashes / bands rows each); more bands find less similar pairs
 * @param threshold    Jaccard similarity from which two documents count as near-duplicates
 * @param maxPairs     near-duplicate pairs listed in the report (all are counted)
 * @param histogramBins at most this many length bins
 * @param topWords     most used words listed per word list
 */
public record DiversityOptions(int shingleWords, int hashes, int bands, double threshold, int maxPairs, int histogramBins,
                               int topWords) {
    public DiversityOptions {
        if (shingleWords < 1) throw new IllegalArgumentException("shingles need at least one word");
        if (hashes < 1 || bands < 1 || hashes % bands != 0)
            throw new IllegalArgumentException("the MinHash length (" + hashes + ") must be a multiple of the LSH bands (" + bands + ")");
        if (!(threshold > 0 && threshold <= 1)) throw new IllegalArgumentException("the Jaccard threshold must be in (0, 1], got " + threshold);
        if (maxPairs < 0 || histogramBins < 1 || topWords < 0) throw new IllegalArgumentException("bad report sizes");
    }

    /** 5-word shingles, 128 hashes in 32 bands of 4 (candidates from about Jaccard 0.4), pairs from 0.7. */
    public static DiversityOptions defaults() {
        return new DiversityOptions(5, 128, 32, 0.7, 100, 20, 20);
    }

    public DiversityOptions withThreshold(double t) {
        return new DiversityOptions(shingleWords, hashes, bands, t, maxPairs, histogramBins, topWords);
    }
}

package dev.llamascope.engine.data.diversity;

import java.util.List;

/**
 * Documents that are nearly the same, found with MinHash signatures and LSH banding, each candidate checked with
 * the exact Jaccard similarity of its word shingles.
 *
 * @param candidates         pairs LSH put in a common bucket
 * @param pairs              the checked pairs at or above the threshold, most similar first (capped)
 * @param pairCount          all such pairs (pairs may list fewer)
 * @param clusters           groups of documents linked by such pairs
 * @param redundantDocuments documents one could drop keeping one per group (documents in groups − groups)
 */
public record NearDuplicates(int shingleWords, int hashes, int bands, double threshold, long candidates, List<Pair> pairs,
                             long pairCount, int clusters, int redundantDocuments) {

    /** Documents by their index in the input. */
    public record Pair(int first, int second, double jaccard) {}
}

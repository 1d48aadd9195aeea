package dev.llamascope.engine.data.diversity;

import dev.llamascope.engine.tensor.ComputePool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes a {@link DiversityReport} for a list of documents. Tokenizing, shingling and MinHash signatures run in
 * parallel on the compute pool; the n-gram sets and LSH buckets are built in one thread afterwards.
 */
public final class DiversityAnalyzer {
    private final DiversityOptions options;
    private final ComputePool pool;

    public DiversityAnalyzer(DiversityOptions options, ComputePool pool) {
        this.options = options;
        this.pool = pool;
    }

    /** @param coverage counts word-list use; null for no coverage section */
    public DiversityReport analyze(List<String> documents, CoverageCounter coverage) {
        int n = documents.size();
        List<List<String>> words = new ArrayList<>(n);
        for (int i = 0; i < n; i++) words.add(null);
        pool.parallelFor(n, (a, b) -> {
            for (int i = a; i < b; i++) words.set(i, TextWords.words(documents.get(i)));
        });

        // Word ids, in first-seen order so the result does not depend on threads.
        Map<String, Integer> vocab = new HashMap<>();
        int[][] ids = new int[n][];
        long[] lengths = new long[n];
        long totalWords = 0;
        for (int i = 0; i < n; i++) {
            List<String> w = words.get(i);
            int[] d = new int[w.size()];
            for (int j = 0; j < d.length; j++) d[j] = vocab.computeIfAbsent(w.get(j), k -> vocab.size());
            ids[i] = d;
            lengths[i] = d.length;
            totalWords += d.length;
            if (coverage != null) coverage.add(documents.get(i), w);
        }

        List<DistinctNGrams> distinct = new ArrayList<>();
        for (int k = 1; k <= 3; k++) distinct.add(distinctNGrams(ids, k));
        NearDuplicates dups = nearDuplicates(ids);
        return new DiversityReport(n, totalWords, coverage == null ? null : coverage.result(options.topWords()), distinct, dups,
                LengthHistogram.of("words", lengths, options.histogramBins()));
    }

    private static DistinctNGrams distinctNGrams(int[][] ids, int k) {
        LongSet set = new LongSet();
        long total = 0;
        for (int[] d : ids) {
            for (int i = 0; i + k <= d.length; i++) {
                set.add(k == 1 ? d[i] : k == 2 ? ((long) d[i] << 32) | d[i + 1] : Hashing.ngram(d, i, k));
                total++;
            }
        }
        return new DistinctNGrams(k, total, set.size());
    }

    /** Sorted distinct shingle hashes of a document (one shingle of the whole text when it is shorter). */
    private long[] shingles(int[] d) {
        int k = Math.min(options.shingleWords(), Math.max(1, d.length));
        if (d.length == 0) return new long[0];
        long[] s = new long[d.length - k + 1];
        for (int i = 0; i < s.length; i++) s[i] = Hashing.ngram(d, i, k);
        Arrays.sort(s);
        int m = 0;
        for (int i = 0; i < s.length; i++) if (i == 0 || s[i] != s[i - 1]) s[m++] = s[i];
        return Arrays.copyOf(s, m);
    }

    private NearDuplicates nearDuplicates(int[][] ids) {
        int n = ids.length, h = options.hashes(), bands = options.bands(), rows = h / bands;
        long[][] sh = new long[n][];
        long[][] sig = new long[n][];
        long[] salts = new long[h];
        for (int i = 0; i < h; i++) salts[i] = Hashing.mix(0x5EED0000L + i);
        pool.parallelFor(n, (a, b) -> {
            for (int i = a; i < b; i++) {
                sh[i] = shingles(ids[i]);
                long[] s = new long[h];
                Arrays.fill(s, Long.MAX_VALUE);
                for (long x : sh[i]) for (int j = 0; j < h; j++) s[j] = Math.min(s[j], Hashing.mix(x ^ salts[j]));
                sig[i] = s;
            }
        });
        // LSH: documents whose signatures agree on all rows of some band become candidates.
        Candidates c = new Candidates(sh, options.threshold());
        for (int band = 0; band < bands; band++) {
            Map<Long, List<Integer>> buckets = new HashMap<>();
            for (int i = 0; i < n; i++) {
                if (sh[i].length == 0) continue;
                long key = band;
                for (int r = 0; r < rows; r++) key = Hashing.mix(key ^ sig[i][band * rows + r]);
                buckets.computeIfAbsent(key, x -> new ArrayList<>()).add(i);
            }
            for (List<Integer> docs : buckets.values()) {
                int m = docs.size();
                if (m <= 64) {
                    for (int x = 1; x < m; x++) for (int y = 0; y < x; y++) c.check(docs.get(y), docs.get(x));
                } else {
                    // Many copies of one text: each against the first and its neighbour links the whole group
                    // without checking m^2 pairs.
                    for (int x = 1; x < m; x++) {
                        c.check(docs.get(0), docs.get(x));
                        if (x > 1) c.check(docs.get(x - 1), docs.get(x));
                    }
                }
            }
        }
        List<NearDuplicates.Pair> found = c.found;
        int[] parent = c.parent;
        long candidates = c.candidates;
        found.sort((p, q) -> p.jaccard() != q.jaccard() ? Double.compare(q.jaccard(), p.jaccard())
                : p.first() != q.first() ? Integer.compare(p.first(), q.first()) : Integer.compare(p.second(), q.second()));
        Map<Integer, Integer> groupSize = new HashMap<>();
        for (int i = 0; i < n; i++) groupSize.merge(find(parent, i), 1, Integer::sum);
        int clusters = 0, redundant = 0;
        for (int s : groupSize.values()) {
            if (s > 1) {
                clusters++;
                redundant += s - 1;
            }
        }
        return new NearDuplicates(options.shingleWords(), h, bands, options.threshold(), candidates,
                List.copyOf(found.subList(0, Math.min(options.maxPairs(), found.size()))), found.size(), clusters, redundant);
    }

    /** Checks each candidate pair once, keeping those at or above the threshold and linking their groups. */
    private static final class Candidates {
        final long[][] shingles;
        final double threshold;
        final java.util.Set<Long> seen = new java.util.HashSet<>();
        final List<NearDuplicates.Pair> found = new ArrayList<>();
        final int[] parent;
        long candidates;

        Candidates(long[][] shingles, double threshold) {
            this.shingles = shingles;
            this.threshold = threshold;
            parent = new int[shingles.length];
            for (int i = 0; i < parent.length; i++) parent[i] = i;
        }

        void check(int a, int b) {
            if (!seen.add(((long) a << 32) | b)) return;
            candidates++;
            double j = jaccard(shingles[a], shingles[b]);
            if (j >= threshold) {
                found.add(new NearDuplicates.Pair(a, b, j));
                union(parent, a, b);
            }
        }
    }

    static double jaccard(long[] a, long[] b) {
        int i = 0, j = 0, inter = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                inter++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        int union = a.length + b.length - inter;
        return union == 0 ? 1 : (double) inter / union;
    }

    private static int find(int[] p, int x) {
        while (p[x] != x) {
            p[x] = p[p[x]];
            x = p[x];
        }
        return x;
    }

    private static void union(int[] p, int a, int b) {
        int ra = find(p, a), rb = find(p, b);
        if (ra != rb) p[Math.max(ra, rb)] = Math.min(ra, rb);
    }
}

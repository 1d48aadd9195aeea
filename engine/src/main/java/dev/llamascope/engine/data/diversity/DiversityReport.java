package dev.llamascope.engine.data.diversity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How varied a set of texts is: word-list coverage, distinct n-gram ratios, near-duplicates and lengths. Plain
 * data for the Data pane's charts ({@link #toJson()}) and a few lines for the command line ({@link #summary()}).
 *
 * @param coverage null when no word lists were given
 */
public record DiversityReport(int documents, long words, VocabularyCoverage coverage, List<DistinctNGrams> distinct,
                              NearDuplicates nearDuplicates, LengthHistogram lengths) {

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("documents", documents);
        m.put("words", words);
        if (coverage != null) {
            List<Object> cats = new ArrayList<>();
            for (VocabularyCoverage.Category c : coverage.categories()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("name", c.name());
                cm.put("listed", c.listed());
                cm.put("used", c.used());
                cm.put("ratio", c.ratio());
                List<Object> top = new ArrayList<>();
                for (VocabularyCoverage.WordCount w : c.mostUsed()) top.add(List.of(w.word(), w.documents()));
                cm.put("most_used", top);
                cm.put("unused", c.unused());
                cats.add(cm);
            }
            m.put("coverage", cats);
        }
        List<Object> d = new ArrayList<>();
        for (DistinctNGrams g : distinct) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("n", g.n());
            gm.put("total", g.total());
            gm.put("distinct", g.distinct());
            gm.put("ratio", g.ratio());
            d.add(gm);
        }
        m.put("distinct_ngrams", d);
        Map<String, Object> nd = new LinkedHashMap<>();
        nd.put("shingle_words", nearDuplicates.shingleWords());
        nd.put("hashes", nearDuplicates.hashes());
        nd.put("bands", nearDuplicates.bands());
        nd.put("threshold", nearDuplicates.threshold());
        nd.put("candidates", nearDuplicates.candidates());
        nd.put("pair_count", nearDuplicates.pairCount());
        nd.put("clusters", nearDuplicates.clusters());
        nd.put("redundant_documents", nearDuplicates.redundantDocuments());
        List<Object> pairs = new ArrayList<>();
        for (NearDuplicates.Pair p : nearDuplicates.pairs()) pairs.add(List.of(p.first(), p.second(), p.jaccard()));
        nd.put("pairs", pairs);
        m.put("near_duplicates", nd);
        Map<String, Object> lm = new LinkedHashMap<>();
        lm.put("unit", lengths.unit());
        lm.put("min", lengths.min());
        lm.put("max", lengths.max());
        lm.put("mean", lengths.mean());
        lm.put("median", lengths.median());
        lm.put("p10", lengths.p10());
        lm.put("p90", lengths.p90());
        List<Object> bins = new ArrayList<>();
        for (LengthHistogram.Bin b : lengths.bins()) bins.add(List.of(b.from(), b.to(), b.count()));
        lm.put("bins", bins);
        m.put("lengths", lm);
        return m;
    }

    /** A few lines for a terminal. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "documents %d, words %d (per document: mean %.1f, median %d, p10 %d, p90 %d, max %d)%n",
                documents, words, lengths.mean(), lengths.median(), lengths.p10(), lengths.p90(), lengths.max()));
        if (coverage != null) {
            sb.append("word lists used:");
            for (VocabularyCoverage.Category c : coverage.categories())
                sb.append(String.format(Locale.ROOT, " %s %d/%d (%.1f%%)", c.name(), c.used(), c.listed(), 100 * c.ratio()));
            sb.append(System.lineSeparator());
        }
        sb.append("distinct n-grams:");
        for (DistinctNGrams g : distinct) sb.append(String.format(Locale.ROOT, " distinct-%d %.4f (%d of %d)", g.n(), g.ratio(), g.distinct(), g.total()));
        sb.append(System.lineSeparator());
        NearDuplicates nd = nearDuplicates;
        sb.append(String.format(Locale.ROOT, "near-duplicates (Jaccard >= %.2f over %d-word shingles; MinHash %d, LSH %d bands): %d pairs, %d clusters, %d redundant documents%n",
                nd.threshold(), nd.shingleWords(), nd.hashes(), nd.bands(), nd.pairCount(), nd.clusters(), nd.redundantDocuments()));
        for (NearDuplicates.Pair p : nd.pairs().subList(0, Math.min(5, nd.pairs().size())))
            sb.append(String.format(Locale.ROOT, "  documents %d and %d: Jaccard %.3f%n", p.first() + 1, p.second() + 1, p.jaccard()));
        sb.append("length histogram (").append(lengths.unit()).append("):").append(System.lineSeparator());
        long peak = lengths.bins().stream().mapToLong(LengthHistogram.Bin::count).max().orElse(1);
        for (LengthHistogram.Bin b : lengths.bins()) {
            int bar = (int) Math.round(40.0 * b.count() / Math.max(1, peak));
            sb.append(String.format(Locale.ROOT, "  %6d-%-6d %7d %s%n", b.from(), b.to() - 1, b.count(), "#".repeat(bar)));
        }
        return sb.toString();
    }
}

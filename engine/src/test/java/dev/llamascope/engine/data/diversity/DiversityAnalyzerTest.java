package dev.llamascope.engine.data.diversity;

import static org.junit.jupiter.api.Assertions.*;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.data.synth.AssetSource;
import dev.llamascope.engine.data.synth.SplitMix64;
import dev.llamascope.engine.data.synth.WordLists;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DiversityAnalyzerTest {
    static ComputePool pool;

    @BeforeAll
    static void start() {
        pool = new ComputePool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static DiversityReport analyze(List<String> docs, CoverageCounter c) {
        return new DiversityAnalyzer(DiversityOptions.defaults(), pool).analyze(docs, c);
    }

    @Test
    void wordsAreLowerCaseRunsAndSingleHanCharacters() {
        assertEquals(List.of("lily's", "dog", "didn't", "run", "2", "times"), TextWords.words("Lily’s dog didn't run, 2 times!"));
        assertEquals(List.of("小", "猫", "跑", "了", "ok"), TextWords.words("小猫跑了。OK"));
        assertEquals(List.of("it", "s"), TextWords.words("it' s"));
    }

    @Test
    void distinctNGramsCountedByHand() {
        DiversityReport r = analyze(List.of("a b a b", "A b c."), null);
        assertEquals(new DistinctNGrams(1, 7, 3), r.distinct().get(0));
        assertEquals(new DistinctNGrams(2, 5, 3), r.distinct().get(1));
        assertEquals(new DistinctNGrams(3, 3, 3), r.distinct().get(2));
        assertEquals(7, r.words());
        assertNull(r.coverage());
    }

    @Test
    void coverageFindsInflectedAndIrregularForms() {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        lists.put("nouns", List.of("dog", "mouse", "leaf", "box"));
        lists.put("verbs", List.of("run", "hop", "cry", "dance"));
        lists.put("adjectives", List.of("happy", "big", "red"));
        CoverageCounter c = new CoverageCounter(lists, Map.of("run", List.of("ran"), "mouse", List.of("mice")));
        DiversityReport r = analyze(List.of("The dogs ran. Mice hopped in the leaves.", "She cried, happier than a bigger dog.",
                "Dancing is fun."), c);
        VocabularyCoverage.Category nouns = r.coverage().category("nouns");
        assertEquals(3, nouns.used());
        assertEquals(List.of("box"), nouns.unused());
        assertEquals(new VocabularyCoverage.WordCount("dog", 2), nouns.mostUsed().get(0));
        assertEquals(4, r.coverage().category("verbs").used());
        assertEquals(List.of("red"), r.coverage().category("adjectives").unused());
        assertEquals(9, r.coverage().category("all").used());
        assertEquals(11, r.coverage().category("all").listed());
    }

    @Test
    void chineseWordsAreFoundAsSubstrings() {
        CoverageCounter c = new CoverageCounter(Map.of("words", List.of("小猫", "跑", "开心", "大象")), Map.of());
        DiversityReport r = analyze(List.of("小猫很开心。", "它跑得很快，小猫笑了。"), c);
        VocabularyCoverage.Category w = r.coverage().category("words");
        assertEquals(3, w.used());
        assertEquals(List.of("大象"), w.unused());
        assertEquals(new VocabularyCoverage.WordCount("小猫", 2), w.mostUsed().get(0));
    }

    /** Random documents with planted near-copies: LSH must find exactly the pairs a brute-force check finds. */
    @Test
    void minHashLshFindsThePlantedNearDuplicates() {
        SplitMix64 rng = new SplitMix64(99);
        List<String> vocab = new ArrayList<>();
        for (int i = 0; i < 3000; i++) vocab.add("w" + i);
        List<String> docs = new ArrayList<>();
        for (int d = 0; d < 300; d++) docs.add(randomDoc(rng, vocab, 80 + rng.nextInt(60)));
        // three edited copies (2 words changed of ~100: Jaccard about 0.85) and one text three times
        for (int k = 0; k < 3; k++) {
            String[] w = docs.get(10 * k).split(" ");
            w[20] = "changed";
            w[60] = "edited";
            docs.add(String.join(" ", w));
        }
        docs.add(docs.get(50));
        docs.add(docs.get(50));
        DiversityReport r = analyze(docs, null);
        Set<String> expected = new HashSet<>();
        List<long[]> sh = new ArrayList<>();
        DiversityAnalyzer a = new DiversityAnalyzer(DiversityOptions.defaults(), pool);
        for (int i = 0; i < docs.size(); i++) {
            List<String> ws = TextWords.words(docs.get(i));
            int[] ids = ws.stream().mapToInt(s -> s.hashCode()).toArray();
            sh.add(shingles(ids, 5));
        }
        for (int i = 0; i < docs.size(); i++)
            for (int j = i + 1; j < docs.size(); j++)
                if (DiversityAnalyzer.jaccard(sh.get(i), sh.get(j)) >= 0.7) expected.add(i + "-" + j);
        Set<String> got = new HashSet<>();
        for (NearDuplicates.Pair p : r.nearDuplicates().pairs()) got.add(p.first() + "-" + p.second());
        assertEquals(6, expected.size(), "3 edited pairs and the 3 pairs of a triple");
        assertEquals(expected, got);
        assertEquals(6, r.nearDuplicates().pairCount());
        assertEquals(4, r.nearDuplicates().clusters());
        assertEquals(5, r.nearDuplicates().redundantDocuments());
        assertEquals(1.0, r.nearDuplicates().pairs().get(0).jaccard());
        assertTrue(r.nearDuplicates().candidates() < 200, "LSH checks few pairs, checked " + r.nearDuplicates().candidates());
    }

    private static String randomDoc(SplitMix64 rng, List<String> vocab, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) sb.append(i == 0 ? "" : " ").append(vocab.get(rng.nextInt(vocab.size())));
        return sb.toString();
    }

    private static long[] shingles(int[] ids, int k) {
        Set<Long> s = new HashSet<>();
        for (int i = 0; i + k <= ids.length; i++) s.add(Hashing.ngram(ids, i, k));
        return s.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    @Test
    void lengthHistogramHasRoundBins() {
        long[] lengths = new long[100];
        for (int i = 0; i < 100; i++) lengths[i] = i + 1;
        LengthHistogram h = LengthHistogram.of("words", lengths, 10);
        assertEquals(20, h.bins().get(0).to() - h.bins().get(0).from());
        assertEquals(6, h.bins().size()); // 0-19, ..., 100-119
        assertEquals(19, h.bins().get(0).count());
        assertEquals(100, h.bins().stream().mapToLong(LengthHistogram.Bin::count).sum());
        assertEquals(1, h.min());
        assertEquals(100, h.max());
        assertEquals(50.5, h.mean(), 1e-9);
        assertEquals(51, h.median());
        assertEquals(List.of(1L, 2L, 5L, 10L, 20L, 50L), List.of(LengthHistogram.niceWidth(1), LengthHistogram.niceWidth(2),
                LengthHistogram.niceWidth(3), LengthHistogram.niceWidth(7), LengthHistogram.niceWidth(11), LengthHistogram.niceWidth(21)));
    }

    @Test
    void theTinyStoriesSampleAsData(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path text = SharedData.file("data/tinystories-sample.txt");
        List<String> docs = Files.readAllLines(text).stream().filter(s -> !s.isBlank()).toList();
        Path assets = Path.of("..", "assets");
        WordLists en = WordLists.load(AssetSource.folder(assets), "en");
        CoverageCounter c = new CoverageCounter(en.byName(), WordLists.loadForms(AssetSource.folder(assets), "en"));
        DiversityReport r = analyze(docs, c);
        assertEquals(docs.size(), r.documents());
        double all = r.coverage().category("all").ratio();
        assertTrue(all > 0.2 && all < 1, "coverage " + all);
        assertTrue(r.distinct().get(0).ratio() < r.distinct().get(1).ratio() && r.distinct().get(1).ratio() < r.distinct().get(2).ratio());
        Map<String, Object> json = Json.parseObject(Json.write(r.toJson()));
        assertEquals((long) docs.size(), json.get("documents"));
        assertTrue(r.summary().contains("distinct-2"), r.summary());
        System.out.print(r.summary());
    }
}

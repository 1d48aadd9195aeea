package dev.llamascope.engine.data.synth;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptBuilderTest {

    static PromptBuilder english() throws Exception {
        AssetSource a = TestAssets.source();
        return new PromptBuilder(WordLists.load(a, "en"), PromptRecipe.load(a, "en"));
    }

    @Test
    void splitMix64MatchesThePublishedSequence() {
        SplitMix64 r = new SplitMix64(1234567);
        long[] expected = {6457827717110365317L, 3203168211198807973L, -8629252141511181193L, 4593380528125082431L, -2037821214251327795L};
        for (long e : expected) assertEquals(e, r.nextLong());
    }

    @Test
    void aSeededSetReproducesByteForByte() throws Exception {
        PromptOptions o = new PromptOptions(42, 300, 0, 3, false);
        byte[] a = PromptBuilder.toJsonl(english().build(o));
        byte[] b = PromptBuilder.toJsonl(english().build(o)); // lists loaded afresh
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, PromptBuilder.toJsonl(english().build(new PromptOptions(43, 300, 0, 3, false)))));
        // a longer set starts with the shorter one
        List<StoryPrompt> longer = english().build(new PromptOptions(42, 600, 0, 3, false));
        assertArrayEquals(a, PromptBuilder.toJsonl(longer.subList(0, 300)));
    }

    @Test
    void writtenFileIsTheSameBytesAndReadsBack(@TempDir Path dir) throws Exception {
        List<StoryPrompt> set = english().build(new PromptOptions(7, 50, 1, 2, true));
        Path f = dir.resolve("prompts.jsonl");
        PromptBuilder.write(f, set);
        assertArrayEquals(PromptBuilder.toJsonl(set), Files.readAllBytes(f));
        assertEquals(set, PromptFiles.read(f));
    }

    /** Pins the algorithm (generator, draws, template filling) independently of the shipped lists. */
    @Test
    void goldenPromptFromAFixedTinyRecipe() {
        WordLists w = new WordLists("en", List.of("cat", "dog", "sun"), List.of("run", "jump"), List.of("red", "big", "shy", "odd"));
        PromptRecipe r = new PromptRecipe("en", "Use \"{verb}\", \"{noun}\", \"{adjective}\".{features}", " Features: {list}.", ", ",
                "Plan {verb} {noun} {adjective}.{features}", "{summary}|{sentence}|{verb} {noun} {adjective}{features}",
                "Summary:", "Sentence:", List.of(new StoryFeature("a", "fa"), new StoryFeature("b", "fb"), new StoryFeature("c", "fc")));
        String got = new String(PromptBuilder.toJsonl(new PromptBuilder(w, r).build(new PromptOptions(7, 3, 0, 3, false))), StandardCharsets.UTF_8);
        // Checked against an independent re-implementation of the draws (SplitMix64, rejection sampling, partial shuffle).
        String expected = """
                {"id":"en-7-000000","language":"en","words":{"verb":"jump","noun":"dog","adjective":"shy"},"features":["a","c"],"prompt":"Use \\"jump\\", \\"dog\\", \\"shy\\". Features: fa, fc."}
                {"id":"en-7-000001","language":"en","words":{"verb":"jump","noun":"cat","adjective":"odd"},"features":["b","c"],"prompt":"Use \\"jump\\", \\"cat\\", \\"odd\\". Features: fb, fc."}
                {"id":"en-7-000002","language":"en","words":{"verb":"run","noun":"cat","adjective":"big"},"features":["b"],"prompt":"Use \\"run\\", \\"cat\\", \\"big\\". Features: fb."}
                """;
        assertEquals(expected, got);
    }

    @Test
    void promptsCarryTheirWordsAndFeaturesAsLabels() throws Exception {
        PromptBuilder b = english();
        Map<String, StoryFeature> byId = new HashMap<>();
        for (StoryFeature f : b.recipe().features()) byId.put(f.id(), f);
        for (StoryPrompt p : b.build(new PromptOptions(1, 500, 1, 3, false))) {
            assertTrue(p.prompt().startsWith("Write a short story (3-5 paragraphs) which only uses very simple words"), p.prompt());
            assertTrue(p.prompt().contains("the verb \"" + p.verb() + "\", the noun \"" + p.noun() + "\" and the adjective \"" + p.adjective() + "\""));
            assertTrue(p.prompt().endsWith("Remember to only use simple words!"));
            assertTrue(b.words().verbs().contains(p.verb()) && b.words().nouns().contains(p.noun()) && b.words().adjectives().contains(p.adjective()));
            assertTrue(p.features().size() >= 1 && p.features().size() <= 3, p.features().toString());
            assertEquals(p.features().size(), new HashSet<>(p.features()).size());
            for (String f : p.features()) assertTrue(p.prompt().contains(byId.get(f).text()), f);
            assertTrue(p.prompt().contains("The story should have the following features: "));
        }
    }

    // Wilson-Hilferty: the chi-square quantile for df degrees of freedom at normal quantile z.
    static double chiSquareCritical(int df, double z) {
        double a = 2.0 / (9 * df);
        return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }

    static double chiSquare(Map<String, Integer> counts, List<String> cells, double expected) {
        double x = 0;
        for (String c : cells) {
            double d = counts.getOrDefault(c, 0) - expected;
            x += d * d / expected;
        }
        return x;
    }

    @Test
    void wordAndFeatureChoicesCoverTheListsUniformly() throws Exception {
        PromptBuilder b = english();
        int n = 30000;
        List<StoryPrompt> set = b.build(new PromptOptions(2024, n, 0, 3, false));
        double z = 3.09; // p = 0.001, with a fixed seed
        check(set, StoryPrompt::noun, b.words().nouns(), n, z);
        check(set, StoryPrompt::verb, b.words().verbs(), n, z);
        check(set, StoryPrompt::adjective, b.words().adjectives(), n, z);
        // Each feature: chosen in k/6 of prompts on average, k uniform in 0..3: expected n * 1.5 / 6 each.
        Map<String, Integer> f = new HashMap<>(), k = new HashMap<>();
        for (StoryPrompt p : set) {
            for (String id : p.features()) f.merge(id, 1, Integer::sum);
            k.merge(String.valueOf(p.features().size()), 1, Integer::sum);
        }
        List<String> ids = b.recipe().features().stream().map(StoryFeature::id).toList();
        double fx = chiSquare(f, ids, n * 1.5 / ids.size());
        assertTrue(fx < chiSquareCritical(ids.size() - 1, z), "features chi-square " + fx + " " + f);
        double kx = chiSquare(k, List.of("0", "1", "2", "3"), n / 4.0);
        assertTrue(kx < chiSquareCritical(3, z), "feature counts chi-square " + kx + " " + k);
    }

    private static void check(List<StoryPrompt> set, Function<StoryPrompt, String> pick, List<String> list, int n, double z) {
        Map<String, Integer> counts = new HashMap<>();
        for (StoryPrompt p : set) counts.merge(pick.apply(p), 1, Integer::sum);
        double x = chiSquare(counts, list, (double) n / list.size());
        double crit = chiSquareCritical(list.size() - 1, z);
        assertTrue(x < crit, "chi-square " + x + " >= " + crit + " over " + list.size() + " words");
        // The statistic has power: a draw that favours the first half of the list by 20% is caught.
        Map<String, Integer> biased = new HashMap<>();
        SplitMix64 r = new SplitMix64(5);
        for (int i = 0; i < n; i++) {
            int j = r.nextInt(list.size());
            if (j >= list.size() / 2 && r.nextDouble() < 0.2) j = r.nextInt(list.size() / 2);
            biased.merge(list.get(j), 1, Integer::sum);
        }
        assertTrue(chiSquare(biased, list, (double) n / list.size()) > crit, "the uniformity check would miss a 20% bias");
    }

    @Test
    void hierarchicalPromptsAskForAPlanThenTheStoryFromIt() throws Exception {
        StoryPrompt p = english().build(new PromptOptions(3, 1, 2, 2, true)).get(0);
        assertTrue(p.hierarchical());
        assertTrue(p.prompt().contains("\"Summary:\"") && p.prompt().contains("\"Sentence:\""), p.prompt());
        assertTrue(p.prompt().contains("\"" + p.verb() + "\""));
        StoryPrompt.Plan plan = p.followUp().parse("Sure!\n**Summary:** Tom finds a {verb} box and opens it.\nSentence: \"The box was red.\"\n");
        assertEquals("Tom finds a {verb} box and opens it.", plan.summary());
        assertEquals("The box was red.", plan.sentence());
        String story = p.followUp().storyPrompt(plan);
        assertTrue(story.contains("follow this summary: Tom finds a {verb} box and opens it."), story); // filled once, never rescanned
        assertTrue(story.contains("must contain this sentence: \"The box was red.\""));
        assertTrue(story.contains("the noun \"" + p.noun() + "\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.followUp().parse("Summary: only a summary"));
        assertTrue(e.getMessage().contains("Sentence:"), e.getMessage());
    }

    @Test
    void chinesePromptsUseTheChineseRecipe() throws Exception {
        AssetSource a = TestAssets.source();
        PromptBuilder zh = new PromptBuilder(WordLists.load(a, "zh"), PromptRecipe.load(a, "zh"));
        StoryPrompt p = zh.build(new PromptOptions(9, 1, 1, 1, false)).get(0);
        assertTrue(p.prompt().startsWith("请写一个短故事"), p.prompt());
        assertTrue(p.prompt().contains("动词“" + p.verb() + "”、名词“" + p.noun() + "”和形容词“" + p.adjective() + "”"));
        StoryPrompt h = zh.build(new PromptOptions(9, 1, 0, 0, true)).get(0);
        StoryPrompt.Plan plan = h.followUp().parse("概要：小猫找到了一个球。\n句子：小猫很开心。");
        assertEquals("小猫找到了一个球。", plan.summary());
        assertTrue(h.followUp().storyPrompt(plan).contains("这个概要来写：小猫找到了一个球。"));
    }

    @Test
    void theShippedWordListsAreSimpleDistinctWords() throws Exception {
        AssetSource a = TestAssets.source();
        WordLists en = WordLists.load(a, "en");
        int total = en.nouns().size() + en.verbs().size() + en.adjectives().size();
        assertTrue(total >= 1400 && total <= 1700, "about 1,500 English words, got " + total);
        for (String w : en.all()) assertTrue(w.matches("[a-z]+"), "not a plain lower-case word: '" + w + "'");
        for (String list : List.of("nouns", "verbs", "adjectives")) {
            for (String lang : List.of("en", "zh")) {
                List<String> raw = new ArrayList<>();
                for (String l : Files.readAllLines(TestAssets.folder().resolve("words/" + lang + "/" + list + ".txt")))
                    if (!l.isBlank() && !l.startsWith("#")) raw.add(l.strip());
                Set<String> seen = new HashSet<>();
                for (String w : raw) assertTrue(seen.add(w), lang + " " + list + " lists '" + w + "' twice");
            }
        }
        WordLists zh = WordLists.load(a, "zh");
        assertTrue(zh.nouns().size() >= 200 && zh.verbs().size() >= 100 && zh.adjectives().size() >= 100);
        for (String w : zh.all()) assertTrue(w.codePoints().allMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN), w);
    }

    @Test
    void missingOrBrokenAssetsAreNamed(@TempDir Path dir) throws Exception {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> WordLists.load(AssetSource.folder(dir), "en"));
        assertTrue(e.getFile().endsWith("words/en/nouns.txt"), e.getFile());
        Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(dir.resolve("prompts/tinystories.xx.json"), "{\"language\":\"xx\",\"features\":[]}");
        var io = assertThrows(java.io.IOException.class, () -> PromptRecipe.load(AssetSource.folder(dir), "xx"));
        assertTrue(io.getMessage().contains("tinystories.xx.json") && io.getMessage().contains("missing"), io.getMessage());
        assertEquals(List.of("a", "b"), WordLists.parse(new ByteArrayInputStream("# c\na\n\n b \na\n".getBytes(StandardCharsets.UTF_8))));
    }
}

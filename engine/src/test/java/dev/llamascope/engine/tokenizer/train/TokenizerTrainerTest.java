package dev.llamascope.engine.tokenizer.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tokenizer.Llama2cTokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.util.Json;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTrainerTest {
    static ComputePool pool;
    static TokenizerTrainer.Result english512;

    @BeforeAll
    static void start() {
        pool = new ComputePool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static List<String> lines(Path p) throws Exception {
        return Files.readAllLines(p).stream().filter(s -> !s.isEmpty()).toList();
    }

    static synchronized TokenizerTrainer.Result english512() throws Exception {
        if (english512 == null)
            english512 = TokenizerTrainer.train(SharedData.file("data/tinystories-sample.txt"),
                    BpeTrainingConfig.of(512, true, 1.0).withHeldOutFraction(0), pool, null);
        return english512;
    }

    /**
     * tok512 was trained by SentencePiece on all of TinyStories, where rare characters (™, €, ñ, ...) took 33 more
     * of its 512 ids than this sample has, leaving it 151 merges to our 184. With the vocabulary size that gives the
     * same number of merges the two land within 2%; with 512 ours is 7% better on this text, never worse.
     */
    @Test
    void vocab512LandsWithin5PercentOfTok512() throws Exception {
        Path text = SharedData.file("data/tinystories-sample.txt");
        Tokenizer reference = Llama2cTokenizer.read(SharedData.file("models/stories260K/tok512.bin"));
        TokenizerTrainer.Result r = english512();
        assertEquals(512, r.vocabulary().size());
        List<String> all = lines(text);
        double ours = TokenizerStats.measure(r.vocabulary().toTokenizer("ours"), all, pool).tokensPerCharacter();
        double ref = TokenizerStats.measure(reference, all, pool).tokensPerCharacter();
        assertTrue(ours <= ref * 1.05 && ours >= ref * 0.90, "tokens per character " + ours + " vs tok512's " + ref);

        int refMerges = 512 - 259 - 102; // tok512: 3 specials, 256 bytes, 102 characters
        int sameMerges = 259 + r.vocabulary().characters() + refMerges;
        TokenizerTrainer.Result r2 = TokenizerTrainer.train(text, BpeTrainingConfig.of(sameMerges, true, 1.0).withHeldOutFraction(0), pool, null);
        assertEquals(refMerges, r2.vocabulary().merges());
        double like = TokenizerStats.measure(r2.vocabulary().toTokenizer("ours"), all, pool).tokensPerCharacter();
        assertTrue(Math.abs(like / ref - 1) < 0.05, "with tok512's merge count: " + like + " vs " + ref);
        System.out.printf("tokens/char on the sample: ours(512) %.4f, ours(%d, %d merges) %.4f, tok512 %.4f, SentencePiece(512) 0.4677%n",
                ours, sameMerges, refMerges, like, ref);
    }

    /** SentencePiece 0.1.97 itself, trained with llama2.c's settings on the same sample: the same vocabulary. */
    @Test
    void learnsWhatSentencePieceLearns() throws Exception {
        List<String> spm = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("spm-tinystories-sample-512.txt")) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) if (!l.startsWith("#") && !l.isEmpty()) spm.add(l);
        }
        assertEquals(512, spm.size());
        List<String> ours = english512().vocabulary().pieces();
        Set<String> common = new HashSet<>(ours);
        common.retainAll(new HashSet<>(spm));
        assertTrue(common.size() >= 508, "pieces in common with SentencePiece: " + common.size());
        assertEquals(spm.subList(0, 259), ours.subList(0, 259));
        // the same first merges in the same order (ties broken differently may swap equal-count pieces later)
        assertEquals(spm.subList(259, 288), ours.subList(259, 288));
        // the characters, by frequency, after the merges
        assertEquals(spm.subList(512 - 69, 512), ours.subList(512 - 69, 512));
    }

    /** Training's own merge order, replayed word by word, gives exactly what the score-ordered encoder gives. */
    @Test
    void scoresReproduceTheLearnedMergeOrder() throws Exception {
        TrainedVocabulary v = english512().vocabulary();
        Tokenizer t = v.toTokenizer("ours");
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < v.size(); i++) ids.putIfAbsent(v.pieces().get(i), i);
        List<String[]> merges = v.trainingMerges().stream().map(m -> m.split(" ")).toList();
        TextSegmenter seg = new TextSegmenter(true);
        int checked = 0;
        for (String line : lines(SharedData.file("data/tinystories-sample.txt")).subList(0, 200)) {
            List<Integer> replay = new ArrayList<>();
            seg.split(line, 0, line.length(), (b, s, e, h) -> {
                List<String> sym = new ArrayList<>();
                String word = new String(b, s, e - s);
                for (int i = 0; i < word.length(); ) {
                    int cp = word.codePointAt(i);
                    sym.add(new String(Character.toChars(cp)));
                    i += Character.charCount(cp);
                }
                for (String[] m : merges) {
                    for (int i = 0; i + 1 < sym.size(); i++) {
                        if (sym.get(i).equals(m[0]) && sym.get(i + 1).equals(m[1])) {
                            sym.set(i, m[0] + m[1]);
                            sym.remove(i + 1);
                        }
                    }
                }
                for (String p : sym) replay.add(ids.get(p));
            });
            int[] enc = t.encode(line, false, false);
            assertEquals(replay, java.util.Arrays.stream(enc).boxed().toList(), line);
            checked++;
        }
        assertEquals(200, checked);
    }

    @Test
    void writtenTokenizerBinLoadsAndRoundTrips(@TempDir Path dir) throws Exception {
        TokenizerTrainer.Result r = english512();
        TokenizerTrainer.write(r, dir, "tinystories-sample.txt");
        Tokenizer loaded = Llama2cTokenizer.read(dir.resolve("tokenizer.bin"), 512);
        Tokenizer mem = r.vocabulary().toTokenizer("mem");
        assertTrue(loaded.hasByteFallback());
        for (String s : List.of("Once upon a time, there was a little girl named Lily.", "  two  spaces and 1234 digits!",
                "Émilie ate crème brûlée 🍰 and 小猫 said \"hi\".", "")) {
            int[] ids = loaded.encode(s, true, false);
            assertArrayEquals(mem.encode(s, true, false), ids, s);
            assertEquals(s, loaded.decode(ids), "round trip");
        }
        assertArrayEquals(new int[]{1}, loaded.encode("", true, false));
        // specials as llama2.c writes them
        assertArrayEquals("\n<s>\n".getBytes(StandardCharsets.UTF_8), loaded.pieceBytes(1));
        assertEquals("<0x41>", loaded.pieceLabel(3 + 0x41));
        // the default run holds 1% of the lines out and measures on them
        TokenizerTrainer.Result held = TokenizerTrainer.train(SharedData.file("data/tinystories-sample.txt"), BpeTrainingConfig.of(512, true, 1.0), pool, null);
        assertTrue(held.heldOut().lines() > 5 && held.heldOut().lines() < 60, String.valueOf(held.heldOut().lines()));
        TokenizerTrainer.write(held, dir, "tinystories-sample.txt");
        Map<String, Object> report = Json.parseObject(Files.readString(dir.resolve("training.json")));
        assertEquals(512L, report.get("vocab_size"));
        assertTrue(((Map<?, ?>) report.get("held_out")).get("tokens_per_character") instanceof Double d && d > 0.3 && d < 0.7);
    }

    /** Decodes our tokenizer.model with a minimal protobuf reader written from the wire-format spec. */
    @Test
    void tokenizerModelIsASentencePieceModelProto(@TempDir Path dir) throws Exception {
        TrainedVocabulary v = english512().vocabulary();
        byte[] model = SentencePieceModelWriter.encode(v, "sample.txt");
        List<Object[]> pieces = new ArrayList<>();
        Map<Integer, Object> trainer = new HashMap<>(), normalizer = new HashMap<>();
        Proto.read(model, (field, value) -> {
            if (field == 1) {
                Object[] p = {null, 0f, 1L};
                Proto.read((byte[]) value, (f, x) -> {
                    if (f == 1) p[0] = new String((byte[]) x, StandardCharsets.UTF_8);
                    if (f == 2) p[1] = Float.intBitsToFloat((int) (long) (Long) x);
                    if (f == 3) p[2] = x;
                });
                pieces.add(p);
            } else if (field == 2) {
                Proto.read((byte[]) value, trainer::put);
            } else if (field == 3) {
                Proto.read((byte[]) value, normalizer::put);
            }
        });
        assertEquals(512, pieces.size());
        assertEquals("<unk>", pieces.get(0)[0]);
        assertEquals(2L, pieces.get(0)[2]);
        assertEquals(3L, pieces.get(1)[2]);
        assertEquals("<0x00>", pieces.get(3)[0]);
        assertEquals(6L, pieces.get(3)[2]);
        assertEquals("\u2581t", pieces.get(260)[0]);
        assertEquals(1L, pieces.get(260)[2]);
        assertEquals(-1f, pieces.get(260)[1]);
        assertEquals(2L, trainer.get(3));    // BPE
        assertEquals(512L, trainer.get(4));  // vocab_size
        assertEquals(1L, trainer.get(35));   // byte_fallback
        assertEquals(-1L, trainer.get(43));  // pad_id
        assertEquals("identity", new String((byte[]) normalizer.get(1), StandardCharsets.UTF_8));
        assertEquals(1L, normalizer.get(3)); // add_dummy_prefix
        assertEquals(0L, normalizer.get(4)); // remove_extra_whitespaces
    }

    /** The minimal protobuf reader: varint and length-delimited fields, fixed32 as a long of its bits. */
    static final class Proto {
        interface Field {
            void accept(int field, Object value);
        }

        static void read(byte[] b, Field f) {
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            while (buf.hasRemaining()) {
                long tag = varint(buf);
                int field = (int) (tag >>> 3), wire = (int) (tag & 7);
                switch (wire) {
                    case 0 -> f.accept(field, varint(buf));
                    case 2 -> {
                        byte[] v = new byte[(int) varint(buf)];
                        buf.get(v);
                        f.accept(field, v);
                    }
                    case 5 -> f.accept(field, (long) buf.getInt());
                    default -> throw new IllegalStateException("wire type " + wire);
                }
            }
        }

        static long varint(ByteBuffer b) {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                int x = b.get() & 0xff;
                v |= (long) (x & 0x7f) << shift;
                if (x < 0x80) return v;
            }
        }
    }

    /** A BPE that applies tokenizer.json's merges by rank (as Hugging Face does) encodes like our encoder. */
    @Test
    void tokenizerJsonMergesEncodeLikeTheScores() throws Exception {
        TrainedVocabulary v = english512().vocabulary();
        Map<String, Object> json = Json.parseObject(Json.write(HfTokenizerJsonWriter.build(v)));
        Map<?, ?> model = (Map<?, ?>) json.get("model");
        assertEquals("BPE", model.get("type"));
        assertEquals(true, model.get("byte_fallback"));
        Map<?, ?> vocab = (Map<?, ?>) model.get("vocab");
        assertEquals(512, vocab.size());
        List<?> merges = (List<?>) model.get("merges");
        Map<String, Integer> rank = new HashMap<>();
        for (Object m : merges) rank.putIfAbsent((String) m, rank.size());
        assertEquals("h e", merges.get(0)); // "he" is the first piece learned, as SentencePiece learns it
        assertEquals(v.pieces().get(259), "he");
        Tokenizer t = v.toTokenizer("ours");
        for (String line : lines(SharedData.file("data/tinystories-sample.txt")).subList(0, 150)) {
            List<String> sym = new ArrayList<>();
            String norm = "\u2581" + line.replace(' ', '\u2581');
            for (int i = 0; i < norm.length(); ) {
                int cp = norm.codePointAt(i);
                sym.add(new String(Character.toChars(cp)));
                i += Character.charCount(cp);
            }
            while (true) {
                int best = -1, bestRank = Integer.MAX_VALUE;
                for (int i = 0; i + 1 < sym.size(); i++) {
                    Integer rk = rank.get(sym.get(i) + " " + sym.get(i + 1));
                    if (rk != null && rk < bestRank) {
                        bestRank = rk;
                        best = i;
                    }
                }
                if (best < 0) break;
                sym.set(best, sym.get(best) + sym.get(best + 1));
                sym.remove(best + 1);
            }
            List<Integer> hf = new ArrayList<>();
            for (String s : sym) hf.add(((Long) vocab.get(s)).intValue());
            assertEquals(java.util.Arrays.stream(t.encode(line, false, false)).boxed().toList(), hf, line);
        }
    }

    static Path chineseCorpus(Path dir) throws Exception {
        Map<String, Object> pair = (Map<String, Object>) ((List<?>) Json.parse(Files.readString(SharedData.file("data/tinystorieszh-pair.json")))).get(0);
        String story = (String) pair.get("story_zh");
        List<String> lines = new ArrayList<>(List.of(story.split("\n")));
        Path words = Path.of("..", "assets", "words", "zh");
        List<String> nouns = wordList(words.resolve("nouns.txt")), verbs = wordList(words.resolve("verbs.txt")),
                adjs = wordList(words.resolve("adjectives.txt"));
        for (int i = 0; i < nouns.size(); i++) {
            lines.add("我看见了" + nouns.get(i) + "，它很" + adjs.get(i % adjs.size()) + "。");
            lines.add(nouns.get(i) + "想要" + verbs.get(i % verbs.size()) + "，妈妈说：“好的！”");
        }
        Path f = dir.resolve("zh.txt");
        Files.write(f, lines);
        return f;
    }

    static List<String> wordList(Path p) throws Exception {
        return Files.readAllLines(p).stream().map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
    }

    @Test
    void chineseVocabularyEncodesChineseTextWithoutUnknownsUsingByteFallback(@TempDir Path dir) throws Exception {
        Path corpus = chineseCorpus(dir);
        List<String> story = lines(corpus).subList(0, 7);
        BpeTrainingConfig cfg = new BpeTrainingConfig(1400, true, BpeTrainingConfig.AUTO_COVERAGE, 16, true, 0);
        TokenizerTrainer.Result r = TokenizerTrainer.train(corpus, cfg, pool, null);
        assertEquals(BpeTrainingConfig.CJK_COVERAGE, r.vocabulary().characterCoverage(), "mostly-Chinese text gets 0.9995");
        TokenizerTrainer.write(r, dir.resolve("out"), "zh.txt");
        Tokenizer t = Llama2cTokenizer.read(dir.resolve("out/tokenizer.bin"), 1400);
        TokenizerStats s = TokenizerStats.measure(t, story, pool);
        assertEquals(0, s.unknownTokens());
        assertTrue(s.byteTokens() > 0, "coverage dropped rare characters, which become bytes");
        for (String line : story) assertEquals(line, t.decode(t.encode(line, true, false)));
        assertTrue(s.tokensPerCharacter() < 0.9, "Chinese merges into multi-character pieces: " + s.tokensPerCharacter());
        // Without byte fallback the same dropped characters are <unk>.
        TokenizerTrainer.Result noBytes = TokenizerTrainer.train(corpus,
                new BpeTrainingConfig(1144, false, BpeTrainingConfig.AUTO_COVERAGE, 16, true, 0), pool, null);
        assertTrue(TokenizerStats.measure(noBytes.vocabulary().toTokenizer("x"), story, pool).unknownTokens() > 0);
    }

    @Test
    void segmentsFollowSentencePieceBoundaries() {
        List<String> got = new ArrayList<>();
        TextSegmenter seg = new TextSegmenter(true);
        String line = "Hi, Tom!  It is 42. 小猫说：“你好”";
        seg.split(line, 0, line.length(), (b, s, e, h) -> {
            got.add(new String(b, s, e - s));
            assertEquals(new String(b, s, e - s).hashCode(), h, "the segment's hash is its String hash");
        });
        assertEquals(List.of("▁Hi", ",", "▁Tom", "!", "▁▁It", "▁is", "▁", "4", "2", ".", "▁小猫说", "：“", "你好", "”"), got);
        got.clear();
        String mixed = "カタカナと漢字 𝒳1２";
        seg.split(mixed, 0, mixed.length(), (b, s, e, h) -> got.add(new String(b, s, e - s)));
        assertEquals(List.of("▁カタカナと漢字", "▁𝒳", "1", "２"), got);
    }

    @Test
    void badSettingsAndInputsAreNamed(@TempDir Path dir) throws Exception {
        Path text = SharedData.file("data/tinystories-sample.txt");
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> TokenizerTrainer.train(text, BpeTrainingConfig.of(300, true, 1.0), pool, null));
        assertTrue(small.getMessage().startsWith(text + ": vocabulary size 300 is too small") && small.getMessage().contains("--vocab-size 328"),
                small.getMessage());
        Path tiny = dir.resolve("tiny.txt");
        Files.writeString(tiny, "ab ab ab\n");
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> TokenizerTrainer.train(tiny, new BpeTrainingConfig(300, true, 1.0, 16, true, 0), pool, null));
        assertTrue(few.getMessage().contains("allows only 2 merges") && few.getMessage().contains("at most 264 tokens"), few.getMessage());
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "\n\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TokenizerTrainer.train(empty, BpeTrainingConfig.of(300, true, 1.0), pool, null))
                .getMessage().contains("no text to train on"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> TokenizerTrainer.train(dir.resolve("nope.txt"), BpeTrainingConfig.of(300, true, 1.0), pool, null));
        assertThrows(IllegalArgumentException.class, () -> BpeTrainingConfig.of(512, true, 1.5));
        java.util.concurrent.atomic.AtomicInteger merged = new java.util.concurrent.atomic.AtomicInteger();
        TokenizerTrainer.Listener stopAt128 = new TokenizerTrainer.Listener() {
            @Override
            public void merging(int done, int total) {
                merged.set(done);
            }

            @Override
            public boolean cancelled() {
                return merged.get() >= 128;
            }
        };
        assertThrows(java.util.concurrent.CancellationException.class, () -> TokenizerTrainer.train(text, BpeTrainingConfig.of(512, true, 1.0), pool, stopAt128));
        assertEquals(128, merged.get());
    }

    /** Small block sizes exercise the block and range boundaries: the counts must not depend on them. */
    @Test
    void countsDoNotDependOnBlocksOrThreads() throws Exception {
        Path text = SharedData.file("data/tinystories-sample.txt");
        BpeTrainingConfig cfg = BpeTrainingConfig.of(400, true, 1.0);
        Map<String, Long> a = counts(new CorpusCounter(cfg, pool, 1 << 20).count(text, null));
        try (ComputePool one = new ComputePool(1)) {
            Map<String, Long> b = counts(new CorpusCounter(cfg, one, 4096).count(text, null));
            assertEquals(a, b);
        }
        long words = a.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(words > 30000, String.valueOf(words));
    }

    private static Map<String, Long> counts(CorpusCounts c) {
        Map<String, Long> m = new HashMap<>();
        for (SegmentCounter s : c.shards()) s.forEach(m::put);
        return m;
    }
}

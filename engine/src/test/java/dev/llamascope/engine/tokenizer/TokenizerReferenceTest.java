package dev.llamascope.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Encoding against run.c's ids in ../shared/reference/tokenizer/, and the right answers where run.c is wrong. */
class TokenizerReferenceTest {

    record Row(String text, int[] ids, String runcDecoded) {}

    static List<Row> rows(String tsv) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(SharedData.file("reference/tokenizer/" + tsv), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            int[] ids = Arrays.stream(f[1].trim().split(" ")).mapToInt(Integer::parseInt).toArray();
            rows.add(new Row(f[0], ids, f.length > 2 ? f[2] : ""));
        }
        return rows;
    }

    /** Vocabularies whose rows are all run.c's correct answers. */
    @ParameterizedTest
    @CsvSource({
            "encode__karpathy_tokenizer32000.tsv, tokenizers/llama2/tokenizer.bin",
            "encode__karpathy_tokenizer32000.tsv, tokenizers/llama2/tokenizer-oldformat.bin",
            "encode__tok512_stories260K.tsv, models/stories260K/tok512.bin",
            "encode__tok1024_pr468.tsv, models/pr468-v2/tok1024.bin"})
    void matchesRunC(String tsv, String vocab) throws Exception {
        Tokenizer t = Llama2cTokenizer.read(SharedData.file(vocab));
        for (Row r : rows(tsv)) {
            assertArrayEquals(r.ids(), t.encode(r.text(), true, false), "ids of '" + r.text() + "' with " + vocab);
        }
    }

    /** Byte fallback round-trips every text, CJK and emoji included (run.c's printed decoding drops those bytes). */
    @ParameterizedTest
    @CsvSource({
            "encode__karpathy_tokenizer32000.tsv, tokenizers/llama2/tokenizer.bin",
            "encode__karpathy_tokenizer32000.tsv, tokenizers/llama2/tokenizer-oldformat.bin",
            "encode__tok512_stories260K.tsv, models/stories260K/tok512.bin",
            "encode__zh_llama2enzh55296.tsv, tokenizers/zh/llama2enzh.bin"})
    void decodeRoundTrips(String tsv, String vocab) throws Exception {
        Tokenizer t = Llama2cTokenizer.read(SharedData.file(vocab));
        assertTrue(t.hasByteFallback());
        for (Row r : rows(tsv)) {
            // the dummy-prefix space is dropped after BOS, so the text comes back exactly
            assertEquals(r.text(), t.decode(t.encode(r.text(), true, false)), "round trip of '" + r.text() + "'");
        }
    }

    /**
     * The early tokenizer.bin format stores byte tokens as the UTF-8 of U+0000..U+00FF. run.c then matches "ñ" to
     * the byte token 0xF1 and mis-tokenizes accented letters. We read those tokens as bytes, so the early and the
     * current format of a vocabulary tokenize alike, and llama2enzh (early format, a superset of Llama-2's
     * vocabulary) gives Llama-2's pieces for them. All its other rows equal run.c's.
     */
    @Test
    void earlyFormatReadsByteTokensAsBytes() throws Exception {
        Tokenizer zh = Llama2cTokenizer.read(SharedData.file("tokenizers/zh/llama2enzh.bin"));
        Tokenizer llama = Llama2cTokenizer.read(SharedData.file("tokenizers/llama2/tokenizer.bin"));
        for (Row r : rows("encode__zh_llama2enzh55296.tsv")) {
            int[] ours = zh.encode(r.text(), true, false);
            if (r.text().equals("ñandú café naïve")) {
                assertArrayEquals(new int[]{1, 29871, 244, 392, 253, 274, 28059, 1055, 30085, 345}, r.ids(), "run.c's faulty row changed");
                assertArrayEquals(llama.encode(r.text(), true, false), ours, "accented letters as Llama-2 pieces");
            } else {
                assertArrayEquals(r.ids(), ours, "ids of '" + r.text() + "'");
            }
        }
    }

    /**
     * meng has no byte tokens: run.c's byte fallback (id = byte + 3) picks unrelated Chinese pieces. The right
     * answer is SentencePiece's: a run of characters missing from the vocabulary becomes one &lt;unk&gt;. Expected
     * ids below are SentencePiece 0.1.97's for meng.model; rows where its normalizer changes the text (NFKC of
     * full-width punctuation, collapsing repeated and trailing spaces — a tokenizer.bin does not carry a normalizer) are left out.
     */
    @Test
    void vocabularyWithoutByteTokensUsesUnknownLikeSentencePiece() throws Exception {
        Tokenizer t = Llama2cTokenizer.read(SharedData.file("tokenizers/zh/meng.bin"));
        assertTrue(!t.hasByteFallback());
        String[][] expected = {
                {"I believe the meaning of life is", "1 6060 0 6060 0 6060 0 6060 0 6060 0 6060 0 6060 0"},
                {"Once upon a time", "1 6060 0 6060 0 6060 0 6060 0"},
                {"Lily and Tom", "1 6060 0 6060 0 6060 0"},
                {"Hello world", "1 6060 0 6060 0"},
                {"grabbed", "1 6060 0"},
                {"镇", "1 6060 7858"},
                {"🦙", "1 6060 0"},
                {"🦙Ꙋ", "1 6060 0"},
                {"Ꙋ🦙", "1 6060 0"},
                {"ñandú café naïve", "1 6060 0 6060 0 6060 0"},
                {"The quick brown fox jumps over the lazy dog.", "1 6060 0 6060 0 6060 0 6060 0 6060 0 6060 0 6060 0 6060 0 6060 0 6364"},
                {"从前", "1 6060 1150"},
                {"莉莉和本是朋友。他们喜欢在公园里玩。", "1 6060 8986 8986 6119 1576 1622 6015 71 224 6053 6426 483 6354 6015"},
                {"宝玉", "1 296"}};
        for (String[] e : expected) {
            int[] ids = Arrays.stream(e[1].split(" ")).mapToInt(Integer::parseInt).toArray();
            assertArrayEquals(ids, t.encode(e[0], true, false), "ids of '" + e[0] + "'");
        }
        // and where run.c's ids are right (no missing character), they are ours
        for (Row r : rows("encode__zh_meng10000.tsv")) {
            if (r.runcDecoded().equals(r.text())) assertArrayEquals(r.ids(), t.encode(r.text(), true, false), r.text());
        }
    }

    @Test
    void emptyTextIsJustBos() throws Exception {
        Tokenizer t = Llama2cTokenizer.read(SharedData.file("models/stories260K/tok512.bin"));
        assertArrayEquals(new int[]{1}, t.encode("", true, false));
        assertArrayEquals(new int[]{1, 2}, t.encode("", true, true));
        assertArrayEquals(new int[0], t.encode("", false, false));
    }

    /** A long text goes through the priority-queue merge in about linear time and equals line-by-line results. */
    @Test
    void longTextMatchesPerLineEncoding() throws Exception {
        Tokenizer t = Llama2cTokenizer.read(SharedData.file("models/stories260K/tok512.bin"));
        List<String> lines = Files.readAllLines(SharedData.file("data/tinystories-sample.txt")).subList(0, 50);
        for (String line : lines) {
            if (line.isBlank()) continue;
            int[] ids = t.encode(line, true, false);
            assertEquals(line, t.decode(ids));
        }
        String big = String.join(" ", Files.readAllLines(SharedData.file("data/tinystories-sample.txt")));
        long t0 = System.nanoTime();
        int[] ids = t.encode(big, true, false);
        assertTrue(ids.length > 10_000);
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "a 200 KB text must not take quadratic time");
    }

    @Test
    void readerRejectsDamagedFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        byte[] good = Files.readAllBytes(SharedData.file("models/stories260K/tok512.bin"));
        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, Arrays.copyOf(good, good.length - 3));
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.llamascope.engine.model.ModelFormatException.class, () -> Llama2cTokenizer.read(truncated));
        assertTrue(e.getMessage().contains("truncated.bin") && e.getMessage().contains("truncated"), e.getMessage());
        Path empty = dir.resolve("empty.bin");
        Files.write(empty, new byte[0]);
        e = org.junit.jupiter.api.Assertions.assertThrows(dev.llamascope.engine.model.ModelFormatException.class, () -> Llama2cTokenizer.read(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        Path tok512 = SharedData.file("models/stories260K/tok512.bin"); // outside assertThrows: skips without ../shared
        e = org.junit.jupiter.api.Assertions.assertThrows(dev.llamascope.engine.model.ModelFormatException.class,
                () -> Llama2cTokenizer.read(tok512, 32000));
        assertTrue(e.getMessage().contains("512") && e.getMessage().contains("32000"), e.getMessage());
    }
}

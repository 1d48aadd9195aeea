package dev.llamascope.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.model.ModelLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** tokenizer.json and tokenizer.model give the ids of tokenizer.bin (and run.c's, where run.c is right). */
class TokenizerFilesTest {
    @Test
    void llama2JsonAndModelGiveRunCIds() throws Exception {
        Path tsv = SharedData.file("reference/tokenizer/encode__karpathy_tokenizer32000.tsv");
        for (String f : List.of("tokenizers/llama2/tokenizer.json", "tokenizers/llama2/tokenizer.model", "tokenizers/llama2/tokenizer.bin")) {
            assertRunC(tsv, ModelLoader.TokenizerLoader.load(SharedData.file(f), 32000), f);
        }
    }

    @Test
    void stories260KJsonGivesRunCIds() throws Exception {
        assertRunC(SharedData.file("reference/tokenizer/encode__tok512_stories260K.tsv"),
                ModelLoader.TokenizerLoader.load(SharedData.file("models/stories260K/hf/tokenizer.json"), 512), "hf/tokenizer.json");
    }

    /** run.c's rows for these vocabularies hold its faults (see Llama2cTokenizer); .bin and .model must agree. */
    @Test
    void chineseModelsAgreeWithTheirBin() throws Exception {
        List<String> prompts = Files.readAllLines(SharedData.file("reference/tokenizer/prompts_mixed.txt"), StandardCharsets.UTF_8);
        for (String v : List.of("llama2enzh", "meng")) {
            Tokenizer bin = ModelLoader.TokenizerLoader.read(SharedData.file("tokenizers/zh/" + v + ".bin"));
            Tokenizer model = ModelLoader.TokenizerLoader.read(SharedData.file("tokenizers/zh/" + v + ".model"));
            assertEquals(bin.size(), model.size(), v);
            for (String p : prompts) {
                int[] a = bin.encode(p, true, false), b = model.encode(p, true, false);
                assertEquals(Arrays.toString(a), Arrays.toString(b), v + ": " + p);
                assertEquals(bin.decode(a), model.decode(b), v + " decode: " + p);
            }
        }
    }

    /**
     * Every .model tokenizes and decodes the prompts back to themselves where it has byte fallback (baichuan.bin is
     * not compared: its exporter wrote byte tokens as bare bytes at ids past 258, so ',' appears twice in it).
     */
    @Test
    void modelFilesRoundTrip() throws Exception {
        List<String> prompts = Files.readAllLines(SharedData.file("reference/tokenizer/prompts_mixed.txt"), StandardCharsets.UTF_8);
        for (String v : List.of("llama2/tokenizer.model", "zh/llama2enzh.model", "zh/baichuan.model")) {
            Tokenizer t = ModelLoader.TokenizerLoader.read(SharedData.file("tokenizers/" + v));
            for (String p : prompts) assertEquals(p, t.decode(t.encode(p, true, false)), v);
        }
        Tokenizer baichuan = ModelLoader.TokenizerLoader.read(SharedData.file("tokenizers/zh/baichuan.model"));
        assertEquals(",", new String(baichuan.pieceBytes(31125), StandardCharsets.UTF_8));
        assertEquals(Tokenizer.TokenType.BYTE, baichuan.type(437));
        assertEquals(0x2C, baichuan.byteValue(437));
    }

    private static void assertRunC(Path tsv, Tokenizer t, String what) throws Exception {
        int rows = 0;
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            if (f.length < 2) continue;
            StringBuilder sb = new StringBuilder();
            for (int id : t.encode(f[0], true, false)) sb.append(sb.isEmpty() ? "" : " ").append(id);
            assertEquals(f[1], sb.toString(), what + ": '" + f[0] + "'");
            rows++;
        }
        assertEquals(20, rows);
    }
}

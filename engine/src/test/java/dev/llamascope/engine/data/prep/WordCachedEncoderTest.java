package dev.llamascope.engine.data.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.data.TextReader;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The word cache gives exactly the ids of encoding whole texts, on real vocabularies and awkward texts. */
class WordCachedEncoderTest {
    static List<String> texts() throws Exception {
        List<String> t = new ArrayList<>(TextReader.documents(SharedData.file("data/tinystories-sample.txt")));
        t.addAll(Files.readAllLines(SharedData.file("reference/tokenizer/prompts_mixed.txt")));
        t.addAll(List.of("", " ", "   ", "a  b   c ", "  leading and trailing  ", "tab\tand\nnewline  x", "你好 世界  😀 ok",
                "Once upon a time, there was a little girl named Lily.", "x".repeat(300) + " " + "y z".repeat(50)));
        return t;
    }

    @Test
    void sameIdsAsWholeTextsOnEveryVocabulary() throws Exception {
        List<String> texts = texts();
        int checked = 0;
        for (String file : List.of("models/stories260K/tok512.bin", "tokenizers/llama2/tokenizer.bin", "tokenizers/llama2/tokenizer.json",
                "tokenizers/llama2/tokenizer.model", "tokenizers/zh/meng.bin", "tokenizers/zh/llama2enzh.bin")) {
            Path p = SharedData.root().resolve(file);
            if (!Files.exists(p)) continue;
            Tokenizer tok = ModelLoader.TokenizerLoader.read(p);
            WordCachedEncoder enc = WordCachedEncoder.of(tok);
            if (enc == null) {
                System.out.println(file + ": words can merge across spaces; encoded whole");
                continue;
            }
            for (int pass = 0; pass < 2; pass++) // the second pass comes from the cache
                for (String s : texts) assertArrayEquals(tok.encode(s, true, false), enc.encode(s), file + ": '" + s + "'");
            checked++;
        }
        assertNotNull(WordCachedEncoder.of(ModelLoader.TokenizerLoader.read(SharedData.file("models/stories260K/tok512.bin"))));
        System.out.println("word cache checked on " + checked + " vocabularies");
    }

    @Test
    void refusedWhereAPieceJoinsWords() {
        assertNull(WordCachedEncoder.of(PrepFixtures.bytes(0)), "no piece for the space");
    }
}

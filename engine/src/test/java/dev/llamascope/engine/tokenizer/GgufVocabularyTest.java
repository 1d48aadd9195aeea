package dev.llamascope.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.model.gguf.GgufVocabulary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GgufVocabularyTest {
    /** llama.cpp's tokenizer test vectors for the Llama-2 SentencePiece vocabulary (ids without BOS). */
    @Test
    void llamaCppVectors() throws Exception {
        Path gguf = SharedData.file("tokenizers/gguf-vocab/ggml-vocab-llama-spm.gguf");
        String inp = Files.readString(Path.of(gguf + ".inp"), StandardCharsets.UTF_8);
        List<String> out = Files.readAllLines(Path.of(gguf + ".out"), StandardCharsets.UTF_8);
        List<String> inputs = new ArrayList<>(Arrays.asList(inp.split("\n__ggml_vocab_test__\n", -1)));
        if (inputs.getLast().isEmpty()) inputs.removeLast();
        assertEquals(out.size(), inputs.size(), "one expected line per input");
        Tokenizer t = ModelLoader.TokenizerLoader.load(gguf, 32000);
        assertEquals(32000, t.size());
        for (int i = 0; i < inputs.size(); i++) {
            String expected = out.get(i).trim();
            StringBuilder sb = new StringBuilder();
            for (int id : t.encode(inputs.get(i), false, false)) sb.append(sb.isEmpty() ? "" : " ").append(id);
            assertEquals(expected, sb.toString(), "input " + i + ": '" + inputs.get(i) + "'");
        }
    }

    /** The stories260K GGUF carries the same vocabulary as tok512.bin. */
    @Test
    void ggufVocabularyEqualsTokenizerBin() throws Exception {
        Tokenizer bin = Llama2cTokenizer.read(SharedData.file("models/stories260K/tok512.bin"));
        Tokenizer gguf = GgufVocabulary.read(SharedData.file("models/stories260K/stories260K.f32.gguf"));
        assertEquals(bin.size(), gguf.size());
        for (int i = 0; i < bin.size(); i++) {
            assertEquals(bin.type(i), gguf.type(i), "type of " + i);
            assertEquals(bin.score(i), gguf.score(i), "score of " + i);
            if (bin.type(i) == Tokenizer.TokenType.BYTE) assertEquals(bin.byteValue(i), gguf.byteValue(i));
            else if (i > 2) assertEquals(new String(bin.pieceBytes(i), StandardCharsets.UTF_8), new String(gguf.pieceBytes(i), StandardCharsets.UTF_8));
        }
        for (String s : Files.readAllLines(SharedData.file("reference/tokenizer/prompts_mixed.txt"), StandardCharsets.UTF_8)) {
            assertEquals(Arrays.toString(bin.encode(s, true, false)), Arrays.toString(gguf.encode(s, true, false)), s);
        }
    }
}

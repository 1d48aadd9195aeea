package dev.llamascope.engine.tokenizer.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tokenizer.Llama2cTokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTrainerTest {
    static ComputePool pool;

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

    @Test
    void vocab512LandsWithin5PercentOfTok512() throws Exception {
        Path text = SharedData.file("data/tinystories-sample.txt");
        Tokenizer reference = Llama2cTokenizer.read(SharedData.file("models/stories260K/tok512.bin"));
        TokenizerTrainer.Result r = TokenizerTrainer.train(text, BpeTrainingConfig.of(512, true, 1.0), pool, null);
        assertEquals(512, r.vocabulary().size());
        List<String> all = lines(text);
        TokenizerStats ours = TokenizerStats.measure(r.vocabulary().toTokenizer("ours"), all, pool);
        TokenizerStats ref = TokenizerStats.measure(reference, all, pool);
        System.out.printf("tokens/char ours %.4f tok512 %.4f; merges %d chars %d; held-out %d lines tpc %.4f%n",
                ours.tokensPerCharacter(), ref.tokensPerCharacter(), r.vocabulary().merges(), r.vocabulary().characters(),
                r.heldOut().lines(), r.heldOut().tokensPerCharacter());
        TokenizerTrainer.Result r479 = TokenizerTrainer.train(text, BpeTrainingConfig.of(479, true, 1.0), pool, null);
        System.out.printf("479: %.4f%n", TokenizerStats.measure(r479.vocabulary().toTokenizer("x"), all, pool).tokensPerCharacter());
        Files.write(Path.of("/tmp/spm/ours512.txt"), r.vocabulary().pieces());
        double ratio = ours.tokensPerCharacter() / ref.tokensPerCharacter();
        assertTrue(Math.abs(ratio - 1) < 0.05, "tokens per character " + ours.tokensPerCharacter() + " vs tok512's " + ref.tokensPerCharacter());
    }
}

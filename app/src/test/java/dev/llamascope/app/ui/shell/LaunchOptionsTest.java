package dev.llamascope.app.ui.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.app.cli.Args;
import dev.llamascope.app.ui.theme.ThemeMode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {
    @Test
    void parsesTheSnapshotCommandLine() throws Exception {
        LaunchOptions o = LaunchOptions.parse(List.of("--model", "m.bin", "-z", "t.bin", "--prompt", "从前", "--pane", "generate",
                "--generate", "--max-tokens", "60", "--theme", "dark", "--size", "1280x800", "--snapshot", "out.png", "--snapshot-delay", "1.5"));
        assertEquals(Path.of("m.bin"), o.model());
        assertEquals(Path.of("t.bin"), o.tokenizer());
        assertEquals("从前", o.prompt());
        assertTrue(o.generate() && o.snapshotMode());
        assertEquals(60, o.maxTokens());
        assertEquals(ThemeMode.DARK, o.theme());
        assertEquals(1280, o.size()[0]);
        assertEquals(1.5, o.snapshotDelay(), 1e-6);
        assertEquals(null, o.models());
        LaunchOptions lib = LaunchOptions.parse(List.of("--models", "/tmp/m", "--catalog", "c.json"));
        assertEquals(Path.of("/tmp/m"), lib.models());
        assertEquals(Path.of("c.json"), lib.catalog());
    }

    @Test
    void parsesTheDataPanesSteps() throws Exception {
        LaunchOptions o = LaunchOptions.parse(List.of("--data-tab", "diversity", "--data-file", "s.jsonl", "--data-lang", "zh"));
        assertEquals("data", o.pane());
        assertEquals("diversity", o.data().step());
        assertEquals(Path.of("s.jsonl"), o.data().file());
        assertEquals("zh", o.data().language());
        LaunchOptions t = LaunchOptions.parse(List.of("--pane", "data", "--data-tab", "tokenizer", "--data-file", "a.txt",
                "--data-output", "tok", "--data-vocab", "512"));
        assertEquals(512, t.data().vocabSize());
        assertEquals(Path.of("tok"), t.data().output());
        assertEquals(null, LaunchOptions.parse(List.of("--pane", "data")).data());
        assertTrue(assertThrows(Args.UsageException.class, () -> LaunchOptions.parse(List.of("--data-tab", "recipes")))
                .getMessage().contains("--data-tab must be one of prompts, stories, diversity, tokenizer, dataset"));
        assertTrue(assertThrows(Args.UsageException.class, () -> LaunchOptions.parse(List.of("--data-tab", "stories", "--data-file", "p.jsonl")))
                .getMessage().contains("--data-output"));
        assertTrue(assertThrows(Args.UsageException.class, () -> LaunchOptions.parse(List.of("--data-tab", "dataset")))
                .getMessage().contains("--data-file"));
        assertTrue(assertThrows(Args.UsageException.class, () -> LaunchOptions.parse(List.of("--pane", "models", "--data-tab", "prompts")))
                .getMessage().contains("--pane data"));
    }

    @Test
    void parsesATrainingSnapshot() throws Exception {
        LaunchOptions o = LaunchOptions.parse(List.of("--model", "m.bin", "--pane", "train", "--train-data", "d.txt", "--train-steps", "250",
                "--snapshot", "docs/train.png"));
        assertEquals(Path.of("d.txt"), o.trainData());
        assertEquals(250, o.trainSteps());
        assertEquals("train", o.pane());
        assertEquals(null, LaunchOptions.parse(List.of()).trainSteps());
        assertTrue(assertThrows(Args.UsageException.class, () -> LaunchOptions.parse(List.of("--train-data", "d.txt"))).getMessage().contains("--model"));
        assertTrue(assertThrows(Args.UsageException.class, () -> LaunchOptions.parse(List.of("--model", "m", "--train-steps", "0")))
                .getMessage().contains("--train-steps"));
    }

    @Test
    void wrongCommandLinesNameTheProblem() {
        assertTrue(assertThrows(Args.UsageException.class, () -> LaunchOptions.parse(List.of("--pane", "nope"))).getMessage().contains("--pane"));
        assertTrue(assertThrows(Args.UsageException.class, () -> LaunchOptions.parse(List.of("--generate"))).getMessage().contains("--model"));
        assertTrue(assertThrows(Args.UsageException.class, () -> LaunchOptions.parse(List.of("--size", "big"))).getMessage().contains("WIDTHxHEIGHT"));
        assertTrue(assertThrows(Args.UsageException.class, () -> LaunchOptions.parse(List.of("--frobnicate"))).getMessage().contains("--frobnicate"));
        assertTrue(assertThrows(Args.UsageException.class, () -> LaunchOptions.parse(List.of("stray"))).getMessage().contains("stray"));
    }
}

package dev.llamascope.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.LoadOptions;
import dev.llamascope.engine.model.ModelLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    private static Path shared(String rel) {
        String root = System.getProperty("llamascope.shared");
        Path base = root == null || root.isBlank() ? Path.of("..", "..", "shared") : Path.of(root);
        if (System.getenv("LLAMASCOPE_SHARED") != null) base = Path.of(System.getenv("LLAMASCOPE_SHARED"));
        Path p = base.resolve(rel);
        if (!Files.exists(p)) p = Path.of("..", "shared").resolve(rel);
        assumeTrue(Files.exists(p), "test data " + rel + " is absent; skipping");
        return p;
    }

    private record Run(int code, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setErr(ps);
        try {
            int code = new Cli(Cli.standardCommands(), ps).run(args);
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void convertsToEveryTargetAndBack(@TempDir Path tmp) throws Exception {
        Path bin = shared("models/stories260K/stories260K.bin"), tok = shared("models/stories260K/tok512.bin");
        Run r = run("convert", bin.toString(), tmp.resolve("m.gguf").toString(), "-z", tok.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(0, run("convert", bin.toString(), tmp.resolve("hf").toString(), "-z", tok.toString(), "--dtype", "bf16").code());
        assertEquals(0, run("convert", bin.toString(), tmp.resolve("q.gguf").toString(), "-z", tok.toString(), "--quantize", "q8_0").code());
        assertEquals(0, run("convert", bin.toString(), tmp.resolve("v2.bin").toString(), "--to", "llama2c-v2").code());
        Path back = tmp.resolve("back/model.bin");
        r = run("convert", tmp.resolve("m.gguf").toString(), back.toString(), "--context", "512");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(back.resolveSibling("tokenizer.bin")), "tokenizer.bin written beside: " + r.err());
        try (LlamaModel a = ModelLoader.loadWeights(bin); LlamaModel b = ModelLoader.loadWeights(back)) {
            assertEquals(a.config(), b.config());
            assertArrayEquals(FlatWeights.of(a).data(), FlatWeights.of(b).data());
        }
        try (LlamaModel h = ModelLoader.loadWeights(tmp.resolve("hf")); LlamaModel q = ModelLoader.loadWeights(tmp.resolve("q.gguf"), LoadOptions.DEFAULT)) {
            assertEquals("BF16", h.weightTypes());
            assertTrue(q.weightTypes().contains("Q8_0"), q.weightTypes());
        }
        assertTrue(ModelLoader.loadWeights(tmp.resolve("v2.bin")).format().contains("v2"));
    }

    @Test
    void usageAndInputErrors(@TempDir Path tmp) throws Exception {
        Path bin = shared("models/stories260K/stories260K.bin");
        assertEquals(2, run("convert", bin.toString(), tmp.resolve("x").toString(), "--quantize", "q4_0").code());
        assertEquals(2, run("convert", bin.toString(), tmp.resolve("x.gguf").toString(), "--to", "onnx").code());
        assertEquals(2, run("convert", bin.toString(), tmp.resolve("x.bin").toString(), "--quantize", "q8_0").code());
        assertEquals(2, run("convert", bin.toString(), tmp.resolve("x.weird").toString()).code());
        Path lonely = tmp.resolve("lonely");
        Files.createDirectories(lonely);
        Files.copy(bin, lonely.resolve("m.bin"));
        Run r = run("convert", lonely.resolve("m.bin").toString(), tmp.resolve("x.gguf").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("-z TOKENIZER"), r.err());
        assertTrue(!Files.exists(tmp.resolve("x.gguf")));
    }
}

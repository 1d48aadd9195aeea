package dev.llamascope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.util.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tokenize, info, init, bench; and every bad input a user can give: one line, non-zero exit, no stack trace. */
class CommandsTest {
    @TempDir
    Path dir;

    static String model() {
        return SharedData.file("models/stories260K/stories260K.bin").toString();
    }

    static String tok() {
        return SharedData.file("models/stories260K/tok512.bin").toString();
    }

    @Test
    void tokenizePrintsIdsBosFirst() {
        CliRunner.Result r = CliRunner.run("tokenize", "-z", tok(), "Lily and Tom");
        assertEquals(0, r.code(), r.stderr());
        assertEquals("1 317 269 274 287\n", r.out());
    }

    @Test
    void infoDescribesTheCheckpoint() {
        CliRunner.Result r = CliRunner.run("info", SharedData.file("models/stories260K/stories260K.v2_q80_gs4.bin").toString());
        assertEquals(0, r.code(), r.stderr());
        assertTrue(r.out().contains("llama2.c v2 int8"), r.out());
        assertTrue(r.out().contains("dim 64, hidden 172, 5 layers, 8 heads, 4 kv heads, vocab 512, seq 512"), r.out());
        assertTrue(r.out().contains("260,032"), r.out());
        assertTrue(r.out().contains("Q8(gs4)"), r.out());
    }

    @Test
    void initWritesARandomCheckpointOfTheShape() throws Exception {
        Path out = dir.resolve("tiny.bin");
        CliRunner.Result r = CliRunner.run("init", "--shape", "dim=32,hidden=64,layers=2,heads=4,kv=2,vocab=512,seq=64", "--seed", "3", "-o", out.toString());
        assertEquals(0, r.code(), r.stderr());
        ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(32, h.getInt(0));
        assertEquals(2, h.getInt(16));
        CliRunner.Result again = CliRunner.run("init", "--shape", "dim=32,hidden=64,layers=2,heads=4,kv=2,vocab=512,seq=64", "--seed", "3", "-o", dir.resolve("b.bin").toString());
        assertEquals(0, again.code());
        assertTrue(Arrays.equals(Files.readAllBytes(out), Files.readAllBytes(dir.resolve("b.bin"))), "seeded: the same file");
        CliRunner.Result gen = CliRunner.run("generate", out.toString(), "-z", tok(), "-n", "20", "-s", "5");
        assertEquals(0, gen.code(), gen.stderr());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".partial")), "no temporary files left");
        }
    }

    @Test
    void benchPrintsJsonOnTheLastLine() {
        CliRunner.Result r = CliRunner.run("bench", model(), "--threads", "2", "--prompt-tokens", "32", "--steps", "16", "--runs", "2",
                "--warmup", "1", "--json");
        assertEquals(0, r.code(), r.stderr());
        String[] lines = r.out().trim().split("\n");
        Map<String, Object> j = Json.parseObject(lines[lines.length - 1]);
        for (String k : new String[]{"decode_tok_s_warm", "decode_tok_s_cold", "prefill_tok_s_warm", "ttft_ms"}) {
            assertTrue(((Number) j.get(k)).doubleValue() > 0, k);
        }
        // A second of uncounted rounds on a model this small is many rounds; each is logged as not counted.
        int warmups = ((Number) j.get("warmup_rounds")).intValue();
        assertTrue(warmups >= 1, "warm-up rounds: " + warmups);
        assertEquals(warmups, r.stderr().split("not counted", -1).length - 1, r.stderr());
        assertEquals(3, ((List<?>) j.get("prefill_tok_s_runs")).size(), "the cold round and the two counted ones");
    }

    // ---- bad input ----

    private void fails(int code, String expectedInMessage, String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(code, r.code(), r.stderr());
        assertTrue(r.stderr().contains(expectedInMessage), "'" + expectedInMessage + "' in: " + r.stderr());
        assertTrue(!r.stderr().contains("\tat ") && !r.stderr().contains("Exception"), "no stack trace: " + r.stderr());
        assertEquals(0, r.stdout().length, "nothing on stdout");
    }

    @Test
    void badFiles() throws Exception {
        byte[] good = Files.readAllBytes(Path.of(model()));
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(good, 5000));
        fails(1, "truncated", "generate", cut.toString(), "-z", tok());
        Path empty = Files.write(dir.resolve("empty.bin"), new byte[0]);
        fails(1, "empty", "generate", empty.toString(), "-z", tok());
        fails(1, "folder", "generate", dir.toString(), "-z", tok());
        fails(1, "no such file", "generate", dir.resolve("missing.bin").toString(), "-z", tok());
        fails(1, "vocabulary mismatch", "generate", model(), "-z", SharedData.file("tokenizers/llama2/tokenizer.bin").toString());
        Path junk = Files.writeString(dir.resolve("junk.bin"), "GARBAGE GARBAGE GARBAGE GARBAGE GARBAGE");
        fails(1, "not a llama2.c checkpoint", "info", junk.toString());
        fails(1, "empty", "tokenize", "-z", empty.toString(), "hello");
    }

    @Test
    void promptLongerThanTheContext() {
        String longPrompt = "Once upon a time ".repeat(200);
        fails(1, "more than the context of 512", "generate", model(), "-z", tok(), "-i", longPrompt);
    }

    @Test
    void badCommandLines() throws Exception {
        fails(2, "unknown command", "frobnicate");
        fails(2, "unknown option --temprature", "generate", model(), "--temprature", "1");
        fails(2, "-t wants a number", "generate", model(), "-z", tok(), "-t", "hot");
        String root = System.getProperty("llamascope.root");
        try {
            Path models = Files.createDirectories(dir.resolve("models")); // the catalog, and no model installed
            Files.copy(Path.of(root == null ? ".." : root, "models", "catalog.json"), models.resolve("catalog.json"));
            System.setProperty("llamascope.root", dir.toString());
            if (System.getenv("LLAMASCOPE_MODELS") == null) fails(1, "no model installed: get the default one with ./llamascope pull stories15M", "generate");
        } finally {
            if (root == null) System.clearProperty("llamascope.root");
            else System.setProperty("llamascope.root", root);
        }
        fails(1, "temperature must be >= 0", "generate", model(), "-z", tok(), "-t", "-1");
        fails(2, "missing --shape", "init", "-o", dir.resolve("x.bin").toString());
        fails(1, "unknown shape", "init", "--shape", "stories1T", "-o", dir.resolve("x.bin").toString());
        fails(2, "needs a value", "generate", model(), "-z");
        fails(2, "--warmup must be 0 or more seconds", "bench", model(), "--warmup", "-1");
    }
}

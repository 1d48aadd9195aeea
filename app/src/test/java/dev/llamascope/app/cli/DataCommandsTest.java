package dev.llamascope.app.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.llamascope.engine.tokenizer.Llama2cTokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data-lab commands end to end through the command line, with assets from the class path as in the jar. */
class DataCommandsTest {

    static Path shared(String rel) {
        String root = System.getProperty("llamascope.shared", "../../shared");
        Path p = Path.of(root, rel);
        assumeTrue(Files.exists(p), "test data " + p + " is absent; skipping");
        return p;
    }

    /** Runs the CLI, returning exit code and stderr. */
    static Object[] cli(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setErr(ps);
        int code;
        try {
            code = new Cli(Cli.standardCommands(), ps).run(args);
        } finally {
            System.setErr(old);
        }
        return new Object[]{code, err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void promptsAreReproducibleFromTheCommandLine(@TempDir Path dir) throws Exception {
        Object[] r1 = cli("prompts", "-n", "200", "--seed", "7", "--features", "1-2", "-o", dir.resolve("a.jsonl").toString());
        Object[] r2 = cli("prompts", "-n", "200", "--seed", "7", "--features", "1-2", "-o", dir.resolve("b.jsonl").toString());
        assertEquals(0, r1[0], (String) r1[1]);
        assertEquals(0, r2[0]);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.jsonl")), Files.readAllBytes(dir.resolve("b.jsonl")));
        List<String> lines = Files.readAllLines(dir.resolve("a.jsonl"));
        assertEquals(200, lines.size());
        assertTrue(lines.get(0).startsWith("{\"id\":\"en-7-000000\""), lines.get(0));
        assertTrue(((String) r1[1]).contains("wrote 200 prompts"));
        Object[] zh = cli("prompts", "-n", "3", "--lang", "zh", "--hierarchical", "-o", dir.resolve("zh.jsonl").toString());
        assertEquals(0, zh[0], (String) zh[1]);
        assertTrue(Files.readString(dir.resolve("zh.jsonl")).contains("概要："));
        Object[] bad = cli("prompts", "-n", "3", "--features", "2-9", "-o", dir.resolve("x.jsonl").toString());
        assertEquals(1, bad[0]);
        assertTrue(((String) bad[1]).contains("at most 6 features per prompt"), (String) bad[1]);
        Object[] noLang = cli("prompts", "-n", "3", "--lang", "xx", "-o", dir.resolve("x.jsonl").toString());
        assertEquals(1, noLang[0]);
        assertTrue(((String) noLang[1]).contains("words/xx/nouns.txt: no such file"), (String) noLang[1]);
    }

    @Test
    void tokenizerTrainWritesTheThreeFormats(@TempDir Path dir) throws Exception {
        Path text = shared("data/tinystories-sample.txt");
        Path out = dir.resolve("tok");
        Object[] r = cli("tokenizer", "train", "--data", text.toString(), "--vocab-size", "512", "--byte-fallback", "-o", out.toString());
        assertEquals(0, r[0], (String) r[1]);
        String log = (String) r[1];
        assertTrue(log.contains("trained 512 tokens") && log.contains("MB/s") && log.contains("tokens per character"), log);
        Tokenizer t = Llama2cTokenizer.read(out.resolve("tokenizer.bin"), 512);
        assertEquals("Lily and Tom", t.decode(t.encode("Lily and Tom", true, false)));
        assertTrue(Files.size(out.resolve("tokenizer.model")) > 4000);
        assertEquals(512, ((Map<?, ?>) ((Map<?, ?>) Json.parseObject(Files.readString(out.resolve("tokenizer.json"))).get("model")).get("vocab")).size());

        Object[] missing = cli("tokenizer", "train", "--data", text.toString(), "-o", out.toString());
        assertEquals(2, missing[0]);
        assertTrue(((String) missing[1]).contains("missing --vocab-size"), (String) missing[1]);
        Object[] small = cli("tokenizer", "train", "--data", text.toString(), "--vocab-size", "100", "--byte-fallback", "-o", out.toString());
        assertEquals(1, small[0]);
        assertTrue(((String) small[1]).contains("vocabulary size 100 is too small"), (String) small[1]);
        Object[] nofile = cli("tokenizer", "train", "--data", dir.resolve("none.txt").toString(), "--vocab-size", "600", "-o", out.toString());
        assertEquals(1, nofile[0]);
        assertTrue(((String) nofile[1]).contains("none.txt: no such file"), (String) nofile[1]);
        Object[] sub = cli("tokenizer", "fit");
        assertEquals(2, sub[0]);
        assertTrue(((String) sub[1]).contains("unknown subcommand 'fit'"));
    }

    @Test
    void synthAgainstALocalEndpointThenDiversity(@TempDir Path dir) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        AtomicInteger calls = new AtomicInteger();
        String[] auth = new String[1];
        server.createContext("/v1/chat/completions", ex -> {
            calls.incrementAndGet();
            auth[0] = ex.getRequestHeaders().getFirst("Authorization");
            Map<String, Object> req = Json.parseObject(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String prompt = (String) ((Map<?, ?>) ((List<?>) req.get("messages")).get(0)).get("content");
            String story = "Once upon a time a child read: " + prompt.substring(prompt.indexOf("verb"), prompt.indexOf("verb") + 40);
            byte[] b = ("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":" + Json.write(story)
                    + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":50}}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            Path prompts = dir.resolve("p.jsonl"), stories = dir.resolve("s.jsonl");
            assertEquals(0, cli("prompts", "-n", "12", "-o", prompts.toString())[0]);
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
            Object[] r = cli("synth", "--prompts", prompts.toString(), "-o", stories.toString(), "--endpoint", url, "--model", "m",
                    "--api-key-env", "HOME", "--concurrency", "3", "--price-in", "0.5", "--price-out", "1.5", "--limit", "8");
            assertEquals(0, r[0], (String) r[1]);
            assertTrue(((String) r[1]).contains("8 written, 0 already there, 0 failed"), (String) r[1]);
            assertTrue(((String) r[1]).contains("tokens 800 in / 400 out, cost 1.0000"), (String) r[1]);
            assertEquals("Bearer " + System.getenv("HOME"), auth[0]);
            Object[] again = cli("synth", "--prompts", prompts.toString(), "-o", stories.toString(), "--endpoint", url, "--model", "m");
            assertEquals(0, again[0], (String) again[1]);
            assertTrue(((String) again[1]).contains("4 written, 8 already there"), (String) again[1]);
            assertEquals(12, calls.get());
            assertEquals(12, Files.readAllLines(stories).size());

            Path json = dir.resolve("report.json");
            Object[] d = cli("diversity", stories.toString(), "--json", json.toString());
            assertEquals(0, d[0], (String) d[1]);
            Map<String, Object> rep = Json.parseObject(Files.readString(json));
            assertEquals(12L, rep.get("documents"));
            assertEquals(4, ((List<?>) rep.get("coverage")).size());
            Object[] noField = cli("diversity", stories.toString(), "--field", "text");
            assertEquals(1, noField[0]);
            assertTrue(((String) noField[1]).contains("line 1 has no text field 'text'"), (String) noField[1]);
            Object[] neither = cli("synth", "--prompts", prompts.toString(), "-o", stories.toString());
            assertEquals(2, neither[0]);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void synthWithOurOwnEngine(@TempDir Path dir) throws Exception {
        Path model = shared("models/stories260K/stories260K.bin"), tok = shared("models/stories260K/tok512.bin");
        Path prompts = dir.resolve("p.jsonl"), stories = dir.resolve("s.jsonl");
        assertEquals(0, cli("prompts", "-n", "2", "-o", prompts.toString())[0]);
        Object[] r = cli("synth", "--prompts", prompts.toString(), "-o", stories.toString(), "--checkpoint", model.toString(),
                "-z", tok.toString(), "--template", "Once upon a time, there was a {adjective} {noun}.", "--max-tokens", "40", "--threads", "1");
        assertEquals(0, r[0], (String) r[1]);
        List<String> lines = Files.readAllLines(stories);
        assertEquals(2, lines.size());
        Map<String, Object> rec = Json.parseObject(lines.get(0));
        assertFalse(((String) rec.get("story")).isBlank());
        assertEquals("stories260K.bin", rec.get("model"));
    }
}

package dev.llamascope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.llamascope.engine.catalog.ModelLibrary;
import dev.llamascope.engine.catalog.ModelsFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pull}, {@code list} and model names on the command line, against a local HTTP server serving
 * stories260K from ../shared/ (skipped when absent).
 */
@Timeout(60)
class PullListCommandTest {
    static final String MODEL_SHA = "b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696";
    static final String TOKENIZER_SHA = "037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312";

    @TempDir
    Path tmp;
    HttpServer server;
    Path models;
    Path catalog;

    static Path shared() {
        String env = System.getenv("LLAMASCOPE_SHARED");
        String prop = System.getProperty("llamascope.shared");
        Path root = env != null && !env.isBlank() ? Path.of(env) : prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("..", "shared");
        assumeTrue(Files.isRegularFile(root.resolve("models/stories260K/stories260K.bin")),
                "test data " + root + " is absent (set LLAMASCOPE_SHARED); skipping");
        return root;
    }

    @BeforeEach
    void start() throws IOException {
        Path root = shared().toAbsolutePath().normalize();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                Path f = root.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
                if (!f.startsWith(root) || !Files.isRegularFile(f)) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] data = Files.readAllBytes(f);
                ex.sendResponseHeaders(200, data.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(data);
                }
            }
        });
        server.start();
        models = tmp.resolve("models");
        catalog = tmp.resolve("catalog.json");
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/models/stories260K/";
        Files.writeString(catalog, """
                {"version": 1, "models": [
                  {"name": "tiny", "description": "stories260K from the test server", "default": true,
                   "files": [
                     {"path": "stories260K.bin", "role": "model", "url": "%sstories260K.bin", "size": 1056540,
                      "sha256": "%s", "verified": true},
                     {"path": "tokenizer.bin", "role": "tokenizer", "url": "%stok512.bin", "size": 6227,
                      "sha256": "%s", "verified": true}]},
                  {"name": "gone", "description": "a file the server does not have",
                   "files": [{"path": "x.bin", "role": "model", "url": "%sx.bin"}]}
                ]}""".formatted(base, MODEL_SHA, base, TOKENIZER_SHA, base));
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    record Result(int code, String out, String err) {}

    Result run(Command c, ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = new Cli(List.of(c), errStream).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Result pull(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PullCommand c = new PullCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return run(c, out, err, args);
    }

    Result list() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        return run(new ListCommand(new PrintStream(out, true, StandardCharsets.UTF_8)), out, err,
                "list", "--models", models.toString(), "--catalog", catalog.toString());
    }

    ModelArgument.LibrarySource library() {
        return () -> ModelLibrary.open(catalog, new ModelsFolder(models), new Properties());
    }

    @Test
    void pullDownloadsVerifiesAndListShowsIt() throws Exception {
        Result before = list();
        assertEquals(0, before.code(), before.err());
        assertTrue(before.out().contains("models folder: " + models.toAbsolutePath()), before.out());
        assertTrue(before.out().lines().anyMatch(l -> l.startsWith("* tiny ") && l.contains("1.1 MB") && l.contains(" - ")), before.out());

        // No model installed: the message says how to get the default one, and how to do without network.
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> ModelArgument.resolve(null, "generate MODEL.bin -z TOKENIZER.bin", library()));
        assertTrue(none.getMessage().startsWith("no model installed: get the default one with ./llamascope pull tiny (1.1 MB into "), none.getMessage());
        assertTrue(none.getMessage().endsWith("or without network open a model file you have: ./llamascope generate MODEL.bin -z TOKENIZER.bin"),
                none.getMessage());
        IllegalStateException notYet = assertThrows(IllegalStateException.class, () -> ModelArgument.resolve("tiny", "info MODEL.bin", library()));
        assertTrue(notYet.getMessage().startsWith("tiny is not installed: get it with ./llamascope pull tiny (1.1 MB)"), notYet.getMessage());

        Result r = pull("pull", "tiny", "--models", models.toString(), "--catalog", catalog.toString());
        assertEquals(0, r.code(), r.err());
        Path model = models.resolve("tiny/stories260K.bin").toAbsolutePath();
        assertEquals(model + System.lineSeparator(), r.out());
        assertTrue(r.err().contains("pulling tiny (1.1 MB) into "), r.err());
        assertTrue(r.err().contains("stories260K.bin (1/2)  [") && r.err().contains("100%"), r.err());
        assertTrue(r.err().contains("checking sha256"), r.err());
        assertTrue(r.err().contains("done: 1.1 MB / 1.1 MB"), r.err());
        assertTrue(Files.isRegularFile(models.resolve("tiny/tokenizer.bin")));

        Result after = list();
        assertTrue(after.out().lines().anyMatch(l -> l.startsWith("* tiny ") && l.contains("installed")), after.out());
        assertTrue(after.out().contains("installed:\n  tiny  " + model) || after.out().contains("  tiny  " + model), after.out());

        // Now the name and the default both resolve to the installed file; a path still wins.
        assertEquals(model, ModelArgument.resolve("tiny", "info MODEL.bin", library()));
        assertEquals(model, ModelArgument.resolve(null, "info MODEL.bin", library()));
        assertEquals(Path.of("some/other.bin"), ModelArgument.resolve("some/other.bin", "info MODEL.bin", library()));

        Result again = pull("pull", "tiny", "--models", models.toString(), "--catalog", catalog.toString());
        assertEquals(0, again.code());
        assertTrue(again.err().contains("tiny is already installed"), again.err());
    }

    @Test
    void pullErrorsAreOneLine() throws IOException {
        Result unknown = pull("pull", "huge", "--models", models.toString(), "--catalog", catalog.toString());
        assertEquals(1, unknown.code());
        assertEquals("llamascope: no model named 'huge' in the catalog (known: tiny, gone)\n", unknown.err());

        Result notThere = pull("pull", "gone", "--models", models.toString(), "--catalog", catalog.toString());
        assertEquals(1, notThere.code());
        String last = notThere.err().lines().toList().getLast();
        assertTrue(last.startsWith("llamascope: HTTP 404 Not Found for http://127.0.0.1:") && last.endsWith("(the catalog may be out of date)"), last);
        assertFalse(Files.exists(models.resolve("gone")));

        int port = server.getAddress().getPort();
        server.stop(0);
        server = null;
        Result offline = pull("pull", "tiny", "--models", models.toString(), "--catalog", catalog.toString());
        assertEquals(1, offline.code());
        String line = offline.err().lines().toList().getLast();
        assertTrue(line.startsWith("llamascope: cannot reach 127.0.0.1") && line.endsWith("e.g. ./llamascope generate MODEL.bin -z TOKENIZER.bin"),
                line + " (port " + port + ")");

        Files.writeString(catalog, "{\"models\": [");
        Result broken = pull("pull", "tiny", "--models", models.toString(), "--catalog", catalog.toString());
        assertEquals(1, broken.code());
        assertEquals("llamascope: " + catalog + ": invalid JSON at line 1, column 13: unexpected end of input\n", broken.err());

        Result usage = pull("pull");
        assertEquals(2, usage.code());
        assertTrue(usage.err().startsWith("llamascope pull: missing NAME"), usage.err());
    }

    @Test
    void progressLineFormats() {
        var p = new dev.llamascope.engine.catalog.DownloadProgress("stories15M", "stories15M.bin", 0, 2,
                dev.llamascope.engine.catalog.DownloadProgress.Phase.DOWNLOADING, 30_000_000, 60_816_028, 30_000_000, 61_249_897, 5_000_000);
        assertEquals("stories15M.bin (1/2)  [############------------]  48%  30.0 MB / 61.2 MB  5.0 MB/s  0:07 left", ConsoleProgress.line(p));
    }
}

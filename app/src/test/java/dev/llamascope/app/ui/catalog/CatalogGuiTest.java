package dev.llamascope.app.ui.catalog;

import static dev.llamascope.app.ui.AppDriver.fx;
import static dev.llamascope.app.ui.AppDriver.onFx;
import static dev.llamascope.app.ui.AppDriver.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.app.ui.AppDriver;
import dev.llamascope.app.ui.TestData;
import dev.llamascope.engine.catalog.InstallStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog in the window against a local HTTP server on 127.0.0.1 serving ../shared/ and a test catalog in a
 * temporary models folder: the first-run banner downloads the default model with progress, Cancel keeps the partial
 * file and Download resumes it with a Range request, the model then opens with the tokenizer beside it; a checksum
 * failure shows one line and leaves no partial file; an unreachable server says how to open a local file instead.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogGuiTest {
    static final String MODEL_SHA = "b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696";
    static final String TOKENIZER_SHA = "037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312";
    static final long MODEL_SIZE = 1056540;

    @TempDir
    static Path tmp;
    private LocalFileServer server;
    private AppDriver app;
    private Path models;

    @BeforeAll
    void start() throws Exception {
        TestData.stories260K();
        server = new LocalFileServer(TestData.root());
        models = tmp.resolve("models");
        Path catalog = tmp.resolve("catalog.json");
        String model = server.url("models/stories260K/stories260K.bin"), tok = server.url("models/stories260K/tok512.bin");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Files.writeString(catalog, """
                {"version": 1, "models": [
                  {"name": "tiny", "description": "stories260K from the test server", "default": true, "license": "MIT",
                   "shape": {"dim": 64, "hidden": 172, "layers": 5, "heads": 8, "kvHeads": 4, "vocab": 512, "seq": 512, "sharedClassifier": true},
                   "files": [
                     {"path": "stories260K.bin", "role": "model", "url": "%1$s", "size": %3$d, "sha256": "%4$s", "verified": true},
                     {"path": "tokenizer.bin", "role": "tokenizer", "url": "%2$s", "size": 6227, "sha256": "%5$s", "verified": true}]},
                  {"name": "broken", "description": "a catalog entry whose checksum is wrong",
                   "files": [
                     {"path": "stories260K.bin", "role": "model", "url": "%1$s", "size": %3$d, "sha256": "%6$s", "verified": true}]},
                  {"name": "faraway", "description": "on a server that is not there",
                   "files": [
                     {"path": "model.bin", "role": "model", "url": "http://127.0.0.1:%7$d/model.bin", "size": 1000}]}
                ]}
                """.formatted(model, tok, MODEL_SIZE, MODEL_SHA, TOKENIZER_SHA, "0".repeat(64), closedPort));
        app = new AppDriver(tmp.resolve("config"), "--size", "1200x800", "--models", models.toString(), "--catalog", catalog.toString());
        waitUntil(() -> app.app().context().catalog().readyProperty().get(), 20);
        assertNull(onFx(() -> app.app().context().catalog().problemProperty().get()));
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) app.close();
        if (server != null) server.close();
    }

    private CatalogItem item(String name) {
        return onFx(() -> app.app().context().catalog().item(name).orElseThrow());
    }

    private String text(String query) {
        return onFx(() -> app.robot.lookup(query).queryAs(Label.class).getText());
    }

    private void fire(String buttonQuery) {
        fx(() -> app.robot.lookup(buttonQuery).queryAs(Button.class).fire());
    }

    private List<Path> partialFiles() throws IOException {
        if (!Files.exists(models)) return List.of();
        try (Stream<Path> s = Files.walk(models)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".partial")).toList();
        }
    }

    @Test
    void theBannerDownloadsWithProgressCancelKeepsThePartialFileAndDownloadResumesAndOpens() throws Exception {
        CatalogItem tiny = item("tiny");
        assertEquals("Not installed", text("#status-tiny"));
        assertTrue(text("#facts-tiny").startsWith("1.1 MB · 260K parameters · dim 64 · 5 layers · 8 heads (4 KV)"), text("#facts-tiny"));
        assertTrue(onFx(() -> app.robot.lookup("#modelsBanner").query().isVisible()), "no model yet: the banner offers one");
        assertEquals("No model yet", text("#modelsBannerTitle"));
        assertEquals("Download tiny (1.1 MB)", onFx(() -> app.robot.lookup("#modelsBannerMain").queryAs(Button.class).getText()));

        server.chunkDelayMillis = 60; // about 4 s for the model: time to watch it and to cancel
        app.robot.clickOn("#modelsBannerMain");
        waitUntil(() -> tiny.progressProperty().get() > 0.15 && tiny.progressTextProperty().get().contains("/s"), 30);
        String line = text("#progressText-tiny");
        assertTrue(line.matches("[0-9.]+ [kM]B of 1\\.1 MB · [0-9.]+ [kM]B/s · \\d+ s left"), line);
        assertTrue(onFx(() -> app.robot.lookup("#progress-tiny").queryAs(ProgressBar.class).getProgress()) > 0.15);
        assertTrue(onFx(() -> app.robot.lookup("#modelsBannerProgress").query().isVisible()), "the banner shows the progress too");

        app.robot.clickOn("#modelsBannerCancel");
        waitUntil(() -> tiny.activity() == CatalogItem.Activity.IDLE, 20);
        assertEquals(InstallStatus.State.PARTIAL, onFx(tiny::status).state());
        Path partial = models.resolve("tiny/stories260K.bin.partial");
        assertTrue(Files.size(partial) > 0 && Files.size(partial) < MODEL_SIZE, "the partial file is kept: " + Files.size(partial));
        assertTrue(text("#note-tiny").startsWith("Cancelled; the part downloaded is kept"), text("#note-tiny"));
        assertTrue(text("#status-tiny").startsWith("Partial · "), text("#status-tiny"));
        assertEquals("Resume download", onFx(() -> app.robot.lookup("#modelsBannerMain").queryAs(Button.class).getText()));
        assertNull(onFx(() -> app.app().context().session().current()));

        server.chunkDelayMillis = 0;
        server.requests.clear();
        app.robot.clickOn("#modelsBannerMain");
        waitUntil(() -> app.app().context().session().current() != null, 30);
        assertTrue(server.requests.stream().anyMatch(r -> r.startsWith("/models/stories260K/stories260K.bin bytes=")),
                "resumed with a Range request: " + server.requests);
        Path modelFile = models.resolve("tiny/stories260K.bin").toAbsolutePath().normalize();
        assertEquals(modelFile, onFx(() -> app.app().context().session().current().modelPath()));
        assertEquals(512, (int) onFx(() -> app.app().context().session().current().loaded().tokenizer().size()),
                "tokenizer.bin beside the model was found");
        assertEquals(MODEL_SIZE, Files.size(modelFile));
        assertEquals(List.of(), partialFiles());
        waitUntil(() -> tiny.activity() == CatalogItem.Activity.IDLE, 10);
        assertEquals("Installed · loaded", text("#status-tiny"));
        assertFalse(onFx(() -> app.robot.lookup("#modelsBanner").query().isVisible()), "a model is loaded: no banner");
        assertTrue(onFx(() -> app.robot.lookup("#open-tiny").queryAs(Button.class).isDisabled()), "it is open already");
        assertEquals("stories260K.bin", text("#modelName"));
    }

    @Test
    void aChecksumFailureShowsOneLineAndLeavesNoPartialFile() throws Exception {
        CatalogItem broken = item("broken");
        fire("#download-broken");
        waitUntil(() -> broken.activity() == CatalogItem.Activity.IDLE && broken.errorProperty().get() != null, 30);
        String error = text("#error-broken");
        assertTrue(error.contains("sha256 mismatch") && error.contains("the partial download was deleted"), error);
        assertFalse(error.contains("\n") || error.contains("Exception"), error);
        assertTrue(onFx(() -> app.robot.lookup("#error-broken").query().isVisible()));
        assertEquals(List.of(), partialFiles().stream().filter(p -> p.startsWith(models.resolve("broken"))).toList());
        assertFalse(Files.exists(models.resolve("broken/stories260K.bin")));
        assertEquals(InstallStatus.State.NOT_INSTALLED, onFx(broken::status).state());
        assertEquals("Download", onFx(() -> app.robot.lookup("#download-broken").queryAs(Button.class).getText()), "it can be tried again");
    }

    @Test
    void anUnreachableServerSaysHowToOpenALocalFile() {
        CatalogItem far = item("faraway");
        fire("#download-faraway");
        waitUntil(() -> far.activity() == CatalogItem.Activity.IDLE && far.errorProperty().get() != null, 30);
        String error = text("#error-faraway");
        assertTrue(error.startsWith("Offline? Cannot reach 127.0.0.1") && error.contains("Open model file…"), error);
    }
}

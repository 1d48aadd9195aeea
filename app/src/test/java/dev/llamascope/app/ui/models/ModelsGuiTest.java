package dev.llamascope.app.ui.models;

import static dev.llamascope.app.ui.AppDriver.fx;
import static dev.llamascope.app.ui.AppDriver.onFx;
import static dev.llamascope.app.ui.AppDriver.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.controls.Message;
import dev.llamascope.app.ui.AppDriver;
import dev.llamascope.app.ui.TestData;
import dev.llamascope.app.ui.concurrent.WorkState;
import dev.llamascope.app.ui.session.ModelHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Models pane: the card of a loaded model, and a bad file that leaves the last model in place. */
class ModelsGuiTest {
    @TempDir
    Path dir;
    private AppDriver app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) app.close();
    }

    @Test
    void loadedModelShowsItsCard() throws Exception {
        Path model = TestData.stories260K(), tok = TestData.tok512();
        app = new AppDriver(dir.resolve("config"));
        app.load(model, tok);
        assertEquals("stories260K.bin", app.robot.lookup("#modelName").queryAs(Label.class).getText());
        assertTrue(text("#card-format").startsWith("llama2.c"), text("#card-format"));
        assertEquals("dim 64 · hidden 172 · 5 layers · 8 heads (4 KV)", text("#card-shape"));
        assertTrue(text("#card-parameters").startsWith("260K"), text("#card-parameters"));
        assertEquals("512 tokens", text("#card-vocab"));
        assertEquals("512 tokens", text("#card-context"));
        assertTrue(text("#card-tokenizer").startsWith("tok512.bin"), text("#card-tokenizer"));
        assertTrue(text("#card-memory").contains("KV cache"));
        assertTrue(text("#statusModel").startsWith("stories260K.bin"));
        assertEquals(1, onFx(() -> app.models().model().recent().size()));
    }

    @Test
    void aBadFileShowsAnErrorAndKeepsThePreviousModel() throws Exception {
        Path model = TestData.stories260K(), tok = TestData.tok512();
        app = new AppDriver(dir.resolve("config"));
        app.load(model, tok);
        ModelHandle before = onFx(() -> app.app().context().session().current());

        // A llama2.c header that promises far more weights than the file holds.
        Path bad = dir.resolve("truncated.bin");
        byte[] head = Files.readAllBytes(model);
        Files.write(bad, java.util.Arrays.copyOf(head, 4096));
        fx(() -> app.models().open(bad, tok));
        waitUntil(() -> app.models().model().state() == WorkState.ERROR, 30);

        Message error = app.robot.lookup("#modelError").queryAs(Message.class);
        assertNotNull(error);
        assertTrue(error.getDescription().contains("truncated.bin"), error.getDescription());
        assertTrue(error.getDescription().contains("stories260K.bin stays loaded"), error.getDescription());
        assertSame(before, onFx(() -> app.app().context().session().current()));
        assertTrue(!before.isClosed());
        assertEquals("stories260K.bin", app.robot.lookup("#modelName").queryAs(Label.class).getText());

        // Not a model at all: a one-line message naming the file.
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "these are not weights\n");
        fx(() -> app.models().open(text, null));
        waitUntil(() -> app.models().model().state() == WorkState.ERROR, 30);
        String message = app.robot.lookup("#modelError").queryAs(Message.class).getDescription();
        assertTrue(message.contains("notes.txt") && !message.contains("\n") && !message.contains("Exception"), message);
        assertSame(before, onFx(() -> app.app().context().session().current()));

        // The kept model still writes.
        fx(() -> {
            app.generate().model().knobs().maxTokensProperty().set(20);
            app.generate().generate();
        });
        app.waitForGeneration(60);
        assertTrue(app.storyText().length() > 10);
    }

    @Test
    void aModelWithoutTokenizerAsksForOneAndOpensWithIt() throws Exception {
        Path alone = dir.resolve("alone");
        Files.createDirectories(alone);
        Path model = Files.copy(TestData.stories260K(), alone.resolve("stories260K.bin"));
        app = new AppDriver(dir.resolve("config"));
        fx(() -> app.models().open(model, null));
        waitUntil(() -> app.models().model().state() == WorkState.ERROR, 30);
        String message = app.robot.lookup("#modelError").queryAs(Message.class).getDescription();
        assertTrue(message.contains("no tokenizer beside it") && message.contains("Choose its tokenizer"), message);
        fx(() -> app.models().chooseTokenizer(TestData.tok512()));
        waitUntil(() -> app.models().model().state() == WorkState.DONE, 30);
        assertEquals(model.toAbsolutePath().normalize(), onFx(() -> app.app().context().session().current().modelPath()));
        assertTrue(text("#card-tokenizer").startsWith("tok512.bin"));
    }

    @Test
    void cancellingALoadLeavesNothingOpen() throws Exception {
        app = new AppDriver(dir.resolve("config"));
        ModelsController c = app.models();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        ModelsController slow = onFx(() -> new ModelsController(app.app().context(), new ModelsModel(), (m, t, progress, cancel) -> {
            started.countDown();
            while (!cancel.isCancelled()) {
                progress.report(0.5, "Reading…");
                Thread.sleep(5);
            }
            throw new java.util.concurrent.CancellationException();
        }));
        fx(() -> slow.open(Path.of("big.bin"), null));
        assertTrue(started.await(10, java.util.concurrent.TimeUnit.SECONDS));
        waitUntil(() -> slow.model().progressProperty().get() == 0.5, 10);
        fx(slow::cancel);
        waitUntil(() -> slow.model().state() == WorkState.IDLE, 10);
        assertTrue(onFx(() -> slow.model().noticeProperty().get()).startsWith("Loading cancelled"));
        assertEquals(null, onFx(() -> app.app().context().session().current()));
        assertNotNull(c);
    }

    private String text(String id) {
        return onFx(() -> app.robot.lookup(id).queryAs(Label.class).getText());
    }
}

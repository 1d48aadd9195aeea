package dev.llamascope.app.ui.inspect;

import static dev.llamascope.app.ui.AppDriver.fx;
import static dev.llamascope.app.ui.AppDriver.onFx;
import static dev.llamascope.app.ui.AppDriver.waitUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.app.ui.AppDriver;
import dev.llamascope.app.ui.TestData;
import dev.llamascope.app.ui.actions.AppAction;
import dev.llamascope.app.ui.generate.GeneratePane;
import dev.llamascope.app.ui.generate.Preset;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.engine.inference.inspect.Inspection;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Inspect pane in the window on stories260K: "Inspect" in Generate (its shortcut) shows the prompt and story
 * there, inspected; a text over the limit is cut with a visible note; the pane's own box still works; a newly
 * loaded model is inspected again, and the old one closes only when nothing uses it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InspectInAppGuiTest {
    @TempDir
    static Path config;
    private AppDriver app;

    @BeforeAll
    void start() throws Exception {
        TestData.stories260K();
        app = new AppDriver(config, "--size", "1200x800");
        app.load(TestData.stories260K(), TestData.tok512());
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) app.close();
    }

    private InspectPane pane() {
        return onFx(() -> app.app().window().pane(InspectAppPane.ID, InspectAppPane.class).inspectPane());
    }

    private void waitForInspection() {
        InspectPane p = pane();
        waitUntil(() -> p.state().getState() == InspectModel.State.DONE || p.state().getState() == InspectModel.State.ERROR, 60);
        assertEquals(InspectModel.State.DONE, onFx(() -> p.state().getState()), () -> onFx(() -> p.state().messageProperty().get()));
    }

    @Test
    void inspectFromGenerateShowsTheStoryInspected() {
        fx(() -> app.app().context().navigation().show(GeneratePane.ID));
        fx(() -> {
            app.generate().model().promptProperty().set("Once upon a time");
            app.generate().applyPreset(Preset.GREEDY);
            app.generate().model().knobs().maxTokensProperty().set(80);
        });
        assertTrue(onFx(() -> app.app().context().actions().isEnabled(AppAction.INSPECT_STORY)), "a prompt alone can be inspected");
        app.robot.clickOn("#generate");
        app.waitForGeneration(60);
        String story = app.storyText();
        assertTrue(story.startsWith("Once upon a time") && story.length() > 100, story);

        // The shortcut, from the prompt box (Ctrl+I), as a user would press it.
        app.robot.clickOn("#prompt");
        app.robot.press(KeyCode.CONTROL).press(KeyCode.I).release(KeyCode.I).release(KeyCode.CONTROL);
        waitUntil(() -> InspectAppPane.ID.equals(app.app().context().navigation().current()), 10);
        waitForInspection();

        InspectPane p = pane();
        assertEquals(story, onFx(() -> app.robot.lookup("#inspect-text").queryAs(TextArea.class).getText()), "the box holds the prompt and story");
        Tokenizer tok = onFx(() -> app.app().context().session().current().loaded().tokenizer());
        Inspection in = onFx(() -> p.state().getInspection());
        assertArrayEquals(tok.encode(story, true, false), in.tokens());
        assertTrue(in.positions() > 60 && in.positions() < 512, "positions " + in.positions());
        assertNull(onFx(() -> p.state().noteProperty().get()), "nothing was cut");
        assertEquals(in.positions(), onFx(() -> p.attentionView().heatmap.getMatrix().rows()), "the heatmap shows every token");
        assertTrue(onFx(() -> p.state().getLens() != null));
        assertTrue(app.robot.lookup("#inspect-status").queryAs(Label.class).getText().contains(in.positions() + " tokens"));

        // The button does the same.
        fx(() -> app.app().context().navigation().show(GeneratePane.ID));
        app.robot.clickOn("#inspectStory");
        waitUntil(() -> InspectAppPane.ID.equals(app.app().context().navigation().current()), 10);
        waitForInspection();
        assertArrayEquals(in.tokens(), onFx(() -> pane().state().getInspection().tokens()));
    }

    @Test
    void aLongTextIsCutToTheLimitWithANoteAndTheBoxStaysUsable() {
        String longText = "Once upon a time, there was a big dog. ".repeat(60);
        fx(() -> app.app().context().links().inspect(longText));
        waitForInspection();
        InspectPane p = pane();
        Inspection in = onFx(() -> p.state().getInspection());
        assertEquals(512, in.positions(), "the first 512 tokens (stories260K's context is 512 too)");
        Label note = app.robot.lookup("#inspect-cut-note").queryAs(Label.class);
        assertTrue(onFx(note::isVisible));
        assertTrue(note.getText().contains("at most 512") && note.getText().contains("first 512"), note.getText());
        String inBox = onFx(() -> p.textProperty().get());
        assertTrue(inBox.length() < longText.length() && longText.startsWith(inBox.strip()), "the box holds the part inspected");

        // The pane's own box: type a new text and press its button.
        app.robot.clickOn("#inspect-text");
        fx(() -> p.textProperty().set(""));
        app.robot.write("Lily saw a cat.");
        app.robot.clickOn("#inspect-button");
        waitForInspection();
        Tokenizer tok = onFx(() -> app.app().context().session().current().loaded().tokenizer());
        assertArrayEquals(tok.encode("Lily saw a cat.", true, false), onFx(() -> p.state().getInspection().tokens()));
        assertFalse(onFx(note::isVisible), "the note went with the cut text");
    }

    @Test
    void aNewModelIsInspectedAgainAndTheOldOneClosesWhenUnused() {
        fx(() -> app.app().context().links().inspect("Tom and Lily went to the park."));
        waitForInspection();
        ModelHandle before = onFx(() -> app.app().context().session().current());
        app.load(TestData.stories260K(), TestData.tok512()); // a new handle on the same file, while the pane shows
        ModelHandle after = onFx(() -> app.app().context().session().current());
        assertNotSame(before, after);
        waitForInspection();
        assertTrue(onFx(() -> pane().state().getModel() == after.loaded()), "the pane follows the session's model");
        assertEquals(after.loaded().tokenizer().encode("Tom and Lily went to the park.", true, false).length,
                (int) onFx(() -> pane().state().getInspection().positions()));
        waitUntil(before::isClosed, 10);
        assertFalse(after.isClosed());
    }
}

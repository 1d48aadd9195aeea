package dev.llamascope.app.ui.generate;

import static dev.llamascope.app.ui.AppDriver.fx;
import static dev.llamascope.app.ui.AppDriver.onFx;
import static dev.llamascope.app.ui.AppDriver.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.app.ui.AppDriver;
import dev.llamascope.app.ui.TestData;
import dev.llamascope.app.ui.concurrent.WorkState;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import javafx.scene.control.Button;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Generate pane end to end on stories260K: exact text in the view, knobs reaching the engine, stop, branching.
 * One window for the whole class (starting it is the slow part); each test sets the knobs it relies on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GenerateGuiTest {
    @TempDir
    static Path config;
    private AppDriver app;

    @BeforeAll
    void start() throws Exception {
        TestData.stories260K();
        app = new AppDriver(config, "--size", "1200x800");
    }

    @BeforeEach
    void stories260KOnTheGeneratePane() {
        boolean loaded = onFx(() -> {
            var h = app.app().context().session().current();
            return h != null && h.modelPath().endsWith("stories260K.bin") && h.loaded().model().config().seqLen() == 512;
        });
        if (!loaded) app.load(TestData.stories260K(), TestData.tok512());
        fx(() -> app.app().context().navigation().show(GeneratePane.ID));
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) app.close();
    }

    /** Max tokens so that the whole sequence has run.c's -n positions (run.c counts the prompt in its steps). */
    private int tokensForSteps(String prompt, int steps) {
        Tokenizer tok = onFx(() -> app.app().context().session().current().loaded().tokenizer());
        return steps - (tok.encode(prompt, true, false).length - 1);
    }

    private void setPrompt(String prompt) {
        app.robot.clickOn("#prompt");
        fx(() -> app.generate().model().promptProperty().set(prompt));
    }

    @Test
    void greedyStoryInTheViewIsRunCsText() throws Exception {
        setPrompt("Once upon a time");
        fx(() -> {
            app.generate().applyPreset(Preset.GREEDY);
            app.generate().model().knobs().maxTokensProperty().set(tokensForSteps("Once upon a time", 200));
        });
        app.robot.clickOn("#generate");
        app.waitForGeneration(60);

        assertEquals(TestData.reference("stories260K__greedy_once.txt"), app.storyText());
        // What the user sees: the first paragraph's token nodes spell the start of the story.
        // What the user sees: the text of the paragraphs on screen, top to bottom, is the story.
        String shown = onFx(() -> String.join("\n", app.robot.lookup("#story .paragraph-cell").match(org.testfx.util.NodeQueryUtils.isVisible())
                .queryAllAs(ParagraphCell.class).stream().filter(c -> !c.isEmpty())
                .sorted(java.util.Comparator.comparingInt(ParagraphCell::getIndex)).map(ParagraphCell::shownText).toList()));
        assertEquals(TestData.reference("stories260K__greedy_once.txt"), shown);

        // Saved as shown (atomically: no temporary file left beside it).
        Path saved = config.resolve("stories/story.txt");
        fx(() -> app.generate().save(saved));
        waitUntil(() -> java.nio.file.Files.exists(saved), 10);
        assertEquals(TestData.reference("stories260K__greedy_once.txt"), java.nio.file.Files.readString(saved));
        try (var files = java.nio.file.Files.list(saved.getParent())) {
            assertEquals(1, files.count());
        }
        GenerationStats s = onFx(() -> app.generate().model().stats());
        assertEquals("length limit", s.stopReason());
        assertEquals(200, s.contextUsed());
        assertEquals(512, s.context());
    }

    @Test
    void seededSamplingKnobsSetInTheFormReachTheEngine() throws Exception {
        setPrompt("Once upon a time");
        Slider temperature = app.robot.lookup("#temperature").queryAs(Slider.class);
        Slider topP = app.robot.lookup("#topP").queryAs(Slider.class);
        fx(() -> {
            app.generate().applyPreset(Preset.GREEDY);
            temperature.setValue(0.8);
            topP.setValue(0.9);
            app.generate().model().knobs().maxTokensProperty().set(tokensForSteps("Once upon a time", 200));
        });
        TextField seed = app.robot.lookup("#seed").queryAs(TextField.class);
        app.robot.doubleClickOn(seed).eraseText(12).write("42").type(javafx.scene.input.KeyCode.TAB);
        assertEquals(42L, onFx(() -> app.generate().model().knobs().seedProperty().get()));
        assertEquals(Preset.BALANCED, onFx(() -> app.generate().model().knobs().matchingPreset()));

        app.robot.clickOn("#generate");
        app.waitForGeneration(60);
        assertEquals(TestData.reference("stories260K__sample_once_t0.8_p0.9_s42.txt"), app.storyText());
    }

    @Test
    void stopButtonAndEscapeStopALongGeneration() {
        // A long, slow story (random weights, 32000-token vocabulary, 4096-token context), so a click lands mid-story.
        ModelHandle slow = LongContext.randomLongStory(config);
        fx(() -> app.app().context().session().install(slow));
        setPrompt("Once upon a time");
        fx(() -> {
            app.generate().applyPreset(Preset.BALANCED);
            app.generate().model().knobs().maxTokensProperty().set(4000);
        });
        app.robot.clickOn("#generate");
        waitUntil(() -> app.generate().model().story().tokenCount() > 10, 30);
        app.robot.clickOn("#stop");
        waitUntil(() -> !app.generate().model().state().isBusy(), 30);
        GenerationStats first = onFx(() -> app.generate().model().stats());
        assertEquals("stopped", first.stopReason());
        assertEquals(WorkState.DONE, onFx(() -> app.generate().model().state()));
        assertTrue(first.generated() > 10 && first.generated() < 4000, "generated " + first.generated());
        // the text written so far stays, token for token
        assertEquals(first.generated() + first.promptTokens() - 1, (int) onFx(() -> app.generate().model().story().tokenCount()));

        app.robot.clickOn("#generate");
        waitUntil(() -> app.generate().model().story().tokenCount() > 10, 30);
        app.robot.type(javafx.scene.input.KeyCode.ESCAPE);
        waitUntil(() -> !app.generate().model().state().isBusy(), 30);
        GenerationStats s = onFx(() -> app.generate().model().stats());
        assertEquals("stopped", s.stopReason());
        assertTrue(s.generated() < 4000);
    }

    @Test
    void clickingAnAlternativeBranchesTheStoryFromThatToken() throws Exception {
        setPrompt("Once upon a time");
        fx(() -> {
            app.generate().applyPreset(Preset.GREEDY);
            app.generate().model().knobs().maxTokensProperty().set(100);
        });
        app.robot.clickOn("#generate");
        app.waitForGeneration(60);
        String before = app.storyText();
        int[] story = storyIds();
        int steps = onFx(() -> app.generate().model().stats().contextUsed());

        // Hover a generated token of the first line; its alternatives pop up.
        int index = 8;
        StoryToken original = onFx(() -> app.generate().model().story().token(index));
        assertTrue(!original.prompt() && original.odds() != null && original.odds().ids().length > 1);
        String shared = onFx(() -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < index; i++) sb.append(app.generate().model().story().token(i).text());
            return sb.toString();
        });
        javafx.geometry.Bounds where = onFx(() -> app.generatePane().generateView().storyView().tokenScreenBounds(index));
        app.robot.moveTo(new javafx.geometry.Point2D(where.getCenterX(), where.getCenterY()));
        waitUntil(() -> app.robot.lookup("#alt-1").tryQuery().isPresent(), 10);
        writeSnapshots("alternatives");
        // greedy took the most likely token (row 0); row 1 is the runner-up
        Button alt = app.robot.lookup("#alt-1").queryButton();
        assertTrue(!alt.isDisabled());
        int altId = original.odds().ids()[1];
        app.robot.clickOn(alt);
        app.waitForGeneration(60);

        String after = app.storyText();
        assertTrue(before.startsWith(shared) && after.startsWith(shared), "both stories share the text before the branch");
        assertNotEquals(before, after);
        assertEquals(altId, onFx(() -> app.generate().model().story().token(index).id()));
        // The branch (which reused the KV cache below the branch point) equals a fresh greedy run from the same tokens.
        int[] expected = LongContext.greedyFrom(onFx(() -> app.app().context().session().current()), story, index + 1, altId, steps);
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(storyIds()));
    }

    /** PNGs of every open window (the main one and the popover) under target/screenshots/, for people to look at. */
    private void writeSnapshots(String name) {
        fx(() -> {
            int i = 0;
            for (javafx.stage.Window w : javafx.stage.Window.getWindows()) {
                if (!w.isShowing() || w.getScene() == null) continue;
                try {
                    java.nio.file.Path out = java.nio.file.Path.of("target", "screenshots", name + "-" + (i++) + ".png");
                    java.nio.file.Files.createDirectories(out.getParent());
                    javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(w.getScene().snapshot(null), null), "png", out.toFile());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
    }

    /** BOS and the ids of the tokens on screen. */
    private int[] storyIds() {
        return onFx(() -> {
            StoryDocument d = app.generate().model().story();
            int[] ids = new int[d.tokenCount() + 1];
            ids[0] = app.app().context().session().current().loaded().tokenizer().bos();
            for (int i = 0; i < d.tokenCount(); i++) ids[i + 1] = d.token(i).id();
            return ids;
        });
    }

    @Test
    void chinesePromptComesThroughByteTokensWhole() {
        setPrompt("从前");
        fx(() -> {
            app.generate().applyPreset(Preset.GREEDY);
            app.generate().model().knobs().maxTokensProperty().set(40);
        });
        // Ctrl+Enter while typing in the prompt generates
        app.robot.clickOn("#prompt").press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.ENTER)
                .release(javafx.scene.input.KeyCode.ENTER, javafx.scene.input.KeyCode.CONTROL);
        app.waitForGeneration(60);
        String text = app.storyText();
        assertTrue(text.startsWith("从前"), text);
        assertEquals("从前", onFx(() -> app.generate().model().promptProperty().get()), "the shortcut did not type into the prompt");
        // The characters are shown by the token that completes them; the byte tokens before carry no text.
        assertEquals("从前", onFx(() -> {
            StringBuilder sb = new StringBuilder();
            int promptTokens = app.generate().model().stats().promptTokens();
            for (int i = 0; i < promptTokens - 1; i++) sb.append(app.generate().model().story().token(i).text());
            return sb.toString();
        }));
    }
}

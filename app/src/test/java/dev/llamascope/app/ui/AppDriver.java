package dev.llamascope.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.llamascope.app.ui.concurrent.WorkState;
import dev.llamascope.app.ui.generate.GenerateController;
import dev.llamascope.app.ui.generate.GeneratePane;
import dev.llamascope.app.ui.models.ModelsController;
import dev.llamascope.app.ui.models.ModelsPane;
import dev.llamascope.app.ui.shell.LlamascopeApp;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Platform;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Starts the whole application headless (TestFX + Monocle) with a private settings folder, and drives it: the
 * panes' controllers for set-up, the robot for what a user does. One instance per test.
 */
public final class AppDriver implements AutoCloseable {
    public final FxRobot robot = new FxRobot();
    private final LlamascopeApp app;

    public AppDriver(Path configDir, String... args) throws TimeoutException {
        System.setProperty("llamascope.config.dir", configDir.toString());
        FxToolkit.registerPrimaryStage();
        app = (LlamascopeApp) FxToolkit.setupApplication(LlamascopeApp.class, args);
        WaitForAsyncUtils.waitForFxEvents();
    }

    public LlamascopeApp app() {
        return app;
    }

    public ModelsController models() {
        return onFx(() -> app.window().pane(ModelsPane.ID, ModelsPane.class).controller());
    }

    public GeneratePane generatePane() {
        return onFx(() -> app.window().pane(GeneratePane.ID, GeneratePane.class));
    }

    public GenerateController generate() {
        return generatePane().controller();
    }

    /** Opens a model through the Models pane and waits until it is loaded (or fails the test). */
    public void load(Path model, Path tokenizer) {
        ModelsController m = models();
        Platform.runLater(() -> m.open(model, tokenizer));
        waitUntil(() -> m.model().state() == WorkState.DONE || m.model().state() == WorkState.ERROR, 30);
        WorkState s = onFx(() -> m.model().state());
        if (s != WorkState.DONE) fail("loading " + model + " failed: " + onFx(() -> m.model().errorProperty().get()));
    }

    public void waitForGeneration(int seconds) {
        GenerateController g = generate();
        waitUntil(() -> !g.model().state().isBusy(), seconds);
        assertEquals(WorkState.DONE, onFx(() -> g.model().state()), () -> "generation ended with " + onFx(() -> g.model().errorProperty().get()));
    }

    public String storyText() {
        GenerateController g = generate();
        return onFx(() -> g.model().story().text());
    }

    /** Runs on the FX thread and returns the result. */
    public static <T> T onFx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    public static void fx(Runnable r) {
        onFx(() -> {
            r.run();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Polls a condition on the FX thread until it holds. */
    public static void waitUntil(Callable<Boolean> condition, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!onFx(condition)) {
            if (System.nanoTime() > deadline) fail("condition not met within " + seconds + " s");
            WaitForAsyncUtils.sleep(20, TimeUnit.MILLISECONDS);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Override
    public void close() throws TimeoutException {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
    }
}

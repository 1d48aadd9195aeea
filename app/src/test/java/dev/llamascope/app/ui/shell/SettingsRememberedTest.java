package dev.llamascope.app.ui.shell;

import static dev.llamascope.app.ui.AppDriver.fx;
import static dev.llamascope.app.ui.AppDriver.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.app.ui.AppDriver;
import dev.llamascope.app.ui.TestData;
import dev.llamascope.app.ui.generate.GeneratePane;
import dev.llamascope.app.ui.theme.ThemeMode;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the user set is there again after a restart: recent models, theme, pane, knobs, prompt, window bounds. */
class SettingsRememberedTest {
    @TempDir
    Path config;

    @Test
    void aRestartRestoresTheSettings() throws Exception {
        Path model = TestData.stories260K(), tok = TestData.tok512();
        try (AppDriver app = new AppDriver(config)) {
            app.load(model, tok);
            // keyboard: Ctrl+Shift+L switches the theme, Ctrl+2 shows the Generate pane
            app.robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.L).release(KeyCode.L, KeyCode.SHIFT, KeyCode.CONTROL);
            app.robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
            assertEquals(GeneratePane.ID, onFx(() -> app.app().context().navigation().current()));
            assertEquals(ThemeMode.DARK, onFx(() -> app.app().context().theme().modeProperty().get()));
            fx(() -> {
                var k = app.generate().model().knobs();
                k.temperatureProperty().set(1.25);
                k.topKProperty().set(40);
                k.seedProperty().set(777);
                app.generate().model().promptProperty().set("Lily and Tom");
                app.robot.window(0).setX(33);
                app.robot.window(0).setWidth(1111);
            });
        }
        assertTrue(Files.exists(config.resolve("settings.json")));

        try (AppDriver again = new AppDriver(config)) {
            assertEquals(ThemeMode.DARK, onFx(() -> again.app().context().theme().modeProperty().get()));
            assertEquals(GeneratePane.ID, onFx(() -> again.app().context().navigation().current()));
            assertEquals(model.toAbsolutePath().normalize(), onFx(() -> again.models().model().recent().getFirst().model()));
            assertEquals(tok.toAbsolutePath().normalize(), onFx(() -> again.models().model().recent().getFirst().tokenizer()));
            var k = again.generate().model().knobs();
            assertEquals(1.25, onFx(() -> k.temperatureProperty().get()), 1e-9);
            assertEquals(40, onFx(() -> k.topKProperty().get()));
            assertEquals(777L, onFx(() -> k.seedProperty().get()));
            assertEquals("Lily and Tom", onFx(() -> again.generate().model().promptProperty().get()));
            assertEquals(1111, onFx(() -> again.robot.window(0).getWidth()), 0.5);
            assertEquals(33, onFx(() -> again.robot.window(0).getX()), 0.5);
        }
    }
}

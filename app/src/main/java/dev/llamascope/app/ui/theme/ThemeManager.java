package dev.llamascope.app.ui.theme;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.net.URL;
import java.util.List;
import java.util.Objects;
import javafx.application.Application;
import javafx.application.ColorScheme;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Scene;

/**
 * Applies the look: AtlantaFX's Primer theme (light or dark) as the user-agent stylesheet, plus the app's own
 * stylesheets on each scene: the theme tokens every feature stylesheet uses ({@code tokens.css}), and the bridge
 * that gives ControlsFX the Modena colours it looks up ({@code controlsfx-bridge.css}). In SYSTEM mode the theme
 * follows the platform's colour scheme as it changes. FX thread only.
 */
public final class ThemeManager {
    /** Stylesheets added to every scene, in order; they live in the jar under /assets/styles. */
    public static final List<String> SCENE_STYLESHEETS = List.of("tokens.css", "controlsfx-bridge.css", "app.css");

    private final ObjectProperty<ThemeMode> mode = new SimpleObjectProperty<>(this, "mode", ThemeMode.SYSTEM);
    private final ReadOnlyBooleanWrapper dark = new ReadOnlyBooleanWrapper(this, "dark");

    public ThemeManager(ThemeMode initial) {
        mode.set(initial);
        mode.addListener((o, a, b) -> apply());
        Platform.getPreferences().colorSchemeProperty().addListener((o, a, b) -> {
            if (mode.get() == ThemeMode.SYSTEM) apply();
        });
        apply();
    }

    public ObjectProperty<ThemeMode> modeProperty() {
        return mode;
    }

    /** Whether the dark theme is showing now. */
    public ReadOnlyBooleanProperty darkProperty() {
        return dark.getReadOnlyProperty();
    }

    /** Switches between light and dark explicitly (leaving "follow the system"). */
    public void toggle() {
        mode.set(dark.get() ? ThemeMode.LIGHT : ThemeMode.DARK);
    }

    /** Adds the app's stylesheets to a scene (the main window's and any dialog's). */
    public void style(Scene scene) {
        for (String name : SCENE_STYLESHEETS) scene.getStylesheets().add(stylesheet(name));
    }

    /** The URL of one of the shipped stylesheets, for {@code getStylesheets().add}. */
    public static String stylesheet(String name) {
        URL url = ThemeManager.class.getResource("/assets/styles/" + name);
        return Objects.requireNonNull(url, "missing stylesheet /assets/styles/" + name).toExternalForm();
    }

    private void apply() {
        boolean isDark = switch (mode.get()) {
            case DARK -> true;
            case LIGHT -> false;
            case SYSTEM -> Platform.getPreferences().getColorScheme() == ColorScheme.DARK;
        };
        Application.setUserAgentStylesheet(isDark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
        dark.set(isDark);
    }
}

package dev.llamascope.app.ui.actions;

import dev.llamascope.app.ui.icons.AppIcon;
import javafx.scene.input.KeyCombination;

/**
 * Every user command that has a button, a menu item or a shortcut: its text, icon and key binding in one place,
 * so buttons and shortcuts cannot drift apart. Handlers and enablement are registered per window in {@link ActionMap}.
 */
public enum AppAction {
    OPEN_MODEL("Open model file…", AppIcon.OPEN_FILE, "Shortcut+O"),
    OPEN_FOLDER("Open model folder…", AppIcon.OPEN_FOLDER, "Shortcut+Shift+O"),
    CANCEL_LOAD("Cancel", AppIcon.CANCEL, null),
    GENERATE("Generate", AppIcon.PLAY, "Shortcut+Enter"),
    STOP("Stop", AppIcon.STOP, "Esc"),
    COPY_STORY("Copy", AppIcon.COPY, "Shortcut+Shift+C"),
    SAVE_STORY("Save…", AppIcon.SAVE, "Shortcut+S"),
    NEW_SEED("New seed", AppIcon.NEW_SEED, null),
    INSPECT_STORY("Inspect", AppIcon.INSPECT, "Shortcut+I"),
    TOGGLE_THEME("Switch light/dark theme", AppIcon.THEME, "Shortcut+Shift+L");

    private final String text;
    private final AppIcon icon;
    private final KeyCombination key;

    AppAction(String text, AppIcon icon, String key) {
        this.text = text;
        this.icon = icon;
        this.key = key == null ? null : KeyCombination.valueOf(key);
    }

    public String text() {
        return text;
    }

    public AppIcon icon() {
        return icon;
    }

    /** The shortcut, or null. */
    public KeyCombination key() {
        return key;
    }

    /** Text for a tooltip: the name and the shortcut as the platform writes it. */
    public String tooltip() {
        return key == null ? text : text + "  (" + key.getDisplayText() + ")";
    }
}

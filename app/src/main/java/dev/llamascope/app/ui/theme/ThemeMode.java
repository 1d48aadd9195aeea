package dev.llamascope.app.ui.theme;

import java.util.Locale;

/** Light, dark, or whatever the operating system prefers (the default). */
public enum ThemeMode {
    SYSTEM, LIGHT, DARK;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ThemeMode fromKey(String key) {
        for (ThemeMode m : values()) if (m.key().equalsIgnoreCase(key)) return m;
        return SYSTEM;
    }

    public String label() {
        return switch (this) {
            case SYSTEM -> "Follow the system";
            case LIGHT -> "Light";
            case DARK -> "Dark";
        };
    }
}

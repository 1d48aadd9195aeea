package dev.llamascope.app.ui.settings;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the app remembers between runs. A plain mutable holder (FX thread only): panes read their part when
 * they are built and write it back when it changes; {@link SettingsStore} persists it.
 */
public final class AppSettings {
    public static final int MAX_RECENT = 10;

    private String theme = "system";
    private WindowBounds window;
    private String pane = "models";
    private final List<RecentModel> recentModels = new ArrayList<>();
    private GenerationPrefs generation;
    private DataPrefs data = DataPrefs.defaults();

    public AppSettings(GenerationPrefs generation) {
        this.generation = generation;
    }

    /** "system", "light" or "dark". */
    public String theme() {
        return theme;
    }

    public void setTheme(String theme) {
        this.theme = theme;
    }

    /** Null until the window has been shown once. */
    public WindowBounds window() {
        return window;
    }

    public void setWindow(WindowBounds window) {
        this.window = window;
    }

    public String pane() {
        return pane;
    }

    public void setPane(String pane) {
        this.pane = pane;
    }

    /** Most recent first. */
    public List<RecentModel> recentModels() {
        return List.copyOf(recentModels);
    }

    /** Puts a model at the top of the recent list (once), keeping at most {@link #MAX_RECENT}. */
    public void addRecent(RecentModel m) {
        recentModels.removeIf(r -> r.model().equals(m.model()));
        recentModels.addFirst(m);
        while (recentModels.size() > MAX_RECENT) recentModels.removeLast();
    }

    public void removeRecent(RecentModel m) {
        recentModels.removeIf(r -> r.model().equals(m.model()));
    }

    public GenerationPrefs generation() {
        return generation;
    }

    public void setGeneration(GenerationPrefs generation) {
        this.generation = generation;
    }

    public DataPrefs data() {
        return data;
    }

    public void setData(DataPrefs data) {
        this.data = data;
    }
}

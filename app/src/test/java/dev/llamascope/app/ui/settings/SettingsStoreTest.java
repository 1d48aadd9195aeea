package dev.llamascope.app.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {
    @TempDir
    Path dir;

    @Test
    void whatIsSavedIsLoaded() throws Exception {
        SettingsStore store = new SettingsStore(dir.resolve("sub/settings.json"), 2);
        AppSettings s = store.load();
        assertNull(store.warning());
        s.setTheme("dark");
        s.setPane("generate");
        s.setWindow(new WindowBounds(10, 20, 1000, 700, true));
        s.addRecent(new RecentModel(Path.of("/m/a.bin"), Path.of("/m/tok.bin")));
        s.addRecent(new RecentModel(Path.of("/m/b.bin"), null));
        s.addRecent(new RecentModel(Path.of("/m/a.bin"), Path.of("/m/tok.bin")));
        s.setGeneration(new GenerationPrefs(0.7, 0.95, 40, 0.05, 1.1, 1234, 300, 3, false, "从前 \"quoted\""));
        store.save(s);
        try (var files = Files.list(dir.resolve("sub"))) {
            assertEquals(List.of("settings.json"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }

        AppSettings back = new SettingsStore(dir.resolve("sub/settings.json"), 2).load();
        assertEquals("dark", back.theme());
        assertEquals("generate", back.pane());
        assertEquals(new WindowBounds(10, 20, 1000, 700, true), back.window());
        assertEquals(List.of(new RecentModel(Path.of("/m/a.bin"), Path.of("/m/tok.bin")), new RecentModel(Path.of("/m/b.bin"), null)), back.recentModels());
        assertEquals(s.generation(), back.generation());
    }

    @Test
    void aDamagedFileGivesDefaultsAndAWarning() throws Exception {
        Path f = dir.resolve("settings.json");
        Files.writeString(f, "{\"theme\": \"dark\", \"generation\": {\"temperature\": \"hot\"}}");
        SettingsStore store = new SettingsStore(f, 2);
        AppSettings s = store.load();
        assertTrue(store.warning().contains("settings.json") && store.warning().contains("temperature"), store.warning());
        assertEquals("system", s.theme());
        Files.writeString(f, "not json");
        store.load();
        assertTrue(store.warning().contains("damaged"));
    }

    @Test
    void outOfRangeValuesAreClamped() {
        GenerationPrefs p = new GenerationPrefs(9, -1, -5, 2, 0, -3, 0, 0, true, null);
        assertEquals(2, p.temperature());
        assertEquals(0, p.topP());
        assertEquals(0, p.topK());
        assertEquals(1, p.minP());
        assertEquals(0.5, p.repeatPenalty());
        assertEquals(42, p.seed());
        assertEquals(1, p.maxTokens());
        assertEquals(1, p.threads());
        assertEquals("", p.prompt());
    }

    @Test
    void theRecentListKeepsTenMostRecentFirst() {
        AppSettings s = new AppSettings(GenerationPrefs.defaults(1));
        for (int i = 0; i < 12; i++) s.addRecent(new RecentModel(Path.of("/m/" + i + ".bin"), null));
        assertEquals(AppSettings.MAX_RECENT, s.recentModels().size());
        assertEquals(Path.of("/m/11.bin"), s.recentModels().getFirst().model());
    }
}

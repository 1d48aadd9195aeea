package dev.llamascope.app.ui.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.llamascope.app.ui.settings.AppSettings;
import dev.llamascope.app.ui.settings.DataPrefs;
import dev.llamascope.app.ui.settings.SettingsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The story server's settings survive a restart; an API key typed where its variable's name belongs never reaches the file. */
class DataPrefsTest {
    @Test
    void theServerIsRememberedAndAKeyIsNever(@TempDir Path dir) throws Exception {
        SettingsStore store = new SettingsStore(dir.resolve("settings.json"), 2);
        AppSettings s = store.load();
        assertEquals(DataPrefs.defaults(), s.data());
        s.setData(new DataPrefs("http://127.0.0.1:8080/v1", "qwen", "OPENAI_API_KEY", 8, 120));
        store.save(s);
        assertEquals(new DataPrefs("http://127.0.0.1:8080/v1", "qwen", "OPENAI_API_KEY", 8, 120), store.load().data());

        s.setData(new DataPrefs("https://api.example.com/v1", "gpt", "sk-proj-abc123.secret", 0, -5));
        store.save(s);
        String file = Files.readString(dir.resolve("settings.json"));
        assertFalse(file.contains("sk-proj"), file);
        assertEquals(new DataPrefs("https://api.example.com/v1", "gpt", "", 1, 0), store.load().data());
    }
}

package dev.llamascope.app.ui.settings;

import dev.llamascope.engine.util.AtomicFiles;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@code settings.json} in the config folder: {@code -Dllamascope.config.dir=…} when set (tests),
 * else {@code $XDG_CONFIG_HOME/llamascope}, else {@code ~/.config/llamascope} (on Windows {@code %APPDATA%\llamascope}).
 * Writes are atomic (temp file + rename). A missing file gives the defaults; an unreadable one gives the defaults
 * and a one-line warning, and is overwritten on the next save.
 */
public final class SettingsStore {
    public static final String CONFIG_DIR_PROPERTY = "llamascope.config.dir";

    private final Path file;
    private final int defaultThreads;
    private String warning;

    public SettingsStore(Path file, int defaultThreads) {
        this.file = file;
        this.defaultThreads = defaultThreads;
    }

    public static Path defaultConfigDir() {
        String override = System.getProperty(CONFIG_DIR_PROPERTY);
        if (override != null && !override.isBlank()) return Path.of(override);
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "llamascope");
        String appData = System.getenv("APPDATA");
        if (appData != null && !appData.isBlank() && System.getProperty("os.name", "").startsWith("Windows"))
            return Path.of(appData, "llamascope");
        return Path.of(System.getProperty("user.home"), ".config", "llamascope");
    }

    public Path file() {
        return file;
    }

    /** Why the last load fell back to defaults, or null. */
    public String warning() {
        return warning;
    }

    public AppSettings load() {
        warning = null;
        AppSettings s = new AppSettings(GenerationPrefs.defaults(defaultThreads));
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return s;
        } catch (IOException e) {
            warning = file + ": cannot read the settings (" + e.getMessage() + "); using defaults";
            return s;
        }
        try {
            apply(Json.parseObject(text), s);
        } catch (RuntimeException e) {
            warning = file + ": the settings are damaged (" + e.getMessage() + "); using defaults";
            return new AppSettings(GenerationPrefs.defaults(defaultThreads));
        }
        return s;
    }

    public void save(AppSettings s) throws IOException {
        AtomicFiles.writeString(file, Json.write(toJson(s)) + "\n");
    }

    @SuppressWarnings("unchecked")
    private void apply(Map<String, Object> o, AppSettings s) {
        String theme = Json.string(o, "theme", "system");
        if (List.of("system", "light", "dark").contains(theme)) s.setTheme(theme);
        s.setPane(Json.string(o, "pane", "models"));
        if (o.get("window") instanceof Map<?, ?> w) {
            Map<String, Object> m = (Map<String, Object>) w;
            s.setWindow(new WindowBounds(Json.number(m, "x", 0), Json.number(m, "y", 0), Json.number(m, "width", 1200),
                    Json.number(m, "height", 800), Json.bool(m, "maximized", false)));
        }
        if (o.get("recentModels") instanceof List<?> list) {
            List<RecentModel> found = new ArrayList<>();
            for (Object e : list) {
                if (!(e instanceof Map<?, ?> m)) continue;
                try {
                    String model = Json.string((Map<String, Object>) m, "model", null);
                    String tok = Json.string((Map<String, Object>) m, "tokenizer", null);
                    if (model != null) found.add(new RecentModel(Path.of(model), tok == null ? null : Path.of(tok)));
                } catch (InvalidPathException ignored) {
                    // a path from another system: skip it
                }
            }
            for (RecentModel r : found.reversed()) s.addRecent(r);
        }
        if (o.get("generation") instanceof Map<?, ?> g) {
            Map<String, Object> m = (Map<String, Object>) g;
            GenerationPrefs d = GenerationPrefs.defaults(defaultThreads);
            s.setGeneration(new GenerationPrefs(Json.number(m, "temperature", d.temperature()), Json.number(m, "topP", d.topP()),
                    (int) Json.integer(m, "topK", d.topK()), Json.number(m, "minP", d.minP()),
                    Json.number(m, "repeatPenalty", d.repeatPenalty()), Json.integer(m, "seed", d.seed()),
                    (int) Json.integer(m, "maxTokens", d.maxTokens()), (int) Json.integer(m, "threads", d.threads()),
                    Json.bool(m, "colourTokens", d.colourTokens()), Json.string(m, "prompt", d.prompt())));
        }
        if (o.get("data") instanceof Map<?, ?> dp) {
            Map<String, Object> m = (Map<String, Object>) dp;
            DataPrefs d = DataPrefs.defaults();
            s.setData(new DataPrefs(Json.string(m, "endpoint", d.endpoint()), Json.string(m, "model", d.model()),
                    Json.string(m, "apiKeyVariable", d.apiKeyVariable()), (int) Json.integer(m, "concurrency", d.concurrency()),
                    (int) Json.integer(m, "requestsPerMinute", d.requestsPerMinute())));
        }
    }

    private static Map<String, Object> toJson(AppSettings s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("theme", s.theme());
        o.put("pane", s.pane());
        WindowBounds w = s.window();
        if (w != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("x", w.x());
            m.put("y", w.y());
            m.put("width", w.width());
            m.put("height", w.height());
            m.put("maximized", w.maximized());
            o.put("window", m);
        }
        List<Object> recent = new ArrayList<>();
        for (RecentModel r : s.recentModels()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.model().toString());
            if (r.tokenizer() != null) m.put("tokenizer", r.tokenizer().toString());
            recent.add(m);
        }
        o.put("recentModels", recent);
        GenerationPrefs g = s.generation();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("temperature", g.temperature());
        m.put("topP", g.topP());
        m.put("topK", g.topK());
        m.put("minP", g.minP());
        m.put("repeatPenalty", g.repeatPenalty());
        m.put("seed", g.seed());
        m.put("maxTokens", g.maxTokens());
        m.put("threads", g.threads());
        m.put("colourTokens", g.colourTokens());
        m.put("prompt", g.prompt());
        o.put("generation", m);
        DataPrefs d = s.data();
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("endpoint", d.endpoint());
        dm.put("model", d.model());
        dm.put("apiKeyVariable", d.apiKeyVariable());
        dm.put("concurrency", d.concurrency());
        dm.put("requestsPerMinute", d.requestsPerMinute());
        o.put("data", dm);
        return o;
    }
}

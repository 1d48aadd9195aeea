package dev.llamascope.app.ui.settings;

/**
 * The Data pane's story server as remembered between runs: where it is, which model, the <em>name</em> of the
 * environment variable that holds the API key (never the key: a value that does not look like a variable name is
 * dropped, so a key pasted into the field is not written to the settings file), requests in flight and per minute.
 */
public record DataPrefs(String endpoint, String model, String apiKeyVariable, int concurrency, int requestsPerMinute) {
    private static final String VARIABLE = "[A-Za-z_][A-Za-z0-9_]*";

    public DataPrefs {
        if (endpoint == null || endpoint.isBlank()) endpoint = defaults().endpoint();
        if (model == null || model.isBlank()) model = defaults().model();
        if (apiKeyVariable == null || !apiKeyVariable.matches(VARIABLE)) apiKeyVariable = "";
        concurrency = Math.max(1, Math.min(256, concurrency));
        requestsPerMinute = Math.max(0, Math.min(100_000, requestsPerMinute));
    }

    /** Ollama's default address. */
    public static DataPrefs defaults() {
        return new DataPrefs("http://127.0.0.1:11434/v1", "llama3", "", 4, 0);
    }
}

package dev.llamascope.app.ui.settings;

/**
 * The Generate pane's knobs as remembered between runs. Values are clamped into their valid ranges so a hand-edited
 * settings file cannot make the window fail to open.
 */
public record GenerationPrefs(double temperature, double topP, int topK, double minP, double repeatPenalty,
                              long seed, int maxTokens, int threads, boolean colourTokens, String prompt) {
    public static final int MAX_TOKENS_LIMIT = 1 << 20;

    public GenerationPrefs {
        temperature = clamp(temperature, 0, 2, 0.8);
        topP = clamp(topP, 0, 1, 0.9);
        topK = (int) clamp(topK, 0, 1 << 20, 0);
        minP = clamp(minP, 0, 1, 0);
        repeatPenalty = clamp(repeatPenalty, 0.5, 2, 1);
        if (seed <= 0) seed = 42;
        maxTokens = (int) clamp(maxTokens, 1, MAX_TOKENS_LIMIT, 256);
        threads = (int) clamp(threads, 1, 1024, 1);
        if (prompt == null) prompt = "";
    }

    public static GenerationPrefs defaults(int threads) {
        return new GenerationPrefs(0.8, 0.9, 0, 0, 1, 42, 256, threads, true, "Once upon a time");
    }

    private static double clamp(double v, double lo, double hi, double dflt) {
        if (Double.isNaN(v)) return dflt;
        return Math.max(lo, Math.min(hi, v));
    }
}

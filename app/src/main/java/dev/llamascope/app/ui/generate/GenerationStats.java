package dev.llamascope.app.ui.generate;

/**
 * What the stats bar shows about the current or last generation.
 *
 * @param promptTokens    prompt tokens including BOS
 * @param generated       tokens written by the model so far (after the prompt)
 * @param tokensPerSecond decode speed (tokens after the first per second of decoding)
 * @param firstTokenMillis time to first token: from the start to the first sampled token (prompt processing included)
 * @param contextUsed     positions of the context in use
 * @param context         the model's context length
 * @param stopReason      why it stopped, or null while running / before the first run
 */
public record GenerationStats(int promptTokens, int generated, double tokensPerSecond, double firstTokenMillis,
                              int contextUsed, int context, String stopReason) {
    public static final GenerationStats EMPTY = new GenerationStats(0, 0, 0, Double.NaN, 0, 0, null);

    public double contextFraction() {
        return context <= 0 ? 0 : Math.min(1, (double) contextUsed / context);
    }
}

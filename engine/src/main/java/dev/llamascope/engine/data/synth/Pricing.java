package dev.llamascope.engine.data.synth;

/** Prices per 1,000 tokens, as providers publish them (in whatever currency the user gives). */
public record Pricing(double promptPer1K, double completionPer1K) {
    public static final Pricing FREE = new Pricing(0, 0);

    public Pricing {
        if (!(promptPer1K >= 0) || !(completionPer1K >= 0)) throw new IllegalArgumentException("prices must be >= 0");
    }

    public double cost(long promptTokens, long completionTokens) {
        return promptTokens / 1000.0 * promptPer1K + completionTokens / 1000.0 * completionPer1K;
    }
}

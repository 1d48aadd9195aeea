package dev.llamascope.engine.data.synth;

/**
 * How a prompt set is drawn.
 *
 * @param seed         the same seed gives the same prompts, byte for byte
 * @param count        how many prompts
 * @param minFeatures  fewest story features per prompt
 * @param maxFeatures  most story features per prompt (the number is uniform between the two)
 * @param hierarchical ask for a plan (summary and required sentence) first, then the story from it
 */
public record PromptOptions(long seed, int count, int minFeatures, int maxFeatures, boolean hierarchical) {
    public PromptOptions {
        if (count < 0) throw new IllegalArgumentException("the number of prompts must be >= 0, got " + count);
        if (minFeatures < 0 || maxFeatures < minFeatures)
            throw new IllegalArgumentException("features per prompt must satisfy 0 <= min <= max, got " + minFeatures + ".." + maxFeatures);
    }

    /** TinyStories-like defaults: 0 to 3 features per prompt. */
    public static PromptOptions of(long seed, int count) {
        return new PromptOptions(seed, count, 0, 3, false);
    }

    public PromptOptions withHierarchical(boolean h) {
        return new PromptOptions(seed, count, minFeatures, maxFeatures, h);
    }
}

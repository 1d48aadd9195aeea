package dev.llamascope.app.ui.generate;

import dev.llamascope.engine.inference.SamplerSettings;

/**
 * One generation: a new story from a prompt, or a branch that replaces the token at {@code branchPos} of the last
 * story with {@code branchToken} and continues from there.
 *
 * @param maxTokens tokens to generate after the prompt (a new story); a branch keeps the last story's length budget
 */
public record GenerationRequest(String prompt, int maxTokens, SamplerSettings sampler, int threads,
                                int branchPos, int branchToken, TokenOdds branchOdds) {
    public GenerationRequest {
        if (maxTokens < 1) throw new IllegalArgumentException("max tokens must be at least 1");
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
    }

    public static GenerationRequest story(String prompt, int maxTokens, SamplerSettings sampler, int threads) {
        return new GenerationRequest(prompt, maxTokens, sampler, threads, -1, -1, null);
    }

    public static GenerationRequest branch(int pos, int token, TokenOdds odds, int maxTokens, SamplerSettings sampler, int threads) {
        return new GenerationRequest(null, maxTokens, sampler, threads, pos, token, odds);
    }

    public boolean isBranch() {
        return branchPos >= 0;
    }
}

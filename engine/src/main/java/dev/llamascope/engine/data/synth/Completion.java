package dev.llamascope.engine.data.synth;

/**
 * What a backend returned for one prompt.
 *
 * @param promptTokens     tokens the backend counted for the prompt (0 when it did not say)
 * @param completionTokens tokens it generated (0 when it did not say)
 * @param finishReason     "stop", "length", ... as the backend reports it
 * @param attempts         requests it took, retries included
 */
public record Completion(String text, long promptTokens, long completionTokens, String finishReason, int attempts) {}

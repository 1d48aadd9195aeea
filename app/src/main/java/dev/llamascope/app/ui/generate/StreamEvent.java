package dev.llamascope.app.ui.generate;

import dev.llamascope.engine.inference.Generator;

/** What a generation sends to the FX thread, in order: Started, tokens, then Finished or Failed. */
public sealed interface StreamEvent {

    /**
     * @param promptTokens prompt length including BOS
     * @param context      the model's context length
     * @param firstPos     the first position whose token follows (1 for a new story, the branch point for a branch)
     */
    record Started(int promptTokens, int context, int firstPos) implements StreamEvent {}

    /** @param nanos when the engine produced it ({@link System#nanoTime()}) */
    record Token(StoryToken token, long nanos) implements StreamEvent {}

    /** @param trailingText characters completed only at the end (an unfinished byte sequence shown as U+FFFD) */
    record Finished(Generator.Result result, String trailingText) implements StreamEvent {}

    record Failed(Throwable error) implements StreamEvent {}
}

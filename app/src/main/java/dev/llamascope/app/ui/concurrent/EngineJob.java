package dev.llamascope.app.ui.concurrent;

import java.util.concurrent.CompletableFuture;

/**
 * A submitted piece of engine work: its result (or failure) and the token that cancels it. Cancelling only
 * asks: the work stops at its next check and then completes normally or with {@link java.util.concurrent.CancellationException}.
 */
public record EngineJob<T>(String name, CompletableFuture<T> result, CancelToken cancelToken) {
    public void cancel() {
        cancelToken.cancel();
    }

    public boolean isDone() {
        return result.isDone();
    }
}

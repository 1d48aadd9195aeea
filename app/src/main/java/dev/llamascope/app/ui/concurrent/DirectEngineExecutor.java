package dev.llamascope.app.ui.concurrent;

import java.util.concurrent.CompletableFuture;

/** Runs work at once on the calling thread: deterministic tests of controllers without threads. */
public final class DirectEngineExecutor implements EngineExecutor {
    @Override
    public <T> EngineJob<T> submit(String name, EngineWork<T> work) {
        CancelToken token = new CancelToken();
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            result.complete(work.run(token));
        } catch (Throwable t) {
            result.completeExceptionally(t);
        }
        return new EngineJob<>(name, result, token);
    }

    @Override
    public void shutdown() {}
}

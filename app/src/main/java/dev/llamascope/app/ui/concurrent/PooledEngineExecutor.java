package dev.llamascope.app.ui.concurrent;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The app's engine executor: a few daemon threads named "llamascope-engine-N". More than one so that loading a
 * model does not wait behind a running generation; the compute parallelism itself lives in the engine's
 * {@code ComputePool}, which each generation owns.
 */
public final class PooledEngineExecutor implements EngineExecutor {
    private final ExecutorService threads;
    private final Set<CancelToken> running = ConcurrentHashMap.newKeySet();

    public PooledEngineExecutor(int threadCount) {
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "llamascope-engine-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public <T> EngineJob<T> submit(String name, EngineWork<T> work) {
        CancelToken token = new CancelToken();
        CompletableFuture<T> result = new CompletableFuture<>();
        threads.execute(() -> {
            running.add(token);
            try {
                result.complete(work.run(token));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                running.remove(token);
            }
        });
        return new EngineJob<>(name, result, token);
    }

    @Override
    public void shutdown() {
        running.forEach(CancelToken::cancel);
        threads.shutdown();
        try {
            if (!threads.awaitTermination(2, TimeUnit.SECONDS)) threads.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.llamascope.app.ui.concurrent;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one after another, in order, on the app's {@link EngineExecutor}: a pane whose work comes in bursts
 * (the Inspect pane: an inspection, then its lens, then pictures for each click) takes at most one of the
 * executor's threads, so it can never crowd out a model load or a generation. Thread-safe; no JavaFX.
 */
public final class SerialExecutor implements Executor {
    private final EngineExecutor engine;
    private final String name;
    private final Queue<Runnable> queue = new ArrayDeque<>();
    private boolean draining;

    public SerialExecutor(EngineExecutor engine, String name) {
        this.engine = engine;
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            queue.add(task);
            if (draining) return;
            draining = true;
        }
        try {
            engine.submit(name, cancel -> {
                drain();
                return null;
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            synchronized (this) { // the app is closing: nothing will run any more
                queue.clear();
                draining = false;
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                // a task reports its own failure (CompletableFuture does); one bad task must not stop the queue
            }
        }
    }
}

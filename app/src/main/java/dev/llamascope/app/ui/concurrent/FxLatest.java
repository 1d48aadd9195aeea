package dev.llamascope.app.ui.concurrent;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Publishes the latest value of something that changes often (load progress, a status line) to the FX thread
 * with at most one {@code Platform.runLater} in flight: values set while one is pending replace each other, and
 * the FX thread sees the newest.
 */
public final class FxLatest<T> {
    private final AtomicReference<T> latest = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor fxThread;
    private final Consumer<T> sink;

    /** @param fxThread runs a task on the FX thread ({@code Platform::runLater} in the app) */
    public FxLatest(Executor fxThread, Consumer<T> sink) {
        this.fxThread = fxThread;
        this.sink = sink;
    }

    /** Any thread. */
    public void set(T value) {
        latest.set(value);
        if (scheduled.compareAndSet(false, true)) {
            fxThread.execute(() -> {
                scheduled.set(false); // before reading: a value set from now on schedules a new run
                sink.accept(latest.get());
            });
        }
    }
}

package dev.llamascope.app.ui.concurrent;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/** A cancellation flag shared between the FX thread (which sets it) and engine work (which polls it). */
public final class CancelToken implements BooleanSupplier {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    @Override
    public boolean getAsBoolean() {
        return cancelled.get();
    }
}

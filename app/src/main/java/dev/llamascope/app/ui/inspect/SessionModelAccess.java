package dev.llamascope.app.ui.inspect;

import dev.llamascope.app.ui.concurrent.ComputeLane;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.tensor.ComputePool;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Inspect pane's way to the app's model and compute pool: each piece of work takes a use of the session's
 * {@link ModelHandle} (so a model replaced meanwhile stays mapped until the work is done, then closes) and, for a
 * forward pass, borrows the session's {@link ComputeLane} (so it waits for a running generation instead of
 * running beside it, and stops the post-load warm-up). The FX thread tells it the current handle and thread count;
 * the work reads them on its own thread.
 */
final class SessionModelAccess implements ModelAccess {
    private final ComputeLane lane;
    private volatile ModelHandle handle;
    private volatile int threads = 1;

    SessionModelAccess(ComputeLane lane) {
        this.lane = lane;
    }

    /** FX thread: the session's model changed (null when none). */
    void setHandle(ModelHandle h) {
        handle = h;
    }

    /** FX thread: the thread count changed. */
    void setThreads(int n) {
        threads = Math.max(1, n);
    }

    @Override
    public <T> T withModel(LoadedModel model, Supplier<T> work) {
        ModelHandle h = use(model);
        try {
            return work.get();
        } finally {
            h.release();
        }
    }

    @Override
    public <T> T withCompute(LoadedModel model, Function<ComputePool, T> work, Runnable onWait, BooleanSupplier cancelled) {
        ModelHandle h = use(model);
        try (ComputeLane.Lease lease = lane.acquire(threads, cancelled, null, onWait::run)) {
            return work.apply(lease.pool());
        } finally {
            h.release();
        }
    }

    private ModelHandle use(LoadedModel model) {
        ModelHandle h = handle;
        if (h == null || h.loaded() != model || !h.acquire())
            throw new CancellationException("the model was unloaded");
        return h;
    }
}

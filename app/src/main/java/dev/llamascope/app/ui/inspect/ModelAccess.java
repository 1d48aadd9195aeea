package dev.llamascope.app.ui.inspect;

import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.tensor.ComputePool;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How the Inspect pane's engine work reaches the model and the compute pool. Standalone ({@link #direct}) it is
 * the model and pool it was given; in the app, work takes a use of the session's model (so replacing the model
 * never closes it under a running inspection) and borrows the app's compute pool (so an inspection never runs
 * beside a generation on the same cores). Called on the background thread.
 */
public interface ModelAccess {

    /**
     * Runs work that reads the model (its weights), keeping it open meanwhile.
     *
     * @throws java.util.concurrent.CancellationException when that model has been unloaded
     */
    <T> T withModel(LoadedModel model, Supplier<T> work);

    /**
     * Runs a forward pass: the model kept open and a compute pool to itself.
     *
     * @param onWait    told (on this thread) when the pool is busy with other work and this has to wait
     * @param cancelled while waiting, a raised flag gives up with CancellationException
     */
    <T> T withCompute(LoadedModel model, Function<ComputePool, T> work, Runnable onWait, BooleanSupplier cancelled);

    /** The model and pool as given: the caller keeps the model open and the pool to this pane. */
    static ModelAccess direct(ComputePool pool) {
        return new ModelAccess() {
            @Override
            public <T> T withModel(LoadedModel model, Supplier<T> work) {
                return work.get();
            }

            @Override
            public <T> T withCompute(LoadedModel model, Function<ComputePool, T> work, Runnable onWait, BooleanSupplier cancelled) {
                return work.apply(pool);
            }
        };
    }
}

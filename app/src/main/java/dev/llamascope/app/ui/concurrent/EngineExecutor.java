package dev.llamascope.app.ui.concurrent;

/**
 * Where the app runs engine work (loading, inference, later training): never on the FX thread in the app, so
 * the window stays responsive. One instance per application, made in {@code start()} and shut down in
 * {@code stop()}. Tests can use {@link DirectEngineExecutor}, which runs work at once on the calling thread.
 */
public interface EngineExecutor {

    /** Starts the work; the returned job completes with its result or failure. */
    <T> EngineJob<T> submit(String name, EngineWork<T> work);

    /** Cancels running work and stops the threads; waits briefly for them to finish. */
    void shutdown();
}

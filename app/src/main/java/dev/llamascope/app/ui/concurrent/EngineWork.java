package dev.llamascope.app.ui.concurrent;

/** A piece of engine work: runs off the FX thread, polls the token to stop early. Must not touch JavaFX. */
@FunctionalInterface
public interface EngineWork<T> {
    T run(CancelToken cancel) throws Exception;
}

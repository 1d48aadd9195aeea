package dev.llamascope.engine.train;

import java.nio.file.Path;

/**
 * Receives a run's events on the training thread, in order. Implementations must return quickly (the UI hands
 * them to its own thread); every method has an empty default.
 */
public interface TrainListener {
    /** Before the first step: what is being trained, from which step. */
    default void started(Trainer.RunInfo info) {}

    /** After every optimizer step (with the eval loss on eval steps). */
    default void step(StepMetrics metrics) {}

    /**
     * An eval loss on the held-out batches: after {@code step} steps. Every eval is reported here, including one
     * before the first step of a run (the baseline a chart starts from); eval steps also carry it in {@link StepMetrics}.
     */
    default void evaluated(long step, double evalLoss) {}

    /** A story generated from the current weights, every {@link Trainer.Sampling#every()} steps. */
    default void sample(long step, String text) {}

    /** A checkpoint was written: the llama2.c v0 model and the training-state folder to resume from. */
    default void checkpoint(long step, Path model, Path stateFolder) {}

    /** Training paused or resumed at a step boundary. */
    default void paused(long step, boolean paused) {}

    /** The run ended (completed, stopped, or diverged). */
    default void finished(Trainer.Result result) {}
}

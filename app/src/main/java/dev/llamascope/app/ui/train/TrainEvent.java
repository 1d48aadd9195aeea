package dev.llamascope.app.ui.train;

import dev.llamascope.engine.train.StepMetrics;
import dev.llamascope.engine.train.Trainer;
import java.nio.file.Path;

/** What a training run reports, as values queued from the training thread for the FX thread. No JavaFX. */
sealed interface TrainEvent {
    /** The run is about to take its first step. */
    record Started(Trainer.RunInfo info) implements TrainEvent {}

    record Step(StepMetrics metrics) implements TrainEvent {}

    /** An eval loss after {@code step} steps (the one before the first step included). */
    record Eval(long step, double loss) implements TrainEvent {}

    record Sample(long step, String text) implements TrainEvent {}

    /** A checkpoint: the run's model file (overwritten by each save) and the copy kept for this step. */
    record Checkpoint(long step, Path model, Path kept) implements TrainEvent {}

    record Paused(long step, boolean paused) implements TrainEvent {}

    record Finished(Trainer.Result result) implements TrainEvent {}
}

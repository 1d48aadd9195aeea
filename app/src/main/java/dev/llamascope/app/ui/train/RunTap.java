package dev.llamascope.app.ui.train;

import dev.llamascope.engine.train.StepMetrics;
import dev.llamascope.engine.train.TrainListener;
import dev.llamascope.engine.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The Train pane's listener on the training thread: turns each event into a {@link TrainEvent} for the queue the FX
 * thread drains (it only enqueues: the trainer never waits for the window), and keeps each checkpoint: the trainer
 * writes the run's model file again at every save, so the save of step N is kept as {@code step-N.bin} beside it
 * (a hard link to the file just written, which the next save replaces by renaming, or a copy where links are not
 * possible). A second listener (tests) hears every event too. No JavaFX.
 */
final class RunTap implements TrainListener {
    private final Consumer<TrainEvent> out;
    private final TrainListener also;

    RunTap(Consumer<TrainEvent> out, TrainListener also) {
        this.out = out;
        this.also = also == null ? new TrainListener() {} : also;
    }

    @Override
    public void started(Trainer.RunInfo info) {
        also.started(info);
        out.accept(new TrainEvent.Started(info));
    }

    @Override
    public void step(StepMetrics m) {
        also.step(m);
        out.accept(new TrainEvent.Step(m));
    }

    @Override
    public void evaluated(long step, double evalLoss) {
        also.evaluated(step, evalLoss);
        out.accept(new TrainEvent.Eval(step, evalLoss));
    }

    @Override
    public void sample(long step, String text) {
        also.sample(step, text);
        out.accept(new TrainEvent.Sample(step, text));
    }

    @Override
    public void checkpoint(long step, Path model, Path stateFolder) {
        also.checkpoint(step, model, stateFolder);
        out.accept(new TrainEvent.Checkpoint(step, model, keep(step, model)));
    }

    @Override
    public void paused(long step, boolean paused) {
        also.paused(step, paused);
        out.accept(new TrainEvent.Paused(step, paused));
    }

    @Override
    public void finished(Trainer.Result result) {
        also.finished(result);
        out.accept(new TrainEvent.Finished(result));
    }

    /** step-000050.bin beside the model: a link to the file just written, or a copy; the model itself if both fail. */
    static Path keep(long step, Path model) {
        Path kept = model.resolveSibling(String.format(Locale.ROOT, "step-%06d.bin", step));
        try {
            Files.deleteIfExists(kept);
            try {
                Files.createLink(kept, model);
            } catch (IOException | UnsupportedOperationException e) {
                Path part = kept.resolveSibling(kept.getFileName() + ".partial");
                Files.copy(model, part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, kept, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return kept;
        } catch (IOException e) {
            return model;
        }
    }
}

package dev.llamascope.app.ui.train;

import dev.llamascope.engine.cuda.CudaException;
import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.tokenizer.Llama2cTokenizer;
import dev.llamascope.engine.train.TrainBackend;
import dev.llamascope.engine.train.TrainBackends;
import dev.llamascope.engine.train.TrainInit;
import dev.llamascope.engine.train.TrainListener;
import dev.llamascope.engine.train.TrainSetup;
import dev.llamascope.engine.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One training run of the Train pane, on the training thread: the starting weights (a copy of the loaded model, so
 * the model in the window is never changed), the run put together by the engine's {@link TrainSetup} exactly as
 * {@code llamascope train} does, the backend for the chosen device, and the {@link Trainer} loop. Pause, resume and
 * stop may be called from any thread, also before the trainer exists. No JavaFX.
 */
final class TrainJob {
    private final RunRequest request;
    private final Consumer<TrainEvent> events;
    private final TrainListener also;
    private volatile Trainer trainer;
    private volatile boolean pauseAsked, stopAsked;
    private volatile Path tokenizerFile;

    TrainJob(RunRequest request, Consumer<TrainEvent> events, TrainListener also) {
        this.request = request;
        this.events = events;
        this.also = also;
    }

    /** Runs to the end; a result for a run that ended (completed, stopped, diverged), an exception for one that failed. */
    Trainer.Result run() throws IOException, ModelFormatException {
        TrainInit init = switch (request.start()) {
            case RunRequest.StartFrom.Loaded l -> {
                if (!l.handle().acquire()) throw new IllegalStateException("the model was replaced while the run was starting; press Start again");
                try {
                    yield TrainInit.copyOf(l.handle().loaded().model(), l.handle().loaded().tokenizer(), l.handle().summary().name());
                } finally {
                    l.handle().release();
                }
            }
            case RunRequest.StartFrom.Shape s -> TrainInit.shape(s.shape(), request.config().seed());
        };
        TrainSetup setup = TrainSetup.prepare(init, request.tokenizer(), request.data(), request.config(), request.threads(), false);
        Trainer.Sampling sampling = setup.tokenizer() == null ? Trainer.Sampling.OFF : request.sampling();
        TrainBackend.Factory factory = TrainBackends.forDevice(request.device());
        Path model = null;
        if (request.runDir() != null) {
            Files.createDirectories(request.runDir());
            model = request.runDir().resolve("model.bin");
            tokenizerFile = tokenizerBeside(setup);
        }
        try (TrainBackend backend = factory.create(init.weights(), setup.spec())) {
            Trainer t = setup.trainer(backend, sampling, new Trainer.Outputs(model, null), new RunTap(events, also));
            trainer = t;
            if (pauseAsked) t.pause();
            if (stopAsked) t.stop();
            return t.run();
        } catch (CudaException e) {
            throw new IllegalStateException(e.getMessage()); // a GPU failure is one line
        }
    }

    /**
     * The tokenizer that opens the run's checkpoints: the file the user chose, else the run's tokenizer written as
     * tokenizer.bin into the run folder (the model may have brought its own, inside a GGUF file or beside it).
     */
    private Path tokenizerBeside(TrainSetup setup) throws IOException {
        if (request.tokenizer() != null) return request.tokenizer();
        if (setup.tokenizer() == null) return null;
        Path f = request.runDir().resolve("tokenizer.bin");
        Llama2cTokenizer.write(f, setup.tokenizer());
        return f;
    }

    /** The tokenizer file for the run's checkpoints (null until the run is set up, or when it has none). */
    Path tokenizerFile() {
        return tokenizerFile;
    }

    void pause() {
        pauseAsked = true;
        Trainer t = trainer;
        if (t != null) t.pause();
    }

    void resume() {
        pauseAsked = false;
        Trainer t = trainer;
        if (t != null) t.resume();
    }

    /** Ends the run after the current step; the trainer saves a final checkpoint when the run saves checkpoints. */
    void stop() {
        stopAsked = true;
        Trainer t = trainer;
        if (t != null) t.stop();
    }
}

package dev.llamascope.app.ui.models;

import dev.llamascope.app.ui.concurrent.CancelToken;
import dev.llamascope.engine.model.LoadedModel;
import java.nio.file.Path;

/** Opens a model off the FX thread, reporting progress and honouring cancellation. */
@FunctionalInterface
public interface ModelOpener {

    /** Progress of one load: fraction in [0, 1], or negative when unknown. Called from the loading thread. */
    @FunctionalInterface
    interface Progress {
        void report(double fraction, String message);
    }

    /**
     * @param tokenizer the tokenizer file to use, or null for the model's own
     * @throws java.util.concurrent.CancellationException when cancelled (nothing is left open)
     */
    LoadedModel open(Path model, Path tokenizer, Progress progress, CancelToken cancel) throws Exception;
}

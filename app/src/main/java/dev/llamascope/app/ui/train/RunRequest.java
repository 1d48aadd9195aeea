package dev.llamascope.app.ui.train;

import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.train.TrainConfig;
import dev.llamascope.engine.train.TrainSetup;
import dev.llamascope.engine.train.Trainer;
import java.nio.file.Path;

/**
 * A training run as the form described it when Start was pressed: immutable, handed to the training thread.
 *
 * @param tokenizer a tokenizer file, or null for the starting model's own
 * @param device    a {@code --device} id ("cpu", "cuda:0")
 * @param runDir    where checkpoints go (model.bin, model.state/, step-N.bin), or null to save nothing
 */
record RunRequest(StartFrom start, Path tokenizer, TrainSetup.DataChoice data, TrainConfig config, Trainer.Sampling sampling,
                  String device, int threads, Path runDir) {

    /** What the run starts from: a copy of the loaded model, or random weights of a shape. */
    sealed interface StartFrom {
        record Loaded(ModelHandle handle) implements StartFrom {}

        record Shape(ModelConfig shape) implements StartFrom {}
    }
}

package dev.llamascope.engine.train;

import dev.llamascope.engine.data.BatchLoader;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataOrder;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.data.TrainData;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A training run put together from what a user chose — the model it starts from ({@link TrainInit}), the data and
 * the hyperparameters — up to the {@link Trainer}: the tokenizer, the train and eval data with their batch loaders,
 * the backend's spec, and the checks between them (the sequence fits the model's context). {@code train} and the
 * window's Train pane both build their runs here, so a run from the window is the same run as from the command line.
 */
public final class TrainSetup {

    /**
     * Where the data comes from.
     *
     * @param evalFile     held-out data in a file of its own, or null
     * @param evalFraction without an eval file: the fraction of the training data held out for eval loss (0 = none)
     */
    public record DataChoice(Path file, DataFormat format, PromptTemplate template, Path evalFile, double evalFraction) {
        public DataChoice {
            if (file == null) throw new IllegalArgumentException("no data file chosen");
            if (!(evalFraction >= 0 && evalFraction < 1)) throw new IllegalArgumentException("the held-out fraction must be in [0, 1), got " + evalFraction);
        }
    }

    private final TrainInit init;
    private final Tokenizer tokenizer;
    private final TrainData data;
    private final BatchLoader train, eval;
    private final TrainConfig config;
    private final TrainBackend.Spec spec;

    private TrainSetup(TrainInit init, Tokenizer tokenizer, TrainData data, BatchLoader train, BatchLoader eval, TrainConfig config,
                       TrainBackend.Spec spec) {
        this.init = init;
        this.tokenizer = tokenizer;
        this.data = data;
        this.train = train;
        this.eval = eval;
        this.config = config;
        this.spec = spec;
    }

    /**
     * Reads the tokenizer (a file, checked against the model's vocabulary, or the one the model brought) and the data,
     * and makes the batch loaders.
     *
     * @param tokenizerFile null for {@code init}'s own tokenizer
     * @param threads       CPU threads for the backend
     * @param tf32          GPU matrix multiplies on TF32 tensor cores
     */
    public static TrainSetup prepare(TrainInit init, Path tokenizerFile, DataChoice choice, TrainConfig cfg, int threads, boolean tf32)
            throws IOException, ModelFormatException {
        ModelConfig c = init.config();
        if (cfg.seq() > c.seqLen())
            throw new IllegalArgumentException("seq " + cfg.seq() + " is longer than the model's context of " + c.seqLen());
        Tokenizer tok = tokenizerFile != null ? ModelLoader.TokenizerLoader.load(tokenizerFile, c.vocabSize()) : init.tokenizer();
        TrainData data = TrainData.load(choice.file(), choice.evalFile(), choice.evalFraction(), choice.format(), tok, c.vocabSize(),
                choice.template(), cfg.seq());
        BatchLoader train = new BatchLoader(data.train(), cfg.batch(), cfg.seq(), cfg.order(), cfg.seed());
        BatchLoader eval = data.eval() == null ? null : new BatchLoader(data.eval(), cfg.batch(), cfg.seq(), DataOrder.SEQUENTIAL, cfg.seed());
        TrainBackend.Spec spec = new TrainBackend.Spec(c, cfg.batch(), cfg.seq(), cfg.dropout(), threads, tf32);
        return new TrainSetup(init, tok, data, train, eval, cfg, spec);
    }

    /** The trainer of this run on a backend made from {@link #spec()} (the caller closes the backend). */
    public Trainer trainer(TrainBackend backend, Trainer.Sampling sampling, Trainer.Outputs outputs, TrainListener listener) {
        return new Trainer(config, backend, train, eval, tokenizer, sampling, outputs, listener);
    }

    public TrainInit init() {
        return init;
    }

    /** The tokenizer of the run (for text data and samples), or null where none was needed or found. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public TrainData data() {
        return data;
    }

    public BatchLoader trainLoader() {
        return train;
    }

    /** Batches of held-out data, or null when the run measures no eval loss. */
    public BatchLoader evalLoader() {
        return eval;
    }

    public TrainConfig config() {
        return config;
    }

    public TrainBackend.Spec spec() {
        return spec;
    }
}

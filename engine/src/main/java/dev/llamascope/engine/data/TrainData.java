package dev.llamascope.engine.data;

import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The data of a training run: what it trains on, and what it measures eval loss on — a second file, or the last
 * {@link #EVAL_FRACTION} of the training data held out, or nothing.
 */
public record TrainData(TrainingSet train, TrainingSet eval) {
    /** Fraction of the data held out for eval loss when there is no eval file. */
    public static final double EVAL_FRACTION = 0.1;

    /**
     * @param evalFile  held-out data, or null
     * @param holdOut   without an eval file: whether to split one off the training data
     * @param seq       sequence length (a token stream is split at a window boundary)
     */
    public static TrainData load(Path file, Path evalFile, boolean holdOut, DataFormat format, Tokenizer tokenizer,
                                 int vocabSize, PromptTemplate template, int seq) throws IOException {
        return load(file, evalFile, holdOut ? EVAL_FRACTION : 0, format, tokenizer, vocabSize, template, seq);
    }

    /**
     * As above, holding out {@code holdOutFraction} of the training data (0 = none) when there is no eval file.
     */
    public static TrainData load(Path file, Path evalFile, double holdOutFraction, DataFormat format, Tokenizer tokenizer,
                                 int vocabSize, PromptTemplate template, int seq) throws IOException {
        TrainingSet train = Datasets.load(file, format, tokenizer, vocabSize, template);
        if (evalFile != null) return new TrainData(train, Datasets.load(evalFile, format, tokenizer, vocabSize, template));
        if (holdOutFraction <= 0) return new TrainData(train, null);
        TrainingSet[] parts = train.split(holdOutFraction, seq);
        return new TrainData(parts[0], parts[1]);
    }
}

package dev.llamascope.engine.data;

/**
 * Training data ready for batching: a set of units, each of which fills one batch row of a sequence length.
 * A {@link TokenStream} has windows of a token stream; an {@link ExampleSet} has one unit per (loss-masked) example.
 */
public sealed interface TrainingSet permits TokenStream, ExampleSet {

    /** How many rows' worth of data there is for sequence length seq (at least 1, or the data is too short). */
    int units(int seq);

    /** Fills one row: inputs[off .. off+seq) and targets[off .. off+seq) (-1 where nothing is trained). */
    void fillRow(int unit, int seq, int[] inputs, int[] targets, int off);

    /** Tokens in the set. */
    long tokenCount();

    /** Splits off the last {@code fraction} of the units as held-out data: {train, eval}. */
    TrainingSet[] split(double fraction, int seq);

    /** One line for logs: what it is and how big. */
    String description();
}

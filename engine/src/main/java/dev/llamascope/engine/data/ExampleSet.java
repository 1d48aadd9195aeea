package dev.llamascope.engine.data;

import java.util.List;

/**
 * Examples (conversations rendered by a prompt template, or documents), one per batch row: inputs are the example's
 * tokens, targets the next token where it is trained, -1 elsewhere. Longer examples are cut at seq + 1 tokens; shorter
 * ones are padded with EOS inputs whose targets are ignored.
 */
public record ExampleSet(List<Example> examples, int padToken, String description) implements TrainingSet {
    public ExampleSet {
        examples = List.copyOf(examples);
        if (examples.isEmpty()) throw new IllegalArgumentException(description + ": no examples");
    }

    @Override
    public int units(int seq) {
        return examples.size();
    }

    @Override
    public void fillRow(int unit, int seq, int[] inputs, int[] targets, int off) {
        Example e = examples.get(unit);
        int[] t = e.tokens();
        boolean[] trained = e.trained();
        int n = Math.min(seq, t.length - 1);
        for (int i = 0; i < n; i++) {
            inputs[off + i] = t[i];
            targets[off + i] = trained[i + 1] ? t[i + 1] : -1;
        }
        for (int i = Math.max(0, n); i < seq; i++) {
            inputs[off + i] = padToken;
            targets[off + i] = -1;
        }
    }

    @Override
    public long tokenCount() {
        long n = 0;
        for (Example e : examples) n += e.length();
        return n;
    }

    /** Trained tokens over all examples. */
    public long trainedTokens() {
        long n = 0;
        for (Example e : examples) n += e.trainedTokens();
        return n;
    }

    @Override
    public TrainingSet[] split(double fraction, int seq) {
        int total = examples.size();
        int eval = Math.max(1, (int) Math.round(total * fraction));
        if (total - eval < 1)
            throw new IllegalArgumentException(description + ": " + total + " example(s) are too few to hold out an eval split (pass eval data)");
        // The description names the whole file; the held-out part says how much of it it holds.
        return new TrainingSet[]{
                new ExampleSet(examples.subList(0, total - eval), padToken, description + ", train part"),
                new ExampleSet(examples.subList(total - eval, total), padToken, description + ", held-out part: " + eval + " examples")};
    }
}

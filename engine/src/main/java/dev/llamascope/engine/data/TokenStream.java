package dev.llamascope.engine.data;

/**
 * One long token stream cut into windows of seq tokens: window j has inputs tokens[j*seq, j*seq + seq) and targets
 * one to the right, so W = (N - 1) / seq windows fit (../shared/README.md, golden/).
 */
public record TokenStream(int[] tokens, String description) implements TrainingSet {

    @Override
    public int units(int seq) {
        return (tokens.length - 1) / seq;
    }

    @Override
    public void fillRow(int unit, int seq, int[] inputs, int[] targets, int off) {
        int start = unit * seq;
        System.arraycopy(tokens, start, inputs, off, seq);
        System.arraycopy(tokens, start + 1, targets, off, seq);
    }

    @Override
    public long tokenCount() {
        return tokens.length;
    }

    /**
     * The last windows (at least one) become the eval stream; the train stream keeps the windows before them and the
     * one token after, the target of its last window.
     */
    @Override
    public TrainingSet[] split(double fraction, int seq) {
        int w = units(seq);
        int eval = Math.max(1, (int) Math.round(w * fraction));
        if (w - eval < 1)
            throw new IllegalArgumentException(description + ": " + w + " window(s) of " + seq + " tokens are too few to hold out an eval split (pass eval data)");
        int cut = (w - eval) * seq;
        // The description names the whole file; the held-out part says how much of it it holds.
        return new TrainingSet[]{
                new TokenStream(java.util.Arrays.copyOfRange(tokens, 0, cut + 1), description + ", train part"),
                new TokenStream(java.util.Arrays.copyOfRange(tokens, cut, tokens.length), description + ", held-out part: " + eval + " windows of " + seq)};
    }
}

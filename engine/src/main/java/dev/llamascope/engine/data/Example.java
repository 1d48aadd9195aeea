package dev.llamascope.engine.data;

/**
 * A training sequence: tokens (BOS first) and, per token, whether it is a target the loss counts — false for the
 * prompt part of a conversation (loss masking), true for answers and their EOS.
 *
 * @param trained trained[i] says whether predicting tokens[i] from tokens[0 .. i) counts in the loss
 */
public record Example(int[] tokens, boolean[] trained) {
    public Example {
        if (tokens.length != trained.length) throw new IllegalArgumentException("tokens and mask differ in length");
    }

    /** A plain document: every token after the first is a target. */
    public static Example document(int[] tokens) {
        boolean[] t = new boolean[tokens.length];
        for (int i = 1; i < t.length; i++) t[i] = true;
        return new Example(tokens, t);
    }

    public int length() {
        return tokens.length;
    }

    /** How many tokens count in the loss. */
    public int trainedTokens() {
        int n = 0;
        for (boolean b : trained) if (b) n++;
        return n;
    }
}

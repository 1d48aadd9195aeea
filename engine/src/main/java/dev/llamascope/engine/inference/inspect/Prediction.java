package dev.llamascope.engine.inference.inspect;

/**
 * The model's next-token distribution at one position (softmax of the logits at temperature 1), summarised:
 * the k most likely tokens, the entropy, and the token that actually came next in the text.
 *
 * @param ids         the top-k token ids, most likely first
 * @param probs       their probabilities
 * @param entropyBits the entropy of the whole distribution in bits (1 bit = a fair coin between two tokens)
 * @param chosen      the token that follows in the text, or -1 at the last position
 * @param chosenProb  its probability (0 when there is none)
 * @param chosenRank  its rank, 0 = the most likely (-1 when there is none)
 */
public record Prediction(int[] ids, float[] probs, double entropyBits, int chosen, float chosenProb, int chosenRank) {
    public Prediction {
        if (ids.length != probs.length) throw new IllegalArgumentException("ids and probs differ in length");
    }

    /** The most likely token. */
    public int top() {
        return ids[0];
    }
}

package dev.llamascope.app.ui.generate;

/**
 * How likely the model found a token, and the most likely alternatives at that position: probabilities of the
 * model's own distribution (softmax of the raw logits, temperature 1), not of the sampler's reshaped one, so the
 * colours mean the same thing whatever the knobs say.
 *
 * @param chosen the probability of the token that was placed there
 * @param ids    the top alternatives, most likely first (the chosen token among them when it is in the top k)
 * @param probs  their probabilities
 */
public record TokenOdds(float chosen, int[] ids, float[] probs) {
    public static final int TOP_K = 8;

    /** Computes the odds from logits[0 .. n); O(n) with a k-slot insertion list, no sorting of the vocabulary. */
    public static TokenOdds of(float[] logits, int n, int chosenId, int k) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
        double sum = 0;
        int[] ids = new int[k];
        float[] top = new float[k];
        int filled = 0;
        for (int i = 0; i < n; i++) {
            float l = logits[i];
            sum += Math.exp(l - max);
            if (filled < k || l > top[filled - 1]) {
                int j = Math.min(filled, k - 1);
                while (j > 0 && top[j - 1] < l) {
                    top[j] = top[j - 1];
                    ids[j] = ids[j - 1];
                    j--;
                }
                top[j] = l;
                ids[j] = i;
                if (filled < k) filled++;
            }
        }
        float[] probs = new float[filled];
        for (int i = 0; i < filled; i++) probs[i] = (float) (Math.exp(top[i] - max) / sum);
        float chosen = chosenId >= 0 && chosenId < n ? (float) (Math.exp(logits[chosenId] - max) / sum) : Float.NaN;
        return new TokenOdds(chosen, java.util.Arrays.copyOf(ids, filled), probs);
    }

    /** The same position with another token placed there (branching): its probability from the list, if listed. */
    public TokenOdds withChosen(int id) {
        for (int i = 0; i < ids.length; i++) if (ids[i] == id) return new TokenOdds(probs[i], ids, probs);
        return new TokenOdds(Float.NaN, ids, probs);
    }
}

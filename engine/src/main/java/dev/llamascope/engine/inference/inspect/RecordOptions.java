package dev.llamascope.engine.inference.inspect;

/**
 * What a {@link ProbeRecorder} keeps. Memory grows as: attention (and scores) layers x heads x n(n+1)/2 floats;
 * residuals (layers + 1) x n x dim; logits n x vocab.
 *
 * @param attention keep every head's attention weights
 * @param scores    keep every head's pre-softmax scores q·k/sqrt(head_size)
 * @param topK      candidates kept per position (0 = no predictions)
 * @param residuals keep the residual stream: the embedding and the output of every layer (for the logit lens)
 * @param logits    keep the full logits at every position
 */
public record RecordOptions(boolean attention, boolean scores, int topK, boolean residuals, boolean logits) {
    public RecordOptions {
        if (topK < 0 || topK > 1000) throw new IllegalArgumentException("top-k " + topK + " is out of range (0..1000)");
    }

    /** Everything the Inspect views need: weights, scores, top-k candidates, residuals (no full logits). */
    public static RecordOptions all(int topK) {
        return new RecordOptions(true, true, topK, true, false);
    }
}

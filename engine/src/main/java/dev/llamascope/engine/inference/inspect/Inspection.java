package dev.llamascope.engine.inference.inspect;

import dev.llamascope.engine.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What one forward pass over a text recorded: the tokens and their pieces, every head's attention weights and
 * pre-softmax scores, the top-k prediction at every position, and the residual stream after every layer. Fields
 * a {@link RecordOptions} left out are null. Immutable once built (the arrays are not to be written).
 *
 * @param config      the model's shape
 * @param tokens      the token ids, BOS first
 * @param pieces      a readable label per token (byte tokens as &lt;0xXX&gt;)
 * @param attention   [layer][head] weights
 * @param scores      [layer][head] pre-softmax scores
 * @param predictions per position
 * @param residuals   [0] embeddings, [l + 1] after layer l; each positions x dim
 * @param logits      per position the full logits
 */
public record Inspection(ModelConfig config, int[] tokens, List<String> pieces, AttentionMatrix[][] attention,
                         AttentionMatrix[][] scores, Prediction[] predictions, float[][] residuals, float[][] logits) {

    public Inspection {
        pieces = List.copyOf(pieces);
        if (pieces.size() != tokens.length) throw new IllegalArgumentException("one piece per token expected");
    }

    public int positions() {
        return tokens.length;
    }

    /** How a layer's heads are combined into one matrix for the views. */
    public enum Aggregate { MEAN, MAX }

    /** The mean or the maximum over a layer's heads. */
    public AttentionMatrix aggregate(int layer, Aggregate how) {
        if (attention == null) throw new IllegalStateException("attention was not recorded");
        List<AttentionMatrix> heads = new ArrayList<>(List.of(attention[layer]));
        return how == Aggregate.MEAN ? AttentionMatrix.mean(heads) : AttentionMatrix.max(heads);
    }

    /** The query heads that share key/value head kv (GQA): kv * group .. kv * group + group - 1. */
    public int[] headsOfKvHead(int kv) {
        int group = config.nHeads() / config.nKvHeads();
        int[] r = new int[group];
        for (int i = 0; i < group; i++) r[i] = kv * group + i;
        return r;
    }
}

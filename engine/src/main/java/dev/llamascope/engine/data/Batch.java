package dev.llamascope.engine.data;

/**
 * One micro-batch: {@code rows} sequences of {@code seq} input tokens, each position with the token it should predict.
 * A negative target is ignored (padding, or a prompt token under loss masking), as PyTorch's {@code ignore_index=-1}
 * in llama2.c's trainer. The loss of a batch is the mean cross-entropy over its non-ignored positions.
 *
 * @param inputs  rows x seq token ids, row-major
 * @param targets rows x seq next-token ids, or -1
 */
public record Batch(int rows, int seq, int[] inputs, int[] targets) {
    public Batch {
        if (rows < 1 || seq < 1) throw new IllegalArgumentException("a batch needs at least one row and one position");
        if (inputs.length != rows * seq || targets.length != rows * seq)
            throw new IllegalArgumentException("a " + rows + " x " + seq + " batch needs " + rows * seq + " inputs and targets");
    }

    /** Positions that count in the loss. */
    public int validTargets() {
        int n = 0;
        for (int t : targets) if (t >= 0) n++;
        return n;
    }

    /** Positions in the batch, counted or not: what tokens/s counts. */
    public int tokens() {
        return rows * seq;
    }
}

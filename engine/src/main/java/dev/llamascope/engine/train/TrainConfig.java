package dev.llamascope.engine.train;

import dev.llamascope.engine.data.DataOrder;

/**
 * The hyperparameters and bookkeeping of a training run, independent of the data and the device.
 *
 * @param batch        rows per micro-batch
 * @param seq          positions per row
 * @param steps        optimizer steps of the whole run (a resumed run continues to this count)
 * @param accum        micro-batches per optimizer step (gradient accumulation; their gradients are averaged)
 * @param schedule     learning rate per step
 * @param optimizer    AdamW's betas, eps and weight decay
 * @param gradClip     global L2 norm to clip gradients to; 0 turns clipping off
 * @param dropout      probability, as llama2.c's model: embedding, attention weights, residual branches
 * @param order        data order
 * @param seed         seeds the shuffle and the dropout masks
 * @param evalEvery    steps between eval losses; 0 = only at the end when there is eval data
 * @param evalBatches  micro-batches per eval
 * @param saveEvery    steps between checkpoints; 0 = only at the end
 */
public record TrainConfig(int batch, int seq, long steps, int accum, LrSchedule schedule, AdamW optimizer, float gradClip,
                          float dropout, DataOrder order, long seed, int evalEvery, int evalBatches, int saveEvery) {
    public TrainConfig {
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        if (seq < 1) throw new IllegalArgumentException("seq must be at least 1, got " + seq);
        if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        if (accum < 1) throw new IllegalArgumentException("accum must be at least 1, got " + accum);
        if (!(gradClip >= 0) || Float.isInfinite(gradClip)) throw new IllegalArgumentException("grad clip must be >= 0, got " + gradClip);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        if (evalEvery < 0 || evalBatches < 1) throw new IllegalArgumentException("eval-every must be >= 0 and eval batches >= 1");
        if (saveEvery < 0) throw new IllegalArgumentException("save-every must be >= 0, got " + saveEvery);
        if (schedule.totalSteps() != steps) throw new IllegalArgumentException("the schedule is for " + schedule.totalSteps() + " steps, the run has " + steps);
    }

    /** Tokens (positions) per optimizer step. */
    public long tokensPerStep() {
        return (long) batch * seq * accum;
    }
}

package dev.llamascope.engine.train;

/**
 * What one optimizer step measured: the numbers the log line and the charts show.
 *
 * @param step            optimizer steps done, from 1
 * @param loss            mean training loss of the step's micro-batches
 * @param gradNorm        global gradient norm before clipping
 * @param lr              the learning rate used
 * @param tokens          positions trained on so far in this run (resumed runs count on from the saved count)
 * @param tokensPerSecond this step's positions over its wall time (eval, samples and checkpoints excluded)
 * @param evalLoss        held-out loss measured after this step, or NaN when none was
 * @param seconds         wall time since the run started
 */
public record StepMetrics(long step, long totalSteps, double loss, double gradNorm, double lr, long tokens,
                          double tokensPerSecond, double evalLoss, double seconds) {
    public boolean hasEval() {
        return !Double.isNaN(evalLoss);
    }
}

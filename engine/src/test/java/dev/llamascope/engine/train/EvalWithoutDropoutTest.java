package dev.llamascope.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.llamascope.engine.data.Batch;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.ModelConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The eval loss of a run that trains with dropout is the model's loss without dropout: once, attention weights were
 * still dropped in eval (with a fixed mask), so eval losses depended on the dropout rate.
 */
class EvalWithoutDropoutTest {
    @Test
    void evalLossIgnoresTheTrainingDropout() {
        ModelConfig c = new ModelConfig(32, 48, 2, 4, 2, 50, 16, true);
        FlatWeights w = FlatWeights.random(c, 11);
        SplittableRandom r = new SplittableRandom(4);
        Batch b = new Batch(2, 16, r.ints(32, 0, 50).toArray(), r.ints(32, 0, 50).toArray());
        double plain, dropped, trainingLoss;
        try (TrainBackend be = new CpuTrainBackend(new FlatWeights(c, w.data().clone()), new TrainBackend.Spec(c, 2, 16, 0f, 1))) {
            plain = be.loss(b);
        }
        try (TrainBackend be = new CpuTrainBackend(new FlatWeights(c, w.data().clone()), new TrainBackend.Spec(c, 2, 16, 0.5f, 1))) {
            dropped = be.loss(b);
            trainingLoss = be.forwardBackward(b, 1f, Dropout.key(1, 0));
        }
        assertEquals(plain, dropped, 0.0, "eval with a dropout run's backend");
        assertNotEquals(plain, trainingLoss, "training steps do drop");
    }
}

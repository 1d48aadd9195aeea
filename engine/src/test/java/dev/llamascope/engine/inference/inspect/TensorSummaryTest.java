package dev.llamascope.engine.inference.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.model.Llama2cCheckpoint;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.tensor.F32Matrix;
import org.junit.jupiter.api.Test;

class TensorSummaryTest {
    @Test
    void statisticsCoverEveryValueAndThePictureSamplesRealOnes() {
        int rows = 10, cols = 6;
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (i % 7) - 3 + 0.5f * (i % 3);
        TensorSummary s = TensorSummary.of(F32Matrix.of(v, rows, cols), 4, 3);
        double sum = 0, sq = 0;
        for (float x : v) {
            sum += x;
            sq += x * x;
        }
        double mean = sum / v.length;
        assertEquals(v.length, s.stats().count());
        assertEquals(mean, s.stats().mean(), 1e-12);
        assertEquals(Math.sqrt(sq / v.length - mean * mean), s.stats().std(), 1e-12);
        assertEquals(Math.sqrt(sq), s.stats().frobenius(), 1e-12);
        assertEquals(4, s.rows());
        assertEquals(3, s.cols());
        // picture cell (i, j) is source cell (i * 10 / 4, j * 6 / 3)
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 3; j++) assertEquals(v[(i * 10 / 4) * cols + j * 2], s.values()[i * 3 + j]);
        TensorSummary vec = TensorSummary.of(new float[] {1, -2, 3}, 100);
        assertEquals(1, vec.rows());
        assertArrayEquals(new float[] {1, -2, 3}, vec.values());
        assertEquals(3f, vec.maxAbs());
    }

    @Test
    void everyPartOfStories260KHasItsRealShape() throws Exception {
        try (LlamaModel m = Llama2cCheckpoint.read(SharedData.file("models/stories260K/stories260K.bin"))) {
            var c = m.config();
            assertArrayEquals(new int[] {32, 64}, ModelPart.WK.weightShape(c), "4 kv heads of 8 dims: 32 rows");
            assertArrayEquals(new int[] {172, 64}, ModelPart.W1.weightShape(c));
            assertArrayEquals(new int[] {64, 172}, ModelPart.W2.weightShape(c));
            assertArrayEquals(new int[] {512, 64}, ModelPart.CLASSIFIER.weightShape(c));
            assertNull(ModelPart.ROPE.weights(m, 0, 64, 64));
            for (ModelPart p : ModelPart.values()) {
                if (!p.hasWeights()) continue;
                TensorSummary s = p.weights(m, 1, 1000, 1000);
                int[] shape = p.weightShape(c);
                assertEquals(shape[0], s.sourceRows(), p.name());
                assertEquals(shape[1], s.sourceCols(), p.name());
                assertEquals((long) shape[0] * shape[1], s.stats().count());
            }
            // Wq of layer 1, row 5 as the picture shows it (no downsampling at this size)
            TensorSummary wq = ModelPart.WQ.weights(m, 1, 1000, 1000);
            float[] row = new float[64];
            m.layers().get(1).wq().readRow(5, row, 0);
            for (int j = 0; j < 64; j++) assertEquals(row[j], wq.values()[5 * 64 + j]);
        }
    }
}

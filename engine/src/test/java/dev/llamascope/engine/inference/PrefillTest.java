package dev.llamascope.engine.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.model.Llama2cCheckpoint;
import dev.llamascope.engine.model.LoadOptions;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.tensor.ComputePool;
import org.junit.jupiter.api.Test;

class PrefillTest {
    private static final int[] PROMPT = {1, 403, 407, 261, 378, 260, 300, 290, 310, 320, 330, 340, 350};

    /** Quantized kernels quantize their input: prefill must compute exactly what decode computes. */
    @Test
    void int8PrefillIsBitwiseDecode() throws Exception {
        try (LlamaModel m = Llama2cCheckpoint.read(SharedData.file("models/stories260K/stories260K.v2_q80_gs4.bin"));
             ComputePool pool = new ComputePool(2)) {
            compare(m, pool, 0f);
        }
    }

    /**
     * GGUF Q8_0 and Q4_0 (prefill through WholeGroupGemm), with heads of 16 values (dim 64, 4 heads): prefill's
     * attention then runs four queries at once (Kernels.weightedSumQuad), and must still be decode bit for bit.
     */
    @Test
    void ggufPrefillIsBitwiseDecode() throws Exception {
        for (String f : new String[]{"pr468.Q8_0.gguf", "pr468.Q4_0.gguf"}) {
            try (LoadedModel lm = ModelLoader.load(SharedData.file("models/pr468-v2/" + f), null, LoadOptions.DEFAULT);
                 ComputePool pool = new ComputePool(2)) {
                assertEquals(16, lm.model().config().headSize(), f);
                compare(lm.model(), pool, 0f);
            }
        }
    }

    @Test
    void fp32PrefillMatchesDecode() throws Exception {
        try (LlamaModel m = Llama2cCheckpoint.read(SharedData.file("models/stories260K/stories260K.bin"));
             ComputePool pool = new ComputePool(2)) {
            compare(m, pool, 1e-4f);
        }
    }

    private static void compare(LlamaModel m, ComputePool pool, float tol) {
        Transformer a = new Transformer(m, pool), b = new Transformer(m, pool);
        KvCache ca = new KvCache(m.config()), cb = new KvCache(m.config());
        float[] la = null;
        for (int i = 0; i < PROMPT.length; i++) la = a.forward(ca, PROMPT[i], i).clone();
        float[] lb = b.prefill(cb, PROMPT, 0, PROMPT.length, 0, true).clone();
        for (int l = 0; l < m.config().nLayers(); l++) {
            int n = PROMPT.length * m.config().kvDim();
            for (int i = 0; i < n; i++) {
                assertEquals(ca.keys[l][i], cb.keys[l][i], tol, "key layer " + l + " index " + i);
                assertEquals(ca.values[l][i], cb.values[l][i], tol, "value layer " + l + " index " + i);
            }
        }
        if (tol == 0f) assertArrayEquals(la, lb);
        else for (int i = 0; i < la.length; i++) assertEquals(la[i], lb[i], tol, "logit " + i);
    }
}

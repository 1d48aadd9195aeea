package dev.llamascope.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.RunCases;
import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.inference.KvCache;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.util.Json;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --quantize q8_0: fp32 weights become Q8_0 in memory; the logits stay close to run.c's. */
class QuantizeOnLoadTest {
    /** Max |logit - run.c's logit| over the 24 positions of the reference file. */
    static float maxLogitError(LlamaModel m) throws Exception {
        List<String> lines = Files.readAllLines(SharedData.file("reference/logits/stories260K__once__24pos_full512.jsonl"));
        float max = 0f;
        try (ComputePool pool = new ComputePool(2)) {
            Transformer t = new Transformer(m, pool);
            KvCache cache = new KvCache(m.config());
            for (String line : lines.subList(1, lines.size())) {
                Map<String, Object> o = Json.parseObject(line);
                int pos = (int) Json.integer(o, "pos", -1), token = (int) Json.integer(o, "token", -1);
                float[] logits = t.forward(cache, token, pos);
                List<?> ref = (List<?>) o.get("logits_head");
                for (int i = 0; i < ref.size(); i++) max = Math.max(max, Math.abs(logits[i] - ((Number) ref.get(i)).floatValue()));
            }
        }
        return max;
    }

    @Test
    void q8_0InMemory() throws Exception {
        try (LlamaModel f = ModelLoader.loadWeights(SharedData.file("models/stories260K/stories260K.bin"));
             LoadedModel q = ModelLoader.load(SharedData.file("models/stories260K/stories260K.bin"), SharedData.file("models/stories260K/tok512.bin"), new LoadOptions("q8_0"))) {
            // w2 rows are 172 values, not whole 32-value blocks: it stays fp32.
            assertEquals("Q8_0,F32", q.model().weightTypes());
            assertTrue(q.model().weightBytes() < f.weightBytes() / 2);
            float fp32 = maxLogitError(f), q8 = maxLogitError(q.model());
            System.out.printf("stories260K max |logit - run.c| over 24 positions: fp32 %.2e, Q8_0 in memory %.4f%n", fp32, q8);
            assertTrue(fp32 < 1e-4f, "fp32 " + fp32);
            assertTrue(q8 < 0.5f, "Q8_0 " + q8);
            String text = RunCases.generate(q, "Once upon a time", 200, 0f, 0.9f, 42);
            String expected = RunCases.all().stream().filter(c -> c.name().equals("stories260K__greedy_once")).findFirst().orElseThrow().expected();
            int same = 0;
            while (same < Math.min(text.length(), expected.length()) && text.charAt(same) == expected.charAt(same)) same++;
            System.out.println("Q8_0 in memory, greedy: first " + same + " of " + expected.length() + " characters equal run.c's fp32 text");
            assertTrue(same >= 100, "diverged at " + same);
        }
    }

    /** What each GGUF storage type of stories260K costs in logit accuracy against run.c (measured, loosely bounded). */
    @Test
    void ggufTypesAgainstRunC() throws Exception {
        String[] files = {"stories260K.f32.gguf", "stories260K.F16.gguf", "stories260K.Q6_K.gguf", "stories260K.Q4_K_M.gguf"};
        float[] bound = {1e-4f, 0.02f, 0.4f, 2.5f};
        for (int i = 0; i < files.length; i++) {
            try (LlamaModel m = ModelLoader.loadWeights(SharedData.file("models/stories260K/" + files[i]), LoadOptions.DEFAULT.withContextLength(512))) {
                float e = maxLogitError(m);
                System.out.printf("%s (%s): max |logit - run.c| %.4g%n", files[i], m.weightTypes(), e);
                assertTrue(e < bound[i], files[i] + " " + e);
            }
        }
    }
}

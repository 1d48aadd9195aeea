package dev.llamascope.engine.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.model.Llama2cCheckpoint;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.util.Json;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Full logits at every position against run.c's (../shared/reference/logits/), by decode and by prefill. */
class LogitsReferenceTest {

    @ParameterizedTest
    @CsvSource({
            "stories260K__empty__8pos_full512.jsonl, models/stories260K/stories260K.bin",
            "stories260K__once__24pos_full512.jsonl, models/stories260K/stories260K.bin",
            "stories260K__once__24pos_full512.jsonl, models/stories260K/stories260K.v1.bin"})
    @SuppressWarnings("unchecked")
    void logitsMatchRunC(String reference, String model) throws Exception {
        List<String> lines = Files.readAllLines(SharedData.file("reference/logits/" + reference));
        List<Map<String, Object>> steps = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) steps.add(Json.parseObject(l));
        int[] tokens = steps.stream().mapToInt(s -> ((Long) s.get("token")).intValue()).toArray();
        try (LlamaModel m = Llama2cCheckpoint.read(SharedData.file(model)); ComputePool pool = new ComputePool(2)) {
            Transformer decode = new Transformer(m, pool);
            KvCache cache = new KvCache(m.config());
            Transformer batch = new Transformer(m, pool);
            double worst = 0;
            for (int pos = 0; pos < tokens.length; pos++) {
                float[] logits = decode.forward(cache, tokens[pos], pos);
                List<Object> ref = (List<Object>) steps.get(pos).get("logits_head");
                assertEquals(512, ref.size());
                for (int i = 0; i < ref.size(); i++) {
                    double want = ((Number) ref.get(i)).doubleValue();
                    worst = Math.max(worst, Math.abs(want - logits[i]));
                    assertEquals(want, logits[i], 1e-4, "logit " + i + " at position " + pos);
                }
                assertEquals(((Long) steps.get(pos).get("argmax")).intValue(), dev.llamascope.engine.tensor.Kernels.argmax(logits, 512));
                // the same position reached by one prefill of the whole prefix
                float[] viaPrefill = batch.prefill(new KvCache(m.config()), tokens, 0, pos + 1, 0, true);
                for (int i = 0; i < ref.size(); i++) {
                    assertEquals(((Number) ref.get(i)).doubleValue(), viaPrefill[i], 1e-4, "prefill logit " + i + " at position " + pos);
                }
            }
            System.out.printf("%s on %s: worst logit error %.2e%n", reference, model, worst);
        }
    }
}

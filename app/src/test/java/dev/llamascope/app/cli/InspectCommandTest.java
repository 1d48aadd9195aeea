package dev.llamascope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.util.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code inspect}: the JSON it promises (checked for meaning, not only shape), the report, and bad command lines. */
class InspectCommandTest {

    @Test
    @SuppressWarnings("unchecked")
    void jsonHoldsTokensAttentionPredictionsAndLens() {
        CliRunner.Result r = CliRunner.run("inspect", CommandsTest.model(), "-z", CommandsTest.tok(), "-i", "Lily and Tom", "--json", "--top-k", "4", "--scores");
        assertEquals(0, r.code(), r.stderr());
        Map<String, Object> d = Json.parseObject(r.out());
        List<Object> tokens = (List<Object>) d.get("tokens");
        assertEquals(List.of(1L, 317L, 269L, 274L, 287L), tokens.stream().map(t -> ((Map<String, Object>) t).get("id")).toList());
        assertEquals("<s>", ((Map<String, Object>) tokens.get(0)).get("piece"));
        assertEquals(" Lily", ((Map<String, Object>) tokens.get(1)).get("piece"));
        int n = tokens.size();

        List<Object> attention = (List<Object>) d.get("attention");
        assertEquals(5 * 8, attention.size(), "every layer and head of stories260K");
        List<Object> scores = (List<Object>) d.get("scores");
        assertEquals(40, scores.size());
        for (Object o : attention) {
            Map<String, Object> head = (Map<String, Object>) o;
            assertEquals(((Long) head.get("head")) / 2, head.get("kv_head"), "8 heads share 4 kv heads");
            List<Object> rows = (List<Object>) head.get("weights");
            assertEquals(n, rows.size());
            for (int q = 0; q < n; q++) {
                List<Object> row = (List<Object>) rows.get(q);
                assertEquals(q + 1, row.size(), "causal: row " + q + " has keys 0.." + q);
                double sum = row.stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
                assertEquals(1.0, sum, 1e-5);
            }
        }
        // softmax of a scores row is the weights row
        Map<String, Object> s0 = (Map<String, Object>) scores.get(13), w0 = (Map<String, Object>) attention.get(13);
        List<Object> sRow = (List<Object>) ((List<Object>) s0.get("scores")).get(n - 1), wRow = (List<Object>) ((List<Object>) w0.get("weights")).get(n - 1);
        double max = sRow.stream().mapToDouble(v -> ((Number) v).doubleValue()).max().orElseThrow(), z = 0;
        for (Object v : sRow) z += Math.exp(((Number) v).doubleValue() - max);
        for (int k = 0; k < n; k++)
            assertEquals(Math.exp(((Number) sRow.get(k)).doubleValue() - max) / z, ((Number) wRow.get(k)).doubleValue(), 1e-5);

        List<Object> preds = (List<Object>) d.get("predictions");
        assertEquals(n, preds.size());
        for (int p = 0; p < n; p++) {
            Map<String, Object> pr = (Map<String, Object>) preds.get(p);
            List<Object> top = (List<Object>) pr.get("top_k");
            assertEquals(4, top.size());
            double entropy = ((Number) pr.get("entropy_bits")).doubleValue();
            assertTrue(entropy >= 0 && entropy <= 9, "entropy of a 512-token distribution is at most 9 bits: " + entropy);
            if (p + 1 < n) assertEquals(((Map<String, Object>) tokens.get(p + 1)).get("id"), ((Map<String, Object>) pr.get("next")).get("id"));
            else assertNull(pr.get("next"));
        }
        Map<String, Object> lens = (Map<String, Object>) d.get("logit_lens");
        assertEquals(List.of("embedding", "layer 0", "layer 1", "layer 2", "layer 3", "layer 4"), lens.get("rows"));
        List<Object> cells = (List<Object>) lens.get("cells");
        List<Object> lastRow = (List<Object>) cells.get(5), fin = (List<Object>) lens.get("final");
        for (int p = 0; p < n; p++) {
            Map<String, Object> cell = (Map<String, Object>) lastRow.get(p);
            Map<String, Object> topPred = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) preds.get(p)).get("top_k")).get(0);
            assertEquals(topPred.get("id"), cell.get("id"), "the lens's last layer is the model's prediction");
            assertEquals(((Number) topPred.get("prob")).doubleValue(), ((Number) cell.get("prob")).doubleValue(), 1e-5);
            assertEquals(0L, cell.get("final_rank"));
            assertEquals(cell.get("id"), ((Map<String, Object>) fin.get(p)).get("id"));
        }
    }

    @Test
    void reportForATerminal() {
        CliRunner.Result r = CliRunner.run("inspect", CommandsTest.model(), "-z", CommandsTest.tok(), "-i", "Once upon a time");
        assertEquals(0, r.code(), r.stderr());
        assertTrue(r.out().contains("Next-token predictions"), r.out());
        assertTrue(r.out().contains("Logit lens"), r.out());
        assertTrue(r.out().contains("layer 4:"), r.out());
        assertTrue(r.out().contains("not why the model predicted"), r.out());
        CliRunner.Result noLens = CliRunner.run("inspect", CommandsTest.model(), "-z", CommandsTest.tok(), "-i", "Once", "--json", "--no-lens");
        assertEquals(0, noLens.code(), noLens.stderr());
        assertFalse(Json.parseObject(noLens.out()).containsKey("logit_lens"));
    }

    @Test
    void badCommandLinesSayWhatIsWrong() {
        CliRunner.Result noPrompt = CliRunner.run("inspect", CommandsTest.model(), "-z", CommandsTest.tok());
        assertEquals(2, noPrompt.code());
        assertTrue(noPrompt.stderr().contains("missing -i PROMPT"), noPrompt.stderr());
        CliRunner.Result badK = CliRunner.run("inspect", CommandsTest.model(), "-z", CommandsTest.tok(), "-i", "x", "--top-k", "0");
        assertEquals(2, badK.code());
        assertTrue(badK.stderr().contains("--top-k"), badK.stderr());
        CliRunner.Result missing = CliRunner.run("inspect", "/nonexistent/model.bin", "-i", "x");
        assertEquals(1, missing.code());
        assertTrue(missing.stderr().contains("/nonexistent/model.bin"), missing.stderr());
        assertFalse(missing.stderr().contains("Exception"), missing.stderr());
        String longText = "Once upon a time ".repeat(200);
        CliRunner.Result tooLong = CliRunner.run("inspect", CommandsTest.model(), "-z", CommandsTest.tok(), "-i", longText);
        assertEquals(1, tooLong.code());
        assertTrue(tooLong.stderr().contains("more than the context of 512"), tooLong.stderr());
    }
}

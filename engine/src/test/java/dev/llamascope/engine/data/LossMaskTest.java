package dev.llamascope.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.inference.KvCache;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.Llama2cCheckpoint;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tokenizer.Llama2cTokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.train.CpuTrainBackend;
import dev.llamascope.engine.train.TrainBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An Alpaca record becomes BOS + prompt (masked) + answer + EOS (trained); the batch ignores the prompt's targets,
 * and the trainer's loss is the mean cross-entropy over the answer tokens only, computed independently here with the
 * inference engine's logits.
 */
class LossMaskTest {
    @Test
    void alpacaPromptIsMaskedOutOfTheLoss() throws Exception {
        Tokenizer tok = Llama2cTokenizer.read(SharedData.file("models/stories260K/tok512.bin"));
        Conversation c = new AlpacaReader().read(DataReadersTest.fixture("alpaca.json")).get(1);
        PromptTemplate t = PromptTemplate.ALPACA;
        assertEquals("### Instruction:\nMake this sentence happy.\n\n### Input:\nThe dog was sad.\n\n### Response:\n",
                t.segments(c).get(0).text());
        Example e = t.encode(c, tok);

        int[] prompt = tok.encode(t.segments(c).get(0).text(), false, false);
        int[] answer = tok.encode("The dog was happy.", false, false);
        int p = 1 + prompt.length, n = p + answer.length + 1;
        assertEquals(n, e.length());
        assertEquals(tok.bos(), e.tokens()[0]);
        assertArrayEquals(prompt, java.util.Arrays.copyOfRange(e.tokens(), 1, p));
        assertArrayEquals(answer, java.util.Arrays.copyOfRange(e.tokens(), p, n - 1));
        assertEquals(tok.eos(), e.tokens()[n - 1]);
        for (int i = 0; i < n; i++) assertEquals(i >= p, e.trained()[i], "token " + i + " trained?");

        int seq = 128;
        assertTrue(n <= seq, "the example fits one row");
        Batch b = new BatchLoader(new ExampleSet(List.of(e), tok.eos(), "alpaca"), 1, seq, DataOrder.SEQUENTIAL, 0).batch(0);
        for (int i = 0; i < seq; i++) {
            int expected = i + 1 < n && i + 1 >= p ? e.tokens()[i + 1] : -1;
            assertEquals(expected, b.targets()[i], "target at position " + i);
        }
        assertEquals(answer.length + 1, b.validTargets(), "the answer and its EOS are trained");

        try (LlamaModel m = Llama2cCheckpoint.read(SharedData.file("models/stories260K/stories260K.bin"));
             ComputePool pool = new ComputePool(2)) {
            // the reference: cross-entropy of the answer tokens from the inference engine's logits
            Transformer tr = new Transformer(m, pool);
            KvCache cache = new KvCache(m.config());
            double sum = 0;
            for (int i = 0; i < n - 1; i++) {
                float[] logits = tr.forward(cache, e.tokens()[i], i);
                if (i + 1 < p) continue;
                double max = Double.NEGATIVE_INFINITY, z = 0;
                for (float l : logits) max = Math.max(max, l);
                for (float l : logits) z += Math.exp(l - max);
                sum += max + Math.log(z) - logits[e.tokens()[i + 1]];
            }
            double expected = sum / (answer.length + 1);
            FlatWeights w = FlatWeights.of(m);
            try (CpuTrainBackend be = new CpuTrainBackend(w, new TrainBackend.Spec(m.config(), 1, seq, 0f, 2))) {
                double loss = be.loss(b);
                assertEquals(expected, loss, 1e-5 * expected, "masked loss");
                // an unmasked loss over the same row is a different number: the mask matters
                int[] all = b.targets().clone();
                for (int i = 0; i < n - 1; i++) all[i] = e.tokens()[i + 1];
                double unmasked = be.loss(new Batch(1, seq, b.inputs(), all));
                assertTrue(Math.abs(unmasked - loss) > 0.05, "masked " + loss + " vs unmasked " + unmasked);
            }
        }
    }

    @Test
    void chatTemplateTrainsEveryAnswer() throws Exception {
        Conversation c = new ShareGptReader().read(DataReadersTest.fixture("sharegpt.json")).getFirst();
        Tokenizer tok = TestTokenizers.chars();
        Example e = PromptTemplate.CHAT.encode(c, tok);
        assertEquals("You tell stories to children.\n\nUSER: Tell me about Lily.\nASSISTANT:Lily was a little girl who loved flowers.</s>"
                + "USER: What did she do?\nASSISTANT:She planted a garden.</s>", PromptTemplate.CHAT.render(c));
        StringBuilder trained = new StringBuilder();
        for (int i = 0; i < e.length(); i++) {
            if (e.trained()[i]) trained.append(e.tokens()[i] == tok.eos() ? "|" : Character.toString(tok.byteValue(e.tokens()[i])));
        }
        assertEquals("Lily was a little girl who loved flowers.|She planted a garden.|", trained.toString());
    }
}

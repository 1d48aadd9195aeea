package dev.llamascope.engine.inference.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.inference.Generator;
import dev.llamascope.engine.inference.KvCache;
import dev.llamascope.engine.inference.Probe;
import dev.llamascope.engine.inference.SamplerSettings;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tensor.ComputePool;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Probes on stories260K (8 heads sharing 4 key/value heads: GQA) against a double-precision forward pass. */
class ProbeTest {
    private static final String TEXT = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her friend Tom.";

    static LoadedModel lm;
    static ComputePool pool;
    static int[] tokens;

    @BeforeAll
    static void load() throws Exception {
        lm = ModelLoader.load(SharedData.file("models/stories260K/stories260K.bin"), SharedData.file("models/stories260K/tok512.bin"));
        pool = new ComputePool(2);
        tokens = lm.tokenizer().encode(TEXT, true, false);
    }

    @AfterAll
    static void close() {
        if (pool != null) pool.close();
        if (lm != null) lm.close();
    }

    private static Inspection inspect(int[] toks, RecordOptions o) {
        return Inspector.inspect(lm.model(), lm.tokenizer(), toks, o, pool);
    }

    @Test
    void attentionRowsAreCausalAndSumToOne() {
        Inspection a = inspect(tokens, RecordOptions.all(5));
        ModelConfig c = a.config();
        int n = tokens.length;
        assertTrue(n > 20, "the test text should be long enough to mean something: " + n);
        for (int l = 0; l < c.nLayers(); l++) {
            for (int h = 0; h < c.nHeads(); h++) {
                AttentionMatrix m = a.attention()[l][h];
                assertEquals(n, m.size());
                for (int q = 0; q < n; q++) {
                    double sum = 0;
                    for (int k = 0; k < n; k++) {
                        float w = m.get(q, k);
                        if (k > q) assertEquals(0f, w, "no weight on a future key (" + l + "," + h + "," + q + "," + k + ")");
                        else assertTrue(w >= 0 && w <= 1, "weight in [0, 1]");
                        sum += w;
                    }
                    assertEquals(1.0, sum, 1e-5, "row " + q + " of layer " + l + " head " + h);
                    assertEquals(Float.NEGATIVE_INFINITY, q + 1 < n ? a.scores()[l][h].get(q, q + 1) : Float.NEGATIVE_INFINITY);
                }
            }
        }
        // Causal in what it depends on: change the last token, and every earlier row stays bitwise the same.
        int[] other = tokens.clone();
        other[n - 1] = other[n - 1] == 300 ? 301 : 300;
        Inspection b = inspect(other, RecordOptions.all(5));
        boolean lastRowChanged = false;
        for (int l = 0; l < c.nLayers(); l++) {
            for (int h = 0; h < c.nHeads(); h++) {
                for (int q = 0; q < n - 1; q++)
                    assertArrayEquals(a.attention()[l][h].row(q), b.attention()[l][h].row(q), "row " + q + " saw a later token");
                lastRowChanged |= !Arrays.equals(a.attention()[l][h].row(n - 1), b.attention()[l][h].row(n - 1));
            }
        }
        assertTrue(lastRowChanged, "the changed token itself must change its own row somewhere");
    }

    @Test
    void recordedAttentionEqualsDoublePrecisionReference() {
        DoubleReference ref = new DoubleReference(lm.model(), tokens);
        // through the batched prefill (what the Inspect view uses) ...
        Inspection batched = inspect(tokens, RecordOptions.all(5));
        // ... and through decode, token by token
        ProbeRecorder rec = new ProbeRecorder(lm.model().config(), tokens.length, RecordOptions.all(5), tokens);
        Transformer t = new Transformer(lm.model(), pool);
        t.setProbe(rec);
        KvCache cache = new KvCache(lm.model().config());
        for (int p = 0; p < tokens.length; p++) t.forward(cache, tokens[p], p);
        double worstW = 0, worstS = 0;
        ModelConfig c = lm.model().config();
        for (AttentionMatrix[][][] run : new AttentionMatrix[][][][] {{batched.attention(), batched.scores()}, {rec.attention(), rec.scores()}}) {
            for (int l = 0; l < c.nLayers(); l++) {
                for (int h = 0; h < c.nHeads(); h++) {
                    for (int q = 0; q < tokens.length; q++) {
                        for (int k = 0; k <= q; k++) {
                            double w = ref.weights[l][h][q][k], s = ref.scores[l][h][q][k];
                            worstW = Math.max(worstW, Math.abs(w - run[0][l][h].get(q, k)));
                            worstS = Math.max(worstS, Math.abs(s - run[1][l][h].get(q, k)));
                            assertEquals(w, run[0][l][h].get(q, k), 1e-5, "weight l" + l + " h" + h + " q" + q + " k" + k);
                            assertEquals(s, run[1][l][h].get(q, k), 1e-4 * Math.max(1, Math.abs(s)), "score l" + l + " h" + h + " q" + q + " k" + k);
                        }
                    }
                }
            }
        }
        System.out.printf("attention vs double reference over %d tokens: worst weight error %.2e, worst score error %.2e%n", tokens.length, worstW, worstS);
        // the residual stream too (it feeds the logit lens)
        for (int r = 0; r <= c.nLayers(); r++) {
            for (int p = 0; p < tokens.length; p++) {
                for (int i = 0; i < c.dim(); i++)
                    assertEquals(ref.residuals[r][p][i], batched.residuals()[r][p * c.dim() + i], 1e-4, "residual row " + r + " pos " + p);
            }
        }
    }

    @Test
    void predictionsMatchTheReferenceDistribution() {
        DoubleReference ref = new DoubleReference(lm.model(), tokens);
        Inspection in = inspect(tokens, new RecordOptions(false, false, 7, false, true));
        assertNull(in.attention());
        for (int p = 0; p < tokens.length; p++) {
            Prediction pr = in.predictions()[p];
            double[] probs = ref.probs(p);
            double h = 0;
            for (double v : probs) if (v > 0) h -= v * Math.log(v) / Math.log(2);
            assertEquals(h, pr.entropyBits(), 1e-4, "entropy at " + p);
            assertEquals(7, pr.ids().length);
            for (int j = 0; j < 7; j++) {
                assertEquals(probs[pr.ids()[j]], pr.probs()[j], 1e-5, "top-" + j + " prob at " + p);
                if (j > 0) assertTrue(pr.probs()[j] <= pr.probs()[j - 1], "sorted");
            }
            int argmax = 0;
            for (int i = 1; i < probs.length; i++) if (probs[i] > probs[argmax]) argmax = i;
            assertEquals(argmax, pr.top(), "top token at " + p);
            if (p + 1 < tokens.length) {
                assertEquals(tokens[p + 1], pr.chosen());
                assertEquals(probs[tokens[p + 1]], pr.chosenProb(), 1e-5);
                int rank = 0;
                for (double v : probs) if (v > probs[tokens[p + 1]]) rank++;
                assertEquals(rank, pr.chosenRank(), "rank of the chosen token at " + p);
            } else {
                assertEquals(-1, pr.chosen());
            }
            assertEquals(lm.model().config().vocabSize(), in.logits()[p].length);
        }
    }

    @Test
    void logitLensAtTheLastLayerIsTheModelsOutput() {
        ModelConfig c = lm.model().config();
        int last = c.nLayers(), vocab = c.vocabSize();
        // Decode token by token, recording the residual stream and the model's own logits in the same pass.
        ProbeRecorder rec = new ProbeRecorder(c, tokens.length, new RecordOptions(false, false, 5, true, true), tokens);
        Transformer t = new Transformer(lm.model(), pool);
        t.setProbe(rec);
        KvCache cache = new KvCache(c);
        for (int p = 0; p < tokens.length; p++) t.forward(cache, tokens[p], p);
        LogitLens lens = LogitLens.compute(lm.model(), rec.residuals(), tokens.length, 5, pool);
        assertEquals(last + 1, lens.rows());
        for (int p = 0; p < tokens.length; p++) {
            float[] probs = rec.logits()[p].clone();
            Distribution.softmax(probs, probs, vocab);
            // final norm + classifier on the last residual is exactly what the model computed
            assertArrayEquals(probs, lens.distribution(last, p), "lens distribution at the last layer, position " + p);
            int top = Distribution.topK(probs, vocab, 1)[0];
            assertEquals(top, lens.finalToken(p));
            assertEquals(top, lens.top(last, p, 0));
            assertEquals(top, rec.predictions()[p].top());
            // the table goes through the classifier's matrix-matrix kernel: equal within float rounding (its sums
            // run in another order; with 4-lane vectors the two differ by up to 5e-6 relative)
            assertEquals(probs[top], lens.topProb(last, p, 0), 1e-5 * probs[top] + 1e-7);
            assertEquals(0, lens.finalRank(last, p));
            assertTrue(lens.settledRow(p) >= 0 && lens.settledRow(p) <= last);
            // earlier rows: the final token's probability there is what that row's distribution gives it
            float[] d0 = lens.distribution(0, p);
            assertEquals(d0[top], lens.finalProb(0, p), 1e-6);
        }
        // The batched inspection (prefill): the lens's last row against the logits that pass reported.
        Inspection in = inspect(tokens, new RecordOptions(false, false, 5, true, true));
        LogitLens batched = LogitLens.compute(lm.model(), in.residuals(), tokens.length, 5, pool);
        for (int p = 0; p < tokens.length; p++) {
            float[] probs = in.logits()[p].clone();
            Distribution.softmax(probs, probs, vocab);
            float[] viaLens = batched.distribution(last, p);
            // two computations of the same sums in different orders: with 4-lane vectors they differ by up to 5e-6 relative
            for (int i = 0; i < vocab; i++) assertEquals(probs[i], viaLens[i], 1e-5 * probs[i] + 1e-7, "token " + i + " at " + p);
            assertEquals(in.predictions()[p].top(), batched.finalToken(p));
        }
    }

    @Test
    void probesDoNotChangeGeneratedTokens() {
        int[] prompt = lm.tokenizer().encode("Once upon a time", true, false);
        for (SamplerSettings s : new SamplerSettings[] {SamplerSettings.greedy(), SamplerSettings.runC(1f, 0.9f, 42)}) {
            Generator plain = new Generator(new Transformer(lm.model(), pool), lm.tokenizer());
            Generator.Result a = plain.generate(prompt, 200, s, false, (pos, tok, piece, logits) -> {}, () -> false);
            Transformer probed = new Transformer(lm.model(), pool);
            AtomicInteger calls = new AtomicInteger();
            ProbeRecorder rec = new ProbeRecorder(lm.model().config(), 201, new RecordOptions(true, true, 5, true, false), null);
            probed.setProbe(new Probe() {
                @Override public void scores(int l, int h, int p, float[] v, int o, int n) { calls.incrementAndGet(); rec.scores(l, h, p, v, o, n); }
                @Override public void attention(int l, int h, int p, float[] v, int o, int n) { rec.attention(l, h, p, v, o, n); }
                @Override public void activation(Site site, int l, int p, float[] v, int o, int n) { rec.activation(site, l, p, v, o, n); }
                @Override public void residual(int l, int p, float[] x, int o) { rec.residual(l, p, x, o); }
                @Override public void logits(int p, float[] l) { rec.logits(p, l); }
                @Override public boolean logitsAtEveryPosition() { return true; }
            });
            Generator.Result b = new Generator(probed, lm.tokenizer()).generate(prompt, 200, s, false, (pos, tok, piece, logits) -> {}, () -> false);
            assertArrayEquals(a.tokens(), b.tokens(), "tokens with and without probes, " + s);
            assertTrue(calls.get() > 100, "the probe was called");
        }
    }

    @Test
    void batchedPrefillWithProbeComputesBitwiseWhatItComputesWithout() {
        ModelConfig c = lm.model().config();
        Transformer off = new Transformer(lm.model(), pool), on = new Transformer(lm.model(), pool);
        on.setProbe(new ProbeRecorder(c, tokens.length, RecordOptions.all(3), tokens));
        float[] a = off.prefill(new KvCache(c), tokens, 0, tokens.length, 0, true).clone();
        float[] b = on.prefill(new KvCache(c), tokens, 0, tokens.length, 0, true).clone();
        assertArrayEquals(a, b);
    }

    @Test
    void attentionStepsAgreeWithTheRecordedScoresAndWeights() {
        Inspection in = inspect(tokens, RecordOptions.all(3));
        ModelConfig c = in.config();
        int layer = 2, n = tokens.length;
        float[][] q = Inspector.activations(lm.model(), tokens, Probe.Site.Q_ROPE, layer, pool);
        float[][] k = Inspector.activations(lm.model(), tokens, Probe.Site.K_ROPE, layer, pool);
        assertEquals(c.dim(), q[0].length);
        assertEquals(c.kvDim(), k[0].length);
        for (int h : new int[] {0, 3, 7}) {
            AttentionSteps st = AttentionSteps.of(c, q, k, h);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (j <= i) {
                        assertEquals(in.scores()[layer][h].get(i, j), st.masked()[i * n + j], 1e-5, "score " + i + "," + j);
                        assertEquals(st.raw()[i * n + j], st.masked()[i * n + j]);
                        assertEquals(in.attention()[layer][h].get(i, j), st.softmax()[i * n + j], 1e-6, "weight " + i + "," + j);
                    } else {
                        assertEquals(Float.NEGATIVE_INFINITY, st.masked()[i * n + j]);
                        assertEquals(0f, st.softmax()[i * n + j]);
                        assertTrue(Float.isFinite(st.raw()[i * n + j]), "the raw scores include future keys");
                    }
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Inspector.activations(lm.model(), tokens, Probe.Site.Q, c.nLayers(), pool));
        assertTrue(e.getMessage().contains("layer " + c.nLayers()), e.getMessage());
    }

    @Test
    void aggregatesOverHeads() {
        Inspection in = inspect(tokens, RecordOptions.all(3));
        AttentionMatrix mean = in.aggregate(1, Inspection.Aggregate.MEAN), max = in.aggregate(1, Inspection.Aggregate.MAX);
        int n = tokens.length, heads = in.config().nHeads();
        for (int q = 0; q < n; q++) {
            double rowSum = 0;
            for (int k = 0; k <= q; k++) {
                double s = 0;
                float m = 0;
                for (int h = 0; h < heads; h++) {
                    s += in.attention()[1][h].get(q, k);
                    m = Math.max(m, in.attention()[1][h].get(q, k));
                }
                assertEquals(s / heads, mean.get(q, k), 1e-6);
                assertEquals(m, max.get(q, k));
                rowSum += mean.get(q, k);
            }
            assertEquals(1, rowSum, 1e-5);
        }
        assertArrayEquals(new int[] {2, 3}, in.headsOfKvHead(1), "stories260K: 8 heads over 4 kv heads");
    }

    @Test
    void recorderRefusesPositionsItWasNotSizedFor() {
        ProbeRecorder r = new ProbeRecorder(lm.model().config(), 4, RecordOptions.all(2), null);
        Transformer t = new Transformer(lm.model(), pool);
        t.setProbe(r);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> t.prefill(new KvCache(lm.model().config()), tokens, 0, 6, 0, false));
        assertTrue(e.getMessage().contains("position 4"), e.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> new ProbeRecorder(lm.model().config(), 513, RecordOptions.all(2), null));
        assertTrue(big.getMessage().contains("513"), big.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> inspect(new int[0], RecordOptions.all(2)));
        assertTrue(empty.getMessage().contains("no tokens"), empty.getMessage());
        assertNotNull(inspect(new int[] {1}, RecordOptions.all(2)).predictions()[0]);
    }
}

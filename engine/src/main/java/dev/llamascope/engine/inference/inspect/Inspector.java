package dev.llamascope.engine.inference.inspect;

import dev.llamascope.engine.inference.KvCache;
import dev.llamascope.engine.inference.Probe;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a text through a model with a probe set and returns what it saw. Uses the batched prefill, which reports
 * to probes as decode does, so inspecting costs about one prompt evaluation plus the copies.
 */
public final class Inspector {
    private Inspector() {}

    /** Records a text (BOS first) as the options say. */
    public static Inspection inspect(LlamaModel model, Tokenizer tokenizer, int[] tokens, RecordOptions options,
                                     dev.llamascope.engine.tensor.ComputePool pool) {
        checkTokens(model, tokens);
        if (tokenizer.size() != model.config().vocabSize())
            throw new IllegalArgumentException("vocabulary mismatch: the tokenizer has " + tokenizer.size() + " tokens, the model " + model.config().vocabSize());
        int n = tokens.length;
        ProbeRecorder r = new ProbeRecorder(model.config(), n, options, tokens);
        run(model, tokens, r, pool);
        List<String> pieces = new ArrayList<>(n);
        for (int t : tokens) pieces.add(label(tokenizer, t));
        return new Inspection(model.config(), tokens.clone(), pieces, r.attention(), r.scores(), r.predictions(),
                r.residuals(), r.logits());
    }

    /** One activation of one layer (layer -1 for EMBEDDING and FINAL_NORM) at every position: [pos][width]. */
    public static float[][] activations(LlamaModel model, int[] tokens, Probe.Site site, int layer,
                                        dev.llamascope.engine.tensor.ComputePool pool) {
        return activations(model, tokens, layer, java.util.EnumSet.of(site), pool).get(site);
    }

    /** Several activations of one layer in one pass: per site [pos][width]. */
    public static java.util.Map<Probe.Site, float[][]> activations(LlamaModel model, int[] tokens, int layer,
                                                                   java.util.Set<Probe.Site> sites,
                                                                   dev.llamascope.engine.tensor.ComputePool pool) {
        checkTokens(model, tokens);
        java.util.Map<Probe.Site, float[][]> out = new java.util.EnumMap<>(Probe.Site.class);
        for (Probe.Site site : sites) {
            boolean outside = site == Probe.Site.EMBEDDING || site == Probe.Site.FINAL_NORM;
            if (outside ? layer != -1 : (layer < 0 || layer >= model.config().nLayers()))
                throw new IllegalArgumentException("no " + site + " activation at layer " + layer);
            out.put(site, new float[tokens.length][]);
        }
        run(model, tokens, new Probe() {
            @Override
            public void activation(Site s, int l, int pos, float[] v, int vo, int len) {
                float[][] rows = l == layer ? out.get(s) : null;
                if (rows != null) rows[pos] = java.util.Arrays.copyOfRange(v, vo, vo + len);
            }
        }, pool);
        return out;
    }

    private static void run(LlamaModel model, int[] tokens, Probe probe, dev.llamascope.engine.tensor.ComputePool pool) {
        Transformer t = new Transformer(model, pool);
        t.setProbe(probe);
        t.prefill(new KvCache(model.config(), tokens.length), tokens, 0, tokens.length, 0, false);
    }

    /** A token's piece for labels; control tokens without the line breaks llama2.c's vocabulary puts around "<s>". */
    public static String label(Tokenizer tokenizer, int token) {
        String p = tokenizer.pieceLabel(token);
        return tokenizer.type(token) == Tokenizer.TokenType.CONTROL || token == tokenizer.bos() || token == tokenizer.eos() ? p.strip() : p;
    }

    private static void checkTokens(LlamaModel model, int[] tokens) {
        if (tokens.length < 1) throw new IllegalArgumentException("nothing to inspect: the text has no tokens");
        if (tokens.length > model.config().seqLen())
            throw new IllegalArgumentException("the text has " + tokens.length + " tokens, more than the context of " + model.config().seqLen());
    }
}

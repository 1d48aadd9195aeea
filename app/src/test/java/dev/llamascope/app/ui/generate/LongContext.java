package dev.llamascope.app.ui.generate;

import dev.llamascope.app.ui.TestData;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.engine.inference.Generator;
import dev.llamascope.engine.inference.SamplerSettings;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tensor.ComputePool;
import java.util.Arrays;

/** Test models: stories260K with a longer context (same weights), and a plain greedy reference run. */
final class LongContext {
    private LongContext() {}

    /** stories260K whose context is {@code seq} positions, for generations longer than its 512. */
    static ModelHandle stories260K(int seq) {
        try {
            LoadedModel lm = ModelLoader.load(TestData.stories260K(), TestData.tok512());
            LlamaModel m = lm.model();
            LlamaModel longer = new LlamaModel(m.config().withSeqLen(seq), m.format(), m.source(), m.tokenEmbedding(),
                    m.layers(), m.finalNorm(), m.classifier(), m.arena());
            return new ModelHandle(new LoadedModel(longer, lm.tokenizer()), TestData.stories260K(), TestData.tok512());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Greedy tokens from scratch (no cache reuse): the sequence {@code story[0 .. p)} followed by {@code alt} as the
     * prompt, generated up to {@code steps} positions.
     */
    static int[] greedyFrom(ModelHandle h, int[] story, int p, int alt, int steps) {
        try (ComputePool pool = new ComputePool(1)) {
            Generator g = new Generator(new Transformer(h.loaded().model(), pool), h.loaded().tokenizer());
            int[] prompt = Arrays.copyOf(story, p + 1);
            prompt[p] = alt;
            return g.generate(prompt, steps, SamplerSettings.greedy(), true, (pos, t, b, l) -> {}, () -> false).tokens();
        }
    }
}

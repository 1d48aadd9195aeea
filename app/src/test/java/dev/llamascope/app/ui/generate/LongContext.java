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
     * A small random-weight model (dim 128, 4 layers) with a 4096-token context and the 32000-token Llama-2
     * vocabulary: slow enough (its 32000-way classifier) and unlikely enough to sample BOS/EOS that a human-speed
     * click lands in the middle of a long generation. Written to {@code dir} and loaded from there.
     */
    static ModelHandle randomLongStory(java.nio.file.Path dir) {
        try {
            java.nio.file.Path tok = TestData.file("tokenizers/llama2/tokenizer.bin");
            var c = new dev.llamascope.engine.model.ModelConfig(128, 384, 4, 4, 4, 32000, 4096, true);
            java.nio.file.Path file = dir.resolve("random-long-story.bin");
            dev.llamascope.engine.model.Llama2cCheckpoint.writeV0(file, dev.llamascope.engine.model.FlatWeights.random(c, 1234));
            return new ModelHandle(ModelLoader.load(file, tok), file, tok);
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

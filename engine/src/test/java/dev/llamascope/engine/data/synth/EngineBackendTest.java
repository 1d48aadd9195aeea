package dev.llamascope.engine.data.synth;

import static org.junit.jupiter.api.Assertions.*;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.inference.Generator;
import dev.llamascope.engine.inference.SamplerSettings;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tensor.ComputePool;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineBackendTest {

    @Test
    void ourEngineWritesStoriesIntoTheSameJsonl(@TempDir Path dir) throws Exception {
        Path model = SharedData.file("models/stories260K/stories260K.bin");
        Path tok = SharedData.file("models/stories260K/tok512.bin");
        try (LoadedModel lm = ModelLoader.load(model, tok); ComputePool pool = new ComputePool(1)) {
            Generator g = new Generator(new Transformer(lm.model(), pool), lm.tokenizer());
            EngineBackend b = new EngineBackend(g, SamplerSettings.runC(0.8f, 0.9f, 42), 60, "Once upon a time, {prompt}", "stories260K");
            Completion c = b.complete("Lily");
            assertFalse(c.text().isBlank());
            assertEquals(lm.tokenizer().encode("Once upon a time, Lily", true, false).length, c.promptTokens());
            assertTrue(c.completionTokens() >= 1 && c.completionTokens() <= 60, String.valueOf(c.completionTokens()));
            assertEquals(c, b.complete("Lily"), "the same prompt gives the same story");
            // Greedy decoding is run.c's text: the continuation after the prompt.
            EngineBackend greedy = new EngineBackend(g, SamplerSettings.greedy(), 20, "{prompt}", "stories260K");
            Completion gc = greedy.complete("Once upon a time");
            assertEquals(20, gc.completionTokens());
            assertEquals("length", gc.finishReason());

            List<StoryPrompt> ps = PromptBuilderTest.english().build(new PromptOptions(5, 2, 0, 0, false));
            // A 260K-parameter model cannot follow instructions: the template gives it an opening made of the words.
            EngineBackend opening = new EngineBackend(g, SamplerSettings.runC(1f, 0.9f, 7), 30,
                    "Once upon a time, there was a {adjective} {noun}.", "stories260K");
            var s = new StoryGenerationRun(opening, 2, Pricing.FREE).run(ps, dir.resolve("e.jsonl"), false, null);
            assertEquals(2, s.written());
            List<Map<String, Object>> recs = StoryGenerationRunTest.records(dir.resolve("e.jsonl"));
            assertEquals("stories260K", recs.get(0).get("model"));
            assertNotEquals(recs.get(0).get("story"), recs.get(1).get("story"));
        }
    }

    @Test
    void aPromptLongerThanTheContextIsRefused() throws Exception {
        Path model = SharedData.file("models/stories260K/stories260K.bin");
        try (LoadedModel lm = ModelLoader.load(model, SharedData.file("models/stories260K/tok512.bin")); ComputePool pool = new ComputePool(1)) {
            EngineBackend b = new EngineBackend(new Generator(new Transformer(lm.model(), pool), lm.tokenizer()),
                    SamplerSettings.greedy(), 10, "{prompt}", "m");
            GenerationException e = assertThrows(GenerationException.class, () -> b.complete("word ".repeat(600)));
            assertTrue(e.getMessage().contains("context only 512"), e.getMessage());
        }
    }
}

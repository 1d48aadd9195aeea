package dev.llamascope.app.ui.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.app.ui.TestData;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.engine.inference.Generator;
import dev.llamascope.engine.inference.SamplerSettings;
import dev.llamascope.engine.model.ModelLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine side of the Generate pane, without JavaFX: events, text, cache reuse on branches. */
class GenerationEngineTest {
    private static ModelHandle stories260K() throws Exception {
        return new ModelHandle(ModelLoader.load(TestData.stories260K(), TestData.tok512()), TestData.stories260K(), TestData.tok512());
    }

    private static String text(List<StreamEvent> events) {
        StringBuilder sb = new StringBuilder();
        for (StreamEvent e : events) {
            if (e instanceof StreamEvent.Token t) sb.append(t.token().text());
            if (e instanceof StreamEvent.Finished f) sb.append(f.trailingText());
        }
        return sb.toString();
    }

    @Test
    void greedyEventsSpellRunCsTextAndEndWithFinished() throws Exception {
        ModelHandle h = stories260K();
        GenerationEngine engine = new GenerationEngine();
        List<StreamEvent> events = new ArrayList<>();
        engine.run(h, GenerationRequest.story("Once upon a time", 196, SamplerSettings.greedy(), 1), events::add, () -> false);
        assertInstanceOf(StreamEvent.Started.class, events.getFirst());
        StreamEvent.Finished f = assertInstanceOf(StreamEvent.Finished.class, events.getLast());
        assertEquals(Generator.StopReason.LENGTH, f.result().stopReason());
        assertEquals(TestData.reference("stories260K__greedy_once.txt"), text(events));
        // prompt tokens have no odds; generated ones have their probability and alternatives
        StreamEvent.Token first = (StreamEvent.Token) events.get(1);
        assertTrue(first.token().prompt());
        StreamEvent.Token last = (StreamEvent.Token) events.get(events.size() - 2);
        assertNotNull(last.token().odds());
        assertEquals(last.token().id(), last.token().odds().ids()[0], "greedy takes the most likely token");
        engine.close();
        h.retire();
        assertTrue(h.isClosed());
    }

    @Test
    void aBranchReusesTheCacheAndEqualsAFreshRun() throws Exception {
        ModelHandle h = stories260K();
        GenerationEngine engine = new GenerationEngine();
        engine.run(h, GenerationRequest.story("Once upon a time", 60, SamplerSettings.greedy(), 1), e -> {}, () -> false);
        int[] story = engine.tokens();
        int p = 20;
        List<StreamEvent> events = new ArrayList<>();
        TokenOdds odds = new TokenOdds(0.5f, new int[]{story[p], 42}, new float[]{0.5f, 0.2f});
        engine.run(h, GenerationRequest.branch(p, 42, odds, 60, SamplerSettings.greedy(), 1), events::add, () -> false);
        int[] branched = engine.tokens();
        // only the branch point and what follows are sent
        StreamEvent.Token firstSent = (StreamEvent.Token) events.get(1);
        assertEquals(p, firstSent.token().pos());
        assertEquals(42, firstSent.token().id());
        assertEquals(0.2f, firstSent.token().probability());

        GenerationEngine fresh = new GenerationEngine();
        int[] prompt = java.util.Arrays.copyOf(story, p + 1);
        prompt[p] = 42;
        String promptText = h.loaded().tokenizer().decode(java.util.Arrays.copyOf(prompt, p + 1));
        assertTrue(promptText.length() > 0);
        try (var pool = new dev.llamascope.engine.tensor.ComputePool(1)) {
            var g = new Generator(new dev.llamascope.engine.inference.Transformer(h.loaded().model(), pool), h.loaded().tokenizer());
            int[] expected = g.generate(prompt, story.length - 1, SamplerSettings.greedy(), true, (a, b, c, d) -> {}, () -> false).tokens();
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(branched));
        }
        fresh.close();
        engine.close();
    }

    @Test
    void tooLongAPromptFailsWithAMessage() throws Exception {
        ModelHandle h = stories260K();
        GenerationEngine engine = new GenerationEngine();
        List<StreamEvent> events = new ArrayList<>();
        engine.run(h, GenerationRequest.story("word ".repeat(600), 10, SamplerSettings.greedy(), 1), events::add, () -> false);
        StreamEvent.Failed f = assertInstanceOf(StreamEvent.Failed.class, events.getLast());
        assertTrue(f.error().getMessage().contains("more than the model's context of 512"), f.error().getMessage());
        engine.close();
    }

    @Test
    void aRetiredModelIsNotUsed() throws Exception {
        ModelHandle h = stories260K();
        h.retire();
        List<StreamEvent> events = new ArrayList<>();
        new GenerationEngine().run(h, GenerationRequest.story("Hi", 5, SamplerSettings.greedy(), 1), events::add, () -> false);
        assertInstanceOf(StreamEvent.Failed.class, events.getFirst());
    }
}

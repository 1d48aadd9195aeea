package dev.llamascope.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataOrder;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.data.TokenStream;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.model.ModelShapes;
import dev.llamascope.engine.model.LoadedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Putting a run together (shared by the train command and the window): the model, the tokenizer, the data split. */
class TrainSetupTest {
    @TempDir
    Path tmp;

    private static TrainConfig config(int batch, int seq, int evalEvery) {
        return new TrainConfig(batch, seq, 10, 1, new LrSchedule(LrSchedule.Kind.COSINE, 5e-4, 2, 5e-5, 10), new AdamW(0.9, 0.95, 1e-8, 0.1),
                1f, 0f, DataOrder.SHUFFLE, 7, evalEvery, 8, 0);
    }

    @Test
    void aCopyOfALoadedModelWithAHeldOutFraction() throws Exception {
        Path model = SharedData.file("models/stories260K/stories260K.bin"), tok = SharedData.file("models/stories260K/tok512.bin");
        List<String> lines = Files.readAllLines(SharedData.file("data/tinystories-sample.txt")).stream().filter(l -> !l.isBlank()).limit(40).toList();
        Path data = Files.write(tmp.resolve("few.txt"), lines);
        try (LoadedModel m = ModelLoader.load(model, tok)) {
            TrainInit init = TrainInit.copyOf(m.model(), m.tokenizer(), "stories260K.bin");
            assertEquals(m.model().config(), init.config());
            assertEquals(m.model().config().parameterCount(), init.weights().data().length);
            assertNull(init.state());
            TrainSetup s = TrainSetup.prepare(init, null, new TrainSetup.DataChoice(data, DataFormat.AUTO, PromptTemplate.ALPACA, null, 0.25),
                    config(4, 32, 5), 1, false);
            assertTrue(s.trainLoader().set() instanceof TokenStream);
            assertNotNull(s.evalLoader());
            int all = s.trainLoader().units() + s.evalLoader().units();
            assertEquals(Math.round(all * 0.25), s.evalLoader().units(), 1.0, "a quarter of the windows held out");
            assertEquals(32, s.spec().seq());
            assertEquals(m.tokenizer(), s.tokenizer());

            TrainSetup none = TrainSetup.prepare(init, tok, new TrainSetup.DataChoice(data, DataFormat.TEXT, PromptTemplate.ALPACA, null, 0),
                    config(4, 32, 0), 1, false);
            assertNull(none.evalLoader(), "no eval data without a fraction or a file");
            assertEquals(512, none.tokenizer().size(), "the tokenizer file, read against the model's vocabulary");

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainSetup.prepare(
                    TrainInit.shape(ModelShapes.parse("stories260K"), 1), tok,
                    new TrainSetup.DataChoice(data, DataFormat.AUTO, PromptTemplate.ALPACA, null, 0),
                    new TrainConfig(4, 1024, 10, 1, new LrSchedule(LrSchedule.Kind.CONSTANT, 1e-3, 0, 0, 10), new AdamW(0.9, 0.95, 1e-8, 0), 1f, 0f,
                            DataOrder.SEQUENTIAL, 1, 0, 8, 0), 1, false));
            assertEquals("seq 1024 is longer than the model's context of 512", e.getMessage());
        }
    }

    @Test
    void needsATokenizerForEverythingButTokenFiles() {
        assertTrue(TrainInit.needsTokenizer(DataFormat.AUTO, Path.of("a.txt"), false));
        assertTrue(!TrainInit.needsTokenizer(DataFormat.AUTO, Path.of("a.u16"), false));
        assertTrue(TrainInit.needsTokenizer(DataFormat.AUTO, Path.of("a.u16"), true), "samples need one");
        assertTrue(!TrainInit.needsTokenizer(DataFormat.TOKENS, Path.of("a.txt"), false));
        assertTrue(TrainInit.needsTokenizer(DataFormat.ALPACA, Path.of("a.bin"), false));
    }
}

package dev.llamascope.engine.model.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llamascope.engine.RunCases;
import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.model.LoadOptions;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GgufModelTest {
    /** The GGUF files state a context of 128 (llama2.c's converter default); the model was trained with 512. */
    private static final LoadOptions CONTEXT_512 = LoadOptions.DEFAULT.withContextLength(512);

    @Test
    void stories260KF32GivesRunCTexts() throws Exception {
        runCases("models/stories260K/stories260K.f32.gguf");
    }

    @Test
    void stories260KF16GivesRunCTexts() throws Exception {
        runCases("models/stories260K/stories260K.F16.gguf");
    }

    private static void runCases(String gguf) throws Exception {
        Path file = SharedData.file(gguf);
        try (LoadedModel lm = ModelLoader.load(file, null, CONTEXT_512)) {
            for (RunCases.Case c : RunCases.stories260KRunC()) {
                assertEquals(c.expected(), RunCases.generate(lm, c), c.name() + " on " + gguf);
            }
        }
    }
}

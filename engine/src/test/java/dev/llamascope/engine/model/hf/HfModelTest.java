package dev.llamascope.engine.model.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.RunCases;
import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HfModelTest {
    @Test
    void stories260KFolderGivesRunCTexts() throws Exception {
        Path dir = SharedData.file("models/stories260K/hf");
        try (LoadedModel lm = ModelLoader.load(dir, null)) {
            assertTrue(lm.model().format().contains("safetensors"), lm.model().format());
            assertEquals(512, lm.model().config().seqLen());
            for (RunCases.Case c : RunCases.stories260KRunC()) {
                assertEquals(c.expected(), RunCases.generate(lm, c), c.name());
            }
        }
    }
}

package dev.llamascope.engine.model.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.model.ModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixtures are written by src/test/resources/fixtures/torch/make_fixtures.py (Python's pickle, no torch). */
class TorchCheckpointTest {
    static Path fixture(String name) throws Exception {
        return Path.of(TorchCheckpointTest.class.getResource("/fixtures/torch/" + name).toURI());
    }

    @Test
    void pytorchBinEqualsSafetensors() throws Exception {
        try (LlamaModel bin = ModelLoader.loadWeights(fixture("tiny")); LlamaModel st = ModelLoader.loadWeights(fixture("tiny-st"))) {
            assertEquals("Hugging Face pytorch_model.bin", bin.format());
            assertEquals("F32,F16,BF16", bin.weightTypes());
            assertEquals(bin.config(), st.config());
            assertFalse(bin.config().sharedClassifier());
            float[] a = FlatWeights.of(bin).data(), b = FlatWeights.of(st).data();
            assertArrayEquals(b, a);
            assertTrue(a[0] != 0f);
        }
    }

    @Test
    void shardedCheckpointsEqualTheSingleFile() throws Exception {
        try (LlamaModel st = ModelLoader.loadWeights(fixture("tiny-st"));
             LlamaModel sharded = ModelLoader.loadWeights(fixture("tiny-sharded"));
             LlamaModel shardedBin = ModelLoader.loadWeights(fixture("tiny-sharded-bin"))) {
            assertEquals("Hugging Face safetensors (sharded)", sharded.format());
            float[] a = FlatWeights.of(st).data();
            assertArrayEquals(a, FlatWeights.of(sharded).data());
            assertArrayEquals(a, FlatWeights.of(shardedBin).data());
        }
    }

    @Test
    void missingShardIsNamed(@TempDir Path tmp) throws Exception {
        for (String f : new String[]{"config.json", "model.safetensors.index.json", "model-00001-of-00002.safetensors"}) {
            Files.copy(fixture("tiny-sharded").resolve(f), tmp.resolve(f));
        }
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(tmp));
        assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void refusesPickleThatCallsSystem() throws Exception {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(fixture("evil-system")));
        assertTrue(e.getMessage().contains("'posix.system'") && e.getMessage().contains("refusing"), e.getMessage());
        assertTrue(e.getMessage().contains("pytorch_model.bin"), e.getMessage());
        assertFalse(Files.exists(Path.of("/tmp/llamascope-pwned")));
    }

    @Test
    void refusesPickleThatCallsEval() throws Exception {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(fixture("evil-eval")));
        assertTrue(e.getMessage().contains("'__builtin__.eval'"), e.getMessage());
    }

    @Test
    void truncatedZipIsAClearError(@TempDir Path tmp) throws Exception {
        Files.copy(fixture("tiny").resolve("config.json"), tmp.resolve("config.json"));
        byte[] b = Files.readAllBytes(fixture("tiny").resolve("pytorch_model.bin"));
        Files.write(tmp.resolve("pytorch_model.bin"), java.util.Arrays.copyOf(b, b.length * 2 / 3));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(tmp));
        assertTrue(e.getMessage().contains("pytorch_model.bin") && e.getMessage().contains("truncated"), e.getMessage());
    }
}

package dev.llamascope.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.inference.KvCache;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.tensor.ComputePool;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    @Test
    void readsTheHeaderOfEachVersion() throws Exception {
        try (LlamaModel v0 = Llama2cCheckpoint.read(SharedData.file("models/stories260K/stories260K.bin"));
             LlamaModel v1 = Llama2cCheckpoint.read(SharedData.file("models/stories260K/stories260K.v1.bin"));
             LlamaModel v2 = Llama2cCheckpoint.read(SharedData.file("models/stories260K/stories260K.v2_q80_gs4.bin"))) {
            ModelConfig expected = new ModelConfig(64, 172, 5, 8, 4, 512, 512, true);
            assertEquals(expected, v0.config());
            assertEquals(expected, v1.config());
            assertEquals(expected, v2.config());
            assertEquals("llama2.c v0", v0.format());
            assertEquals("F32", v0.weightTypes());
            assertEquals("Q8(gs4)", v2.weightTypes());
            assertEquals(260_032, expected.parameterCount());
            // v0 and v1 hold the same weights in another order
            float[] a = new float[64], b = new float[64];
            for (int r : new int[]{0, 100, 511}) {
                v0.tokenEmbedding().readRow(r, a, 0);
                v1.tokenEmbedding().readRow(r, b, 0);
                assertArrayEquals(a, b);
            }
            float[] c = new float[172], d = new float[172];
            v0.layers().get(4).w2().readRow(63, c, 0);
            v1.layers().get(4).w2().readRow(63, d, 0);
            assertArrayEquals(c, d);
            assertArrayEquals(v0.finalNorm(), v1.finalNorm());
        }
    }

    @Test
    void v0WriterRoundTripsAndMatchesTheOfficialSize() throws Exception {
        Path out = dir.resolve("copy.bin");
        try (LlamaModel m = Llama2cCheckpoint.read(SharedData.file("models/stories260K/stories260K.bin"))) {
            Llama2cCheckpoint.writeV0(out, FlatWeights.of(m));
        }
        byte[] original = Files.readAllBytes(SharedData.file("models/stories260K/stories260K.bin"));
        byte[] copy = Files.readAllBytes(out);
        assertEquals(original.length, copy.length);
        // everything but the RoPE tables (which run.c never reads) is bit-identical
        int tables = 512 * 8 * 4;
        int before = original.length - tables;
        assertArrayEquals(Arrays.copyOf(original, before), Arrays.copyOf(copy, before));
        // the stories15M shape gives the official file size
        assertEquals(60_816_028L, Llama2cCheckpoint.expectedBytes(0, ModelShapes.parse("stories15M"), 0));
    }

    @Test
    void unsharedClassifierRoundTrips() throws Exception {
        ModelConfig c = new ModelConfig(16, 40, 2, 4, 2, 32, 24, false);
        FlatWeights w = FlatWeights.random(c, 7);
        Path out = dir.resolve("unshared.bin");
        Llama2cCheckpoint.writeV0(out, w);
        ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(-32, h.getInt(20), "a separate classifier is marked by a negative vocab_size");
        try (LlamaModel m = Llama2cCheckpoint.read(out)) {
            assertEquals(c, m.config());
            assertTrue(m.classifier() != m.tokenEmbedding());
            assertArrayEquals(w.data(), FlatWeights.of(m).data());
            try (ComputePool pool = new ComputePool(1)) {
                float[] logits = new Transformer(m, pool).forward(new KvCache(c), 3, 0);
                assertTrue(Float.isFinite(logits[0]));
            }
        }
    }

    // ---- bad input: each a one-line message naming the file and the problem ----

    private String error(Path p) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> {
            try (LlamaModel m = ModelLoader.loadWeights(p)) {
                m.config();
            }
        });
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] header(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    @Test
    void truncatedFile() throws Exception {
        byte[] good = Files.readAllBytes(SharedData.file("models/stories260K/stories260K.bin"));
        assertTrue(error(write("cut.bin", Arrays.copyOf(good, good.length / 2))).contains("truncated"));
        byte[] v1 = Files.readAllBytes(SharedData.file("models/stories260K/stories260K.v1.bin"));
        assertTrue(error(write("cut-v1.bin", Arrays.copyOf(v1, 100))).contains("truncated"));
    }

    @Test
    void headerInconsistentWithSize() throws Exception {
        byte[] good = Files.readAllBytes(SharedData.file("models/stories260K/stories260K.bin"));
        byte[] longer = Arrays.copyOf(good, good.length + 4);
        assertTrue(error(write("long.bin", longer)).contains("does not match the file size"));
    }

    @Test
    void negativeOrAbsurdDims() throws Exception {
        String m = error(write("neg.bin", header(-64, 172, 5, 8, 4, 512, 512)));
        assertTrue(m.contains("dim"), m);
        m = error(write("huge.bin", header(64, 172, 5, 8, 4, 512, Integer.MAX_VALUE)));
        assertTrue(m.contains("seq_len"), m);
        m = error(write("zero-heads.bin", header(64, 172, 5, 0, 4, 512, 512)));
        assertTrue(m.contains("n_heads"), m);
        m = error(write("kv.bin", header(64, 172, 5, 8, 3, 512, 512)));
        assertTrue(m.contains("n_kv_heads"), m);
        // plausible dims that would need terabytes: refused from the size check, nothing allocated
        m = error(write("big.bin", header(65536, 262144, 1024, 256, 256, 1 << 20, 1 << 20)));
        assertTrue(m.contains("truncated"), m);
    }

    @Test
    void unknownMagicAndVersion() throws Exception {
        byte[] text = "hello, this is not a model at all, just some text to fill thirty bytes".getBytes();
        assertTrue(error(write("text.bin", text)).contains("not a llama2.c checkpoint"));
        byte[] v7 = new byte[300];
        ByteBuffer.wrap(v7).order(ByteOrder.LITTLE_ENDIAN).putInt(Llama2cCheckpoint.MAGIC).putInt(7);
        assertTrue(error(write("v7.bin", v7)).contains("version 7"));
    }

    @Test
    void emptyFileAndDirectory() throws Exception {
        assertTrue(error(write("empty.bin", new byte[0])).contains("empty"));
        Path d = Files.createDirectory(dir.resolve("folder"));
        assertTrue(error(d).contains("folder"));
    }

    @Test
    void int8GroupSizeThatDoesNotDivide() throws Exception {
        byte[] v2 = Files.readAllBytes(SharedData.file("models/stories260K/stories260K.v2_q80_gs4.bin"));
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(37, 48);
        String m = error(write("gs48.bin", v2));
        assertTrue(m.contains("group size 48") && m.contains("does not divide"), m);
    }

    @Test
    void tokenizerOfAnotherVocabulary() throws Exception {
        // The files are looked up outside assertThrows: without ../shared the test is skipped, not failed.
        Path model = SharedData.file("models/stories260K/stories260K.bin");
        Path tokenizer = SharedData.file("tokenizers/llama2/tokenizer.bin");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.load(model, tokenizer));
        assertTrue(e.getMessage().contains("32000") && e.getMessage().contains("512"), e.getMessage());
    }

    @Test
    void shapes() {
        assertEquals(new ModelConfig(288, 768, 6, 6, 6, 32000, 256, true), ModelShapes.parse("stories15M"));
        assertEquals(new ModelConfig(768, 2268, 12, 12, 12, 3000, 768, true), ModelShapes.parse("zh93M"));
        assertEquals(new ModelConfig(64, 172, 5, 8, 4, 512, 512, false), ModelShapes.parse("dim=64,hidden=172,layers=5,heads=8,kv=4,vocab=512,seq=512,shared=false"));
        assertThrows(IllegalArgumentException.class, () -> ModelShapes.parse("stories1B"));
        assertThrows(IllegalArgumentException.class, () -> ModelShapes.parse("dim=64,hidden=x"));
        assertThrows(IllegalArgumentException.class, () -> ModelShapes.parse("dim=64,hidden=172,layers=5,heads=8,vocab=512,seq=512,color=red"));
    }
}

package dev.llamascope.engine.model.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.model.ModelLoader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged GGUF files get one-line messages naming the file and the problem, never a crash or a huge allocation. */
class GgufBadInputTest {
    /** A GGUF image with one metadata string and one tensor. */
    private static byte[] gguf(int magic, long tensorType, long offset, long dim0, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(magic).putInt(3).putLong(1).putLong(1);
        str(b, "general.architecture");
        b.putInt(GgufFile.STRING);
        str(b, "llama");
        str(b, "token_embd.weight");
        b.putInt(2).putLong(dim0).putLong(4).putInt((int) tensorType).putLong(offset);
        while (b.position() % 32 != 0) b.put((byte) 0);
        b.put(new byte[dataBytes]);
        return Arrays.copyOf(b.array(), b.position());
    }

    private static void str(ByteBuffer b, String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        b.putLong(u.length).put(u);
    }

    private static String error(Path dir, byte[] content) throws Exception {
        Path f = dir.resolve("bad.gguf");
        Files.write(f, content);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void wellFormedImageParses() throws Exception {
        byte[] ok = gguf(GgufFile.MAGIC, GgmlType.F32.id, 0, 8, 8 * 4 * 4);
        GgufFile g = GgufFile.parse(Path.of("ok.gguf"), java.lang.foreign.MemorySegment.ofArray(ok));
        assertEquals("llama", g.string("general.architecture", null));
        assertEquals(1, g.tensors().size());
    }

    @Test
    void wrongMagic(@TempDir Path dir) throws Exception {
        String m = error(dir, gguf(0x58554747, GgmlType.F32.id, 0, 8, 128));
        assertTrue(m.contains("wrong magic"), m);
    }

    @Test
    void unknownTensorType(@TempDir Path dir) throws Exception {
        String m = error(dir, gguf(GgufFile.MAGIC, 99, 0, 8, 128));
        assertTrue(m.contains("unknown tensor type 99") && m.contains("token_embd.weight"), m);
    }

    @Test
    void unsupportedTensorType(@TempDir Path dir) throws Exception {
        byte[] b = gguf(GgufFile.MAGIC, GgmlType.Q2_K.id, 0, 256, 84 * 4);
        Path f = dir.resolve("q2k.gguf");
        Files.write(f, b);
        GgufFile.Tensor t = GgufFile.parse(f, java.lang.foreign.MemorySegment.ofArray(b)).tensors().get("token_embd.weight");
        assertEquals(GgmlType.Q2_K, t.type());
        assertTrue(!t.type().supported());
    }

    @Test
    void tensorOffsetPastTheEnd(@TempDir Path dir) throws Exception {
        String m = error(dir, gguf(GgufFile.MAGIC, GgmlType.F32.id, 1 << 20, 8, 128));
        assertTrue(m.contains("runs past the end of the file"), m);
    }

    @Test
    void tensorDataCutShort(@TempDir Path dir) throws Exception {
        String m = error(dir, gguf(GgufFile.MAGIC, GgmlType.F32.id, 0, 8, 100));
        assertTrue(m.contains("token_embd.weight") && m.contains("runs past the end"), m);
    }

    @Test
    void absurdCountsAreCheckedBeforeAllocating(@TempDir Path dir) throws Exception {
        byte[] b = gguf(GgufFile.MAGIC, GgmlType.F32.id, 0, 8, 128);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(16, Long.MAX_VALUE / 2); // metadata count
        String m = error(dir, b);
        assertTrue(m.contains("metadata entries cannot fit"), m);
        byte[] c = gguf(GgufFile.MAGIC, GgmlType.F32.id, 0, 8, 128);
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(24 + 8 + "general.architecture".length() + 4, 1L << 40); // string length
        m = error(dir, c);
        assertTrue(m.contains("truncated") && m.contains("general.architecture"), m);
    }

    @Test
    void truncatedRealFiles(@TempDir Path dir) throws Exception {
        byte[] full = Files.readAllBytes(SharedData.file("models/stories260K/stories260K.Q4_K_M.gguf"));
        String m = error(dir, Arrays.copyOf(full, 2000));
        assertTrue(m.contains("truncated") && m.contains("tokenizer.ggml.tokens"), m);
        m = error(dir, Arrays.copyOf(full, full.length - 100));
        assertTrue(m.contains("runs past the end of the file"), m);
    }

    @Test
    void vocabularyOnlyFileIsNotAModel() throws Exception {
        Path f = SharedData.file("tokenizers/gguf-vocab/ggml-vocab-llama-spm.gguf");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(f));
        assertTrue(e.getMessage().contains("has no tensors"), e.getMessage());
    }

    @Test
    void notLlama(@TempDir Path dir) throws Exception {
        byte[] b = gguf(GgufFile.MAGIC, GgmlType.F32.id, 0, 8, 128);
        byte[] fixed = new String(b, StandardCharsets.ISO_8859_1).replace("llama", "qwen2").getBytes(StandardCharsets.ISO_8859_1);
        String m = error(dir, fixed);
        assertTrue(m.contains("architecture 'qwen2' is not supported"), m);
    }

    @Test
    void safetensorsHeaderClaimingMoreThanTheFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"hidden_size\":8,\"intermediate_size\":16,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":2,\"vocab_size\":4}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1_000_000).array());
        out.write("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("model.safetensors"), out.toByteArray());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(dir));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("header claims 1000000 bytes"), e.getMessage());

        out.reset();
        byte[] h = "{\"model.embed_tokens.weight\":{\"dtype\":\"F32\",\"shape\":[4,8],\"data_offsets\":[0,128]}}".getBytes(StandardCharsets.UTF_8);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(new byte[64]);
        Files.write(dir.resolve("model.safetensors"), out.toByteArray());
        e = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(dir));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("model.embed_tokens.weight"), e.getMessage());
    }
}

package dev.llamascope.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.RunCases;
import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.model.ModelExporter.Target;
import dev.llamascope.engine.model.gguf.GgufFile;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportRoundTripTest {
    private static final String V0 = "models/stories260K/stories260K.bin", TOK = "models/stories260K/tok512.bin";

    @Test
    void v0ToHfToV0(@TempDir Path tmp) throws Exception {
        roundTrip(tmp, Target.HF, tmp.resolve("hf"));
    }

    @Test
    void v0ToGgufF32ToV0(@TempDir Path tmp) throws Exception {
        roundTrip(tmp, Target.GGUF, tmp.resolve("m.gguf"));
    }

    /**
     * The weights come back bit for bit. The written v0 file equals the original except in the RoPE tables run.c
     * never reads (the original's were computed by PyTorch's cos/sin, ours by Java's); a file written here goes
     * through the same round trip byte for byte.
     */
    private static void roundTrip(Path tmp, Target target, Path mid) throws Exception {
        Path original = SharedData.file(V0);
        try (LoadedModel lm = ModelLoader.load(original, SharedData.file(TOK))) {
            FlatWeights w = FlatWeights.of(lm.model());
            ModelExporter.export(w, lm.tokenizer(), mid, target, null, "stories260K");
            Path back = tmp.resolve("back.bin");
            try (LoadedModel m2 = ModelLoader.load(mid, null, LoadOptions.DEFAULT.withContextLength(512))) {
                assertEquals(lm.model().config(), m2.model().config());
                assertArrayEquals(w.data(), FlatWeights.of(m2.model()).data());
                Llama2cCheckpoint.writeV0(back, FlatWeights.of(m2.model()));
                for (RunCases.Case c : RunCases.stories260KRunC()) assertEquals(c.expected(), RunCases.generate(m2, c), c.name());
            }
            byte[] a = Files.readAllBytes(original), b = Files.readAllBytes(back);
            assertEquals(a.length, b.length);
            long tables = 4L * (w.offset(FlatWeights.Kind.FINAL_NORM, 0) + w.config().dim()) + Llama2cCheckpoint.V0_HEADER;
            long tableBytes = 4L * w.config().seqLen() * w.config().headSize();
            int first = Arrays.mismatch(a, b);
            assertTrue(first == -1 || first >= tables, "first difference at byte " + first + ", before the RoPE tables at " + tables);
            assertArrayEquals(Arrays.copyOfRange(a, (int) (tables + tableBytes), a.length), Arrays.copyOfRange(b, (int) (tables + tableBytes), b.length));
            // A file written here survives the round trip byte for byte, tables included.
            try (LoadedModel again = ModelLoader.load(back, SharedData.file(TOK))) {
                Path mid2 = tmp.resolve("again-" + mid.getFileName());
                ModelExporter.export(FlatWeights.of(again.model()), again.tokenizer(), mid2, target, null, "stories260K");
                try (LlamaModel m3 = ModelLoader.loadWeights(mid2, LoadOptions.DEFAULT.withContextLength(512))) {
                    Path back2 = tmp.resolve("back2.bin");
                    Llama2cCheckpoint.writeV0(back2, FlatWeights.of(m3));
                    assertArrayEquals(b, Files.readAllBytes(back2));
                }
            }
        }
    }

    /** Our Q8_0 and Q4_0 quantizers write exactly the bytes llama.cpp's quantizer wrote for the pr468 model. */
    @Test
    void ggufQuantizationMatchesLlamaCpp(@TempDir Path tmp) throws Exception {
        for (String type : new String[]{"q8_0", "q4_0"}) {
            Path ours = tmp.resolve(type + ".gguf");
            try (LoadedModel lm = ModelLoader.load(SharedData.file("models/pr468-v2/pr468.f32.gguf"), null)) {
                ModelExporter.export(FlatWeights.of(lm.model()), lm.tokenizer(), ours, Target.GGUF, type, "pr468");
            }
            Path theirs = SharedData.file("models/pr468-v2/pr468." + type.toUpperCase() + ".gguf");
            try (Arena arena = Arena.ofConfined()) {
                GgufFile a = GgufFile.open(ours, arena), b = GgufFile.open(theirs, arena);
                int compared = 0;
                for (GgufFile.Tensor tb : b.tensors().values()) {
                    String name = tb.name().equals("output.weight") && !a.tensors().containsKey("output.weight") ? "token_embd.weight" : tb.name();
                    GgufFile.Tensor ta = a.tensors().get(name);
                    assertEquals(tb.type(), ta.type(), tb.name());
                    MemorySegment sa = a.segment().asSlice(ta.offset(), ta.bytes()), sb = b.segment().asSlice(tb.offset(), tb.bytes());
                    assertEquals(-1, sa.mismatch(sb), type + " " + tb.name() + " differs");
                    compared++;
                }
                assertEquals(b.tensors().size(), compared);
            }
        }
    }

    /** llama2.c's export.py with group size 4 wrote stories260K.v2_q80_gs4.bin: our version 2 writer gives its bytes. */
    @Test
    void llama2cV2MatchesExportPy(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("v2.bin");
        try (LlamaModel m = ModelLoader.loadWeights(SharedData.file(V0))) {
            ModelExporter.export(FlatWeights.of(m), null, out, Target.LLAMA2C_V2, "gs4", null);
        }
        assertArrayEquals(Files.readAllBytes(SharedData.file("models/stories260K/stories260K.v2_q80_gs4.bin")), Files.readAllBytes(out));
    }

    /** The vocabulary survives GGUF and tokenizer.json exports: same pieces, types and encodings. */
    @Test
    void tokenizerSurvivesExports(@TempDir Path tmp) throws Exception {
        Tokenizer t = ModelLoader.TokenizerLoader.read(SharedData.file(TOK));
        try (LlamaModel m = ModelLoader.loadWeights(SharedData.file(V0))) {
            ModelExporter.export(FlatWeights.of(m), t, tmp.resolve("hf"), Target.HF, "f16", null);
            ModelExporter.export(FlatWeights.of(m), t, tmp.resolve("m.gguf"), Target.GGUF, "f16", "x");
        }
        for (Path p : new Path[]{tmp.resolve("hf/tokenizer.json"), tmp.resolve("m.gguf")}) {
            Tokenizer u = ModelLoader.TokenizerLoader.read(p);
            assertEquals(t.size(), u.size());
            for (String s : Files.readAllLines(SharedData.file("reference/tokenizer/prompts_mixed.txt"))) {
                assertEquals(Arrays.toString(t.encode(s, true, false)), Arrays.toString(u.encode(s, true, false)), p + ": " + s);
            }
        }
    }
}

package dev.llamascope.engine.model.gguf;

import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.FlatWeights.Kind;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.tensor.GgmlQuantizer;
import dev.llamascope.engine.tensor.Half;
import dev.llamascope.engine.tokenizer.SentencePieces;
import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.util.AtomicFiles;
import dev.llamascope.engine.util.LittleEndianOutput;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a Llama model as a GGUF v3 file that llama.cpp and Ollama load: the llama.* hyperparameters, the
 * SentencePiece vocabulary in tokenizer.ggml.*, and the tensors under llama.cpp's names in F32, F16, Q8_0 or Q4_0
 * (quantized with ggml's reference rounding). Norms stay F32; a matrix whose rows are not whole 32-value blocks is
 * written F16. With a shared classifier there is no output.weight (llama.cpp then uses token_embd). q and k are
 * written in run.c's row order, which is GGUF's.
 */
public final class GgufWriter {
    private GgufWriter() {}

    /** The tensor types a file can be written in. */
    public static final List<GgmlType> TYPES = List.of(GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0);

    private record Entry(String name, Kind kind, int layer, GgmlType type) {}

    public static void write(Path file, FlatWeights w, Tokenizer tok, GgmlType type, String name) throws IOException {
        if (!TYPES.contains(type)) throw new IllegalArgumentException("GGUF files are written as F32, F16, Q8_0 or Q4_0, not " + type);
        ModelConfig c = w.config();
        if (tok == null) throw new IllegalArgumentException("a GGUF file needs the model's vocabulary: no tokenizer was given");
        if (tok.size() != c.vocabSize())
            throw new IllegalArgumentException("the tokenizer has " + tok.size() + " tokens, the model " + c.vocabSize());
        List<Entry> tensors = new ArrayList<>();
        tensors.add(new Entry("token_embd.weight", Kind.EMBEDDING, 0, matrixType(type, c.dim())));
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "blk." + l + ".";
            tensors.add(new Entry(p + "attn_norm.weight", Kind.ATTN_NORM, l, GgmlType.F32));
            tensors.add(new Entry(p + "attn_q.weight", Kind.WQ, l, matrixType(type, c.dim())));
            tensors.add(new Entry(p + "attn_k.weight", Kind.WK, l, matrixType(type, c.dim())));
            tensors.add(new Entry(p + "attn_v.weight", Kind.WV, l, matrixType(type, c.dim())));
            tensors.add(new Entry(p + "attn_output.weight", Kind.WO, l, matrixType(type, c.dim())));
            tensors.add(new Entry(p + "ffn_norm.weight", Kind.FFN_NORM, l, GgmlType.F32));
            tensors.add(new Entry(p + "ffn_gate.weight", Kind.W1, l, matrixType(type, c.dim())));
            tensors.add(new Entry(p + "ffn_down.weight", Kind.W2, l, matrixType(type, c.hiddenDim())));
            tensors.add(new Entry(p + "ffn_up.weight", Kind.W3, l, matrixType(type, c.dim())));
        }
        tensors.add(new Entry("output_norm.weight", Kind.FINAL_NORM, 0, GgmlType.F32));
        if (!c.sharedClassifier()) tensors.add(new Entry("output.weight", Kind.CLASSIFIER, 0, matrixType(type, c.dim())));

        Map<String, Object> kv = metadata(c, tok, type, name);
        int alignment = GgufFile.DEFAULT_ALIGNMENT;
        AtomicFiles.write(file, out -> {
            LittleEndianOutput o = new LittleEndianOutput(out);
            o.i32(GgufFile.MAGIC);
            o.i32(3);
            o.i64(tensors.size());
            o.i64(kv.size());
            for (Map.Entry<String, Object> e : kv.entrySet()) {
                o.string(e.getKey());
                value(o, e.getValue());
            }
            long offset = 0;
            for (Entry t : tensors) {
                o.string(t.name());
                int rows = w.rows(t.kind()), cols = w.cols(t.kind());
                boolean vector = rows == 1;
                o.i32(vector ? 1 : 2);
                o.i64(cols);
                if (!vector) o.i64(rows);
                o.i32(t.type().id);
                o.i64(offset);
                offset += align(t.type().bytes((long) rows * cols), alignment);
            }
            o.pad(alignment);
            for (Entry t : tensors) {
                byte[] data = encode(w, t);
                o.bytes(data);
                o.pad(alignment);
            }
        });
    }

    private static long align(long n, int a) {
        return (n + a - 1) / a * a;
    }

    /** The type of a matrix with rows of {@code cols} values: F16 when the rows are not whole blocks. */
    private static GgmlType matrixType(GgmlType type, int cols) {
        return cols % type.blockSize == 0 ? type : GgmlType.F16;
    }

    private static byte[] encode(FlatWeights w, Entry t) {
        float[] d = w.data();
        int off = w.offset(t.kind(), t.layer()), n = w.numel(t.kind()), cols = w.cols(t.kind());
        long bytes = t.type().bytes(n);
        if (bytes > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("tensor " + t.name() + " is too large");
        byte[] out = new byte[(int) bytes];
        MemorySegment seg = MemorySegment.ofArray(out);
        switch (t.type()) {
            case F32 -> MemorySegment.copy(d, off, seg, java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) seg.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 2L * i, Half.fromFloat(d[off + i]));
            }
            case Q8_0 -> GgmlQuantizer.q8_0(d, off, n, seg, 0);
            case Q4_0 -> GgmlQuantizer.q4_0(d, off, n, seg, 0);
            default -> throw new IllegalStateException();
        }
        return out;
    }

    private static Map<String, Object> metadata(ModelConfig c, Tokenizer tok, GgmlType type, String name) {
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("general.architecture", "llama");
        kv.put("general.name", name);
        kv.put("general.file_type", u32(switch (type) { case F32 -> 0; case F16 -> 1; case Q4_0 -> 2; default -> 7; }));
        if (type == GgmlType.Q8_0 || type == GgmlType.Q4_0) kv.put("general.quantization_version", u32(2));
        kv.put("llama.vocab_size", u32(c.vocabSize()));
        kv.put("llama.context_length", u32(c.seqLen()));
        kv.put("llama.embedding_length", u32(c.dim()));
        kv.put("llama.feed_forward_length", u32(c.hiddenDim()));
        kv.put("llama.block_count", u32(c.nLayers()));
        kv.put("llama.attention.head_count", u32(c.nHeads()));
        kv.put("llama.attention.head_count_kv", u32(c.nKvHeads()));
        kv.put("llama.rope.dimension_count", u32(c.headSize()));
        kv.put("llama.rope.freq_base", c.ropeTheta());
        kv.put("llama.attention.layer_norm_rms_epsilon", c.rmsEps());
        int n = tok.size();
        String[] pieces = new String[n];
        float[] scores = new float[n];
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            pieces[i] = SentencePieces.piece(tok, i);
            scores[i] = tok.score(i);
            types[i] = SentencePieces.typeNumber(tok, i);
        }
        kv.put("tokenizer.ggml.model", "llama");
        kv.put("tokenizer.ggml.tokens", pieces);
        kv.put("tokenizer.ggml.scores", scores);
        kv.put("tokenizer.ggml.token_type", types);
        kv.put("tokenizer.ggml.bos_token_id", u32(tok.bos()));
        kv.put("tokenizer.ggml.eos_token_id", u32(tok.eos()));
        kv.put("tokenizer.ggml.unknown_token_id", u32(tok.unk()));
        kv.put("tokenizer.ggml.add_bos_token", true);
        kv.put("tokenizer.ggml.add_eos_token", false);
        kv.put("tokenizer.ggml.add_space_prefix", tok.addDummyPrefix());
        return kv;
    }

    /** A uint32 metadata value. */
    private record U32(int value) {}

    private static U32 u32(int v) {
        return new U32(v);
    }

    private static void value(LittleEndianOutput o, Object v) throws IOException {
        switch (v) {
            case U32 u -> { o.i32(GgufFile.UINT32); o.i32(u.value()); }
            case Float f -> { o.i32(GgufFile.FLOAT32); o.f32(f); }
            case Boolean b -> { o.i32(GgufFile.BOOL); o.u8(b ? 1 : 0); }
            case String s -> { o.i32(GgufFile.STRING); o.string(s); }
            case String[] a -> {
                o.i32(GgufFile.ARRAY);
                o.i32(GgufFile.STRING);
                o.i64(a.length);
                for (String s : a) o.string(s);
            }
            case float[] a -> {
                o.i32(GgufFile.ARRAY);
                o.i32(GgufFile.FLOAT32);
                o.i64(a.length);
                for (float f : a) o.f32(f);
            }
            case int[] a -> {
                o.i32(GgufFile.ARRAY);
                o.i32(GgufFile.INT32);
                o.i64(a.length);
                for (int i : a) o.i32(i);
            }
            default -> throw new IllegalArgumentException("no GGUF encoding for " + v.getClass());
        }
    }
}

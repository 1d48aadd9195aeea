package dev.llamascope.engine.model.hf;

import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.FlatWeights.Kind;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.tensor.Half;
import dev.llamascope.engine.tokenizer.HfTokenizerJson;
import dev.llamascope.engine.tokenizer.SentencePieces;
import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.util.AtomicFiles;
import dev.llamascope.engine.util.Json;
import dev.llamascope.engine.util.LittleEndianOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a Hugging Face Llama folder that transformers' LlamaForCausalLM.from_pretrained loads: config.json,
 * model.safetensors (F32, F16 or BF16; q and k permuted for rotate-half RoPE as transformers expects),
 * tokenizer.json and tokenizer_config.json. Each file is written atomically.
 */
public final class HfWriter {
    private HfWriter() {}

    /** One tensor to write: its values in run.c's layout and shape. */
    private record Item(Kind kind, int layer, long[] shape, int heads) {}

    public static void write(Path dir, FlatWeights w, Tokenizer tok, String dtype) throws IOException {
        if (!HfTensor.supported(dtype)) throw new IllegalArgumentException("safetensors are written as F32, F16 or BF16, not " + dtype);
        ModelConfig c = w.config();
        if (tok != null && tok.size() != c.vocabSize())
            throw new IllegalArgumentException("the tokenizer has " + tok.size() + " tokens, the model " + c.vocabSize());
        Files.createDirectories(dir);
        Map<String, Item> items = new TreeMap<>();
        int d = c.dim(), h = c.hiddenDim(), kv = c.kvDim(), V = c.vocabSize();
        items.put("model.embed_tokens.weight", new Item(Kind.EMBEDDING, 0, new long[]{V, d}, 0));
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "model.layers." + l + ".";
            items.put(p + "input_layernorm.weight", new Item(Kind.ATTN_NORM, l, new long[]{d}, 0));
            items.put(p + "self_attn.q_proj.weight", new Item(Kind.WQ, l, new long[]{d, d}, c.nHeads()));
            items.put(p + "self_attn.k_proj.weight", new Item(Kind.WK, l, new long[]{kv, d}, c.nKvHeads()));
            items.put(p + "self_attn.v_proj.weight", new Item(Kind.WV, l, new long[]{kv, d}, 0));
            items.put(p + "self_attn.o_proj.weight", new Item(Kind.WO, l, new long[]{d, d}, 0));
            items.put(p + "post_attention_layernorm.weight", new Item(Kind.FFN_NORM, l, new long[]{d}, 0));
            items.put(p + "mlp.gate_proj.weight", new Item(Kind.W1, l, new long[]{h, d}, 0));
            items.put(p + "mlp.down_proj.weight", new Item(Kind.W2, l, new long[]{d, h}, 0));
            items.put(p + "mlp.up_proj.weight", new Item(Kind.W3, l, new long[]{h, d}, 0));
        }
        items.put("model.norm.weight", new Item(Kind.FINAL_NORM, 0, new long[]{d}, 0));
        if (!c.sharedClassifier()) items.put("lm_head.weight", new Item(Kind.CLASSIFIER, 0, new long[]{V, d}, 0));

        int es = HfTensor.elementSize(dtype);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt"));
        long off = 0;
        for (Map.Entry<String, Item> e : items.entrySet()) {
            long n = 1;
            for (long s : e.getValue().shape()) n *= s;
            List<Object> shape = new ArrayList<>();
            for (long s : e.getValue().shape()) shape.add(s);
            header.put(e.getKey(), Map.of("dtype", dtype, "shape", shape, "data_offsets", List.of(off, off + n * es)));
            off += n * es;
        }
        StringBuilder json = new StringBuilder(Json.write(header));
        while ((json.toString().getBytes(StandardCharsets.UTF_8).length) % 8 != 0) json.append(' ');
        byte[] hb = json.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("model.safetensors"), out -> {
            LittleEndianOutput o = new LittleEndianOutput(out);
            o.i64(hb.length);
            o.bytes(hb);
            for (Item it : items.values()) {
                float[] v = values(w, it);
                switch (dtype) {
                    case "F32" -> o.floats(v, 0, v.length);
                    default -> {
                        byte[] b = new byte[v.length * 2];
                        for (int i = 0; i < v.length; i++) {
                            short s = dtype.equals("F16") ? Half.fromFloat(v[i]) : Half.bf16FromFloat(v[i]);
                            b[2 * i] = (byte) s;
                            b[2 * i + 1] = (byte) (s >> 8);
                        }
                        o.bytes(b);
                    }
                }
            }
        });
        String torchDtype = switch (dtype) { case "F16" -> "float16"; case "BF16" -> "bfloat16"; default -> "float32"; };
        AtomicFiles.writeString(dir.resolve("config.json"), HfConfig.write(c, torchDtype) + "\n");
        if (tok != null) {
            AtomicFiles.writeString(dir.resolve("tokenizer.json"), HfTokenizerJson.write(tok) + "\n");
            Map<String, Object> tc = new LinkedHashMap<>();
            tc.put("add_bos_token", true);
            tc.put("add_eos_token", false);
            tc.put("bos_token", SentencePieces.piece(tok, tok.bos()));
            tc.put("eos_token", SentencePieces.piece(tok, tok.eos()));
            tc.put("unk_token", SentencePieces.piece(tok, tok.unk()));
            tc.put("pad_token", null);
            tc.put("clean_up_tokenization_spaces", false);
            tc.put("legacy", true);
            tc.put("tokenizer_class", "LlamaTokenizer");
            tc.put("model_max_length", (long) c.seqLen());
            AtomicFiles.writeString(dir.resolve("tokenizer_config.json"), Json.write(tc) + "\n");
        }
    }

    /** A tensor's values in the Hugging Face layout (q and k rows permuted for rotate-half). */
    private static float[] values(FlatWeights w, Item it) {
        int off = w.offset(it.kind(), it.layer()), n = w.numel(it.kind());
        float[] v = new float[n];
        if (it.heads() == 0) {
            System.arraycopy(w.data(), off, v, 0, n);
            return v;
        }
        int rows = w.rows(it.kind()), cols = w.cols(it.kind()), hs = rows / it.heads();
        for (int r = 0; r < rows; r++) System.arraycopy(w.data(), off + r * cols, v, HfLlama.hfRow(r, hs) * cols, cols);
        return v;
    }
}

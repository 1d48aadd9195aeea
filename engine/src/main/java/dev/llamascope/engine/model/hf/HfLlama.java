package dev.llamascope.engine.model.hf;

import dev.llamascope.engine.model.LayerWeights;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.tensor.Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Llama model from Hugging Face tensors (model.embed_tokens, model.layers.N.{input_layernorm,
 * self_attn.{q,k,v,o}_proj, post_attention_layernorm, mlp.{gate,up,down}_proj}, model.norm, lm_head).
 *
 * <p>The q and k projections of a Hugging Face checkpoint are permuted so that RoPE can rotate the two halves of
 * each head (transformers' rotate_half), where run.c rotates interleaved pairs: row 2i + j of a head (j = 0, 1) is
 * stored at row j * head_size / 2 + i. {@link #unpermute} puts the rows back (a copy of q and k in their own dtype),
 * so the forward pass is run.c's, value for value.
 */
public final class HfLlama {
    private HfLlama() {}

    public static LlamaModel build(Path source, String format, ModelConfig c, TensorSource src, Arena arena) throws ModelFormatException {
        int d = c.dim(), h = c.hiddenDim(), kv = c.kvDim(), V = c.vocabSize();
        Matrix emb = matrix(src, source, "model.embed_tokens.weight", V, d);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "model.layers." + l + ".";
            layers.add(new LayerWeights(vector(src, source, p + "input_layernorm.weight", d),
                    unpermute(tensor(src, source, p + "self_attn.q_proj.weight", d, d), c.nHeads(), d, d, arena),
                    unpermute(tensor(src, source, p + "self_attn.k_proj.weight", kv, d), c.nKvHeads(), kv, d, arena),
                    matrix(src, source, p + "self_attn.v_proj.weight", kv, d), matrix(src, source, p + "self_attn.o_proj.weight", d, d),
                    vector(src, source, p + "post_attention_layernorm.weight", d),
                    matrix(src, source, p + "mlp.gate_proj.weight", h, d), matrix(src, source, p + "mlp.down_proj.weight", d, h),
                    matrix(src, source, p + "mlp.up_proj.weight", h, d)));
        }
        float[] norm = vector(src, source, "model.norm.weight", d);
        Matrix cls;
        if (c.sharedClassifier()) {
            cls = emb;
        } else if (src.tensors().containsKey("lm_head.weight")) {
            cls = matrix(src, source, "lm_head.weight", V, d);
        } else {
            throw new ModelFormatException(source, "tensor 'lm_head.weight' is missing (config.json says tie_word_embeddings is false)");
        }
        return new LlamaModel(c, format, source, emb, layers, norm, cls, arena);
    }

    static HfTensor tensor(TensorSource src, Path source, String name, int rows, int cols) throws ModelFormatException {
        HfTensor t = src.tensors().get(name);
        if (t == null) throw new ModelFormatException(source, "tensor '" + name + "' is missing");
        Path file = src.files().getOrDefault(name, source);
        if (!HfTensor.supported(t.dtype()))
            throw new ModelFormatException(file, "tensor '" + name + "' has dtype " + t.dtype() + " (supported: F32, F16, BF16)");
        long[] s = t.shape();
        boolean ok = rows == 1 ? s.length == 1 && s[0] == cols : s.length == 2 && s[0] == rows && s[1] == cols;
        if (!ok) throw new ModelFormatException(file, "tensor '" + name + "' has shape " + t.shapeText() + ", expected " + (rows == 1 ? "" + cols : rows + "x" + cols));
        return t;
    }

    static Matrix matrix(TensorSource src, Path source, String name, int rows, int cols) throws ModelFormatException {
        return tensor(src, source, name, rows, cols).matrix(rows, cols);
    }

    static float[] vector(TensorSource src, Path source, String name, int n) throws ModelFormatException {
        float[] v = new float[n];
        tensor(src, source, name, 1, n).matrix(1, n).readRow(0, v, 0);
        return v;
    }

    /** Row index in the Hugging Face layout of run.c's row r, for heads of headSize rows. */
    public static int hfRow(int r, int headSize) {
        int head = r / headSize, w = r % headSize;
        return head * headSize + (w % 2) * (headSize / 2) + w / 2;
    }

    /** A copy of a q or k projection with its rows in run.c's order, same dtype. */
    static Matrix unpermute(HfTensor t, int heads, int rows, int cols, Arena arena) {
        int es = HfTensor.elementSize(t.dtype());
        long rowBytes = (long) cols * es;
        MemorySegment dst = dev.llamascope.engine.util.Segments.allocate(rows * rowBytes, arena);
        int hs = rows / heads;
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(t.segment(), t.offset() + hfRow(r, hs) * rowBytes, dst, r * rowBytes, rowBytes);
        }
        return new HfTensor(t.name(), t.dtype(), t.shape(), dst, 0).matrix(rows, cols);
    }
}

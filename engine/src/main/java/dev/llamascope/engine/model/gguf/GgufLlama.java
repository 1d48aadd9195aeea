package dev.llamascope.engine.model.gguf;

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
 * A Llama model from a GGUF file: the {@code llama.*} hyperparameters and the tensors token_embd, blk.N.{attn_norm,
 * attn_q, attn_k, attn_v, attn_output, ffn_norm, ffn_gate, ffn_down, ffn_up}, output_norm and output (absent when
 * the classifier is the embedding). GGUF stores q and k in the interleaved-pair order RoPE uses in llama.cpp and
 * run.c (llama.cpp's converter undoes the Hugging Face rotate-half permutation), so they are used as they are.
 */
public final class GgufLlama {
    private GgufLlama() {}

    public static LlamaModel build(GgufFile g, Arena arena) throws ModelFormatException {
        Path file = g.path();
        String arch = g.string("general.architecture", null);
        if (g.tensors().isEmpty())
            throw new ModelFormatException(file, "has no tensors: a vocabulary-only GGUF is a tokenizer (use it with -z), not a model");
        if (arch == null) throw new ModelFormatException(file, "general.architecture is missing");
        if (!arch.equals("llama")) throw new ModelFormatException(file, "architecture '" + arch + "' is not supported (only llama)");
        int dim = g.requiredInt("llama.embedding_length", ModelConfig.MAX_DIM);
        int hidden = g.requiredInt("llama.feed_forward_length", ModelConfig.MAX_DIM * 4);
        int layers = g.requiredInt("llama.block_count", ModelConfig.MAX_LAYERS);
        int heads = g.requiredInt("llama.attention.head_count", dim);
        int kvHeads = g.has("llama.attention.head_count_kv") ? g.requiredInt("llama.attention.head_count_kv", heads) : heads;
        int context = g.has("llama.context_length") ? g.requiredInt("llama.context_length", ModelConfig.MAX_SEQ) : 2048;
        float eps = (float) g.number("llama.attention.layer_norm_rms_epsilon", 1e-5);
        float theta = (float) g.number("llama.rope.freq_base", 10000.0);
        String scaling = g.string("llama.rope.scaling.type", "none");
        if (!scaling.equals("none")) throw new ModelFormatException(file, "RoPE scaling '" + scaling + "' is not supported");
        if (dim % heads == 0 && g.has("llama.rope.dimension_count") && g.integer("llama.rope.dimension_count", 0) != dim / heads)
            throw new ModelFormatException(file, "partial RoPE (rope.dimension_count " + g.integer("llama.rope.dimension_count", 0)
                    + " of head size " + dim / heads + ") is not supported");

        GgufFile.Tensor emb = tensor(g, "token_embd.weight");
        if (emb.dims().length != 2 || emb.dims()[0] != dim)
            throw new ModelFormatException(file, "token_embd.weight has shape " + emb.shape() + ", expected " + dim + "xVOCAB");
        if (emb.dims()[1] > ModelConfig.MAX_VOCAB) throw new ModelFormatException(file, "vocabulary of " + emb.dims()[1] + " tokens is too large");
        int vocab = (int) emb.dims()[1];
        GgufFile.Tensor out = g.tensors().get("output.weight");
        boolean shared = out == null || sameContent(g, emb, out);
        ModelConfig config;
        try {
            config = new ModelConfig(dim, hidden, layers, heads, kvHeads, vocab, context, shared, theta, eps);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "bad hyperparameters: " + e.getMessage());
        }
        int kv = config.kvDim();
        Matrix embedding = matrix(g, "token_embd.weight", vocab, dim);
        List<LayerWeights> blocks = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            blocks.add(new LayerWeights(vector(g, p + "attn_norm.weight", dim),
                    matrix(g, p + "attn_q.weight", dim, dim), matrix(g, p + "attn_k.weight", kv, dim),
                    matrix(g, p + "attn_v.weight", kv, dim), matrix(g, p + "attn_output.weight", dim, dim),
                    vector(g, p + "ffn_norm.weight", dim),
                    matrix(g, p + "ffn_gate.weight", hidden, dim), matrix(g, p + "ffn_down.weight", dim, hidden),
                    matrix(g, p + "ffn_up.weight", hidden, dim)));
        }
        float[] finalNorm = vector(g, "output_norm.weight", dim);
        Matrix classifier = shared ? embedding : matrix(g, "output.weight", vocab, dim);
        return new LlamaModel(config, "GGUF v" + g.version(), file, embedding, blocks, finalNorm, classifier, arena);
    }

    /** A separate output.weight that holds exactly the embedding (llama2.c's converter writes such a copy). */
    private static boolean sameContent(GgufFile g, GgufFile.Tensor a, GgufFile.Tensor b) {
        if (a.type() != b.type() || !java.util.Arrays.equals(a.dims(), b.dims())) return false;
        MemorySegment s = g.segment();
        return MemorySegment.mismatch(s, a.offset(), a.offset() + a.bytes(), s, b.offset(), b.offset() + b.bytes()) == -1;
    }

    private static GgufFile.Tensor tensor(GgufFile g, String name) throws ModelFormatException {
        GgufFile.Tensor t = g.tensors().get(name);
        if (t == null) throw new ModelFormatException(g.path(), "tensor '" + name + "' is missing");
        if (!t.type().supported())
            throw new ModelFormatException(g.path(), "tensor '" + name + "' has type " + t.type() + ", which is not supported (supported: " + GgmlType.supportedList() + ")");
        return t;
    }

    static Matrix matrix(GgufFile g, String name, int rows, int cols) throws ModelFormatException {
        GgufFile.Tensor t = tensor(g, name);
        long[] d = t.dims();
        if (d.length != 2 || d[0] != cols || d[1] != rows)
            throw new ModelFormatException(g.path(), "tensor '" + name + "' has shape " + t.shape() + ", expected " + cols + "x" + rows);
        return t.type().matrix(g.segment(), t.offset(), rows, cols);
    }

    static float[] vector(GgufFile g, String name, int n) throws ModelFormatException {
        GgufFile.Tensor t = tensor(g, name);
        if (t.elements() != n || t.dims()[0] != n)
            throw new ModelFormatException(g.path(), "tensor '" + name + "' has shape " + t.shape() + ", expected " + n);
        float[] v = new float[n];
        t.type().matrix(g.segment(), t.offset(), 1, n).readRow(0, v, 0);
        return v;
    }
}

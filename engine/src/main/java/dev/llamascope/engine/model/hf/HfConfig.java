package dev.llamascope.engine.model.hf;

import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face Llama config.json: hidden_size, intermediate_size, num_hidden_layers, num_attention_heads,
 * num_key_value_heads (GQA; defaults to the heads), vocab_size, max_position_embeddings, rms_norm_eps, rope_theta
 * and tie_word_embeddings, with transformers' defaults for the optional ones. Anything the engine would compute
 * differently (another architecture, RoPE scaling, another activation) is refused with a message.
 */
public final class HfConfig {
    private HfConfig() {}

    public static ModelConfig read(Path configJson) throws IOException, ModelFormatException {
        Map<String, Object> c;
        try {
            c = Json.parseObject(Files.readString(configJson, StandardCharsets.UTF_8));
        } catch (Json.JsonException | java.nio.charset.MalformedInputException e) {
            throw new ModelFormatException(configJson, "not valid JSON: " + e.getMessage());
        }
        try {
            String type = Json.string(c, "model_type", "llama");
            if (!type.equals("llama")) throw new ModelFormatException(configJson, "model_type '" + type + "' is not supported (only llama)");
            if (c.get("rope_scaling") != null) throw new ModelFormatException(configJson, "rope_scaling " + c.get("rope_scaling") + " is not supported");
            String act = Json.string(c, "hidden_act", "silu");
            if (!act.equals("silu")) throw new ModelFormatException(configJson, "hidden_act '" + act + "' is not supported (only silu)");
            if (Json.bool(c, "attention_bias", false) || Json.bool(c, "mlp_bias", false))
                throw new ModelFormatException(configJson, "attention or MLP biases are not supported");
            int dim = num(configJson, c, "hidden_size", null), heads = num(configJson, c, "num_attention_heads", null);
            if (c.get("head_dim") != null && dim % heads == 0 && num(configJson, c, "head_dim", null) != dim / heads)
                throw new ModelFormatException(configJson, "head_dim " + c.get("head_dim") + " differs from hidden_size / num_attention_heads");
            return new ModelConfig(dim, num(configJson, c, "intermediate_size", null), num(configJson, c, "num_hidden_layers", null), heads,
                    num(configJson, c, "num_key_value_heads", heads), num(configJson, c, "vocab_size", null),
                    num(configJson, c, "max_position_embeddings", 2048), Json.bool(c, "tie_word_embeddings", false),
                    (float) Json.number(c, "rope_theta", 10000.0), (float) Json.number(c, "rms_norm_eps", 1e-6));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new ModelFormatException(configJson, "bad configuration: " + e.getMessage());
        }
    }

    private static int num(Path file, Map<String, Object> c, String key, Integer dflt) throws ModelFormatException {
        Object v = c.get(key);
        if (v == null) {
            if (dflt == null) throw new ModelFormatException(file, key + " is missing");
            return dflt;
        }
        if (!(v instanceof Long l) || l < 1 || l > Integer.MAX_VALUE) throw new ModelFormatException(file, key + " = " + v + " is not a positive whole number");
        return (int) (long) l;
    }

    /** config.json for a model, as transformers writes it for LlamaForCausalLM. */
    public static String write(ModelConfig m, String torchDtype) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("LlamaForCausalLM"));
        c.put("model_type", "llama");
        c.put("vocab_size", (long) m.vocabSize());
        c.put("hidden_size", (long) m.dim());
        c.put("intermediate_size", (long) m.hiddenDim());
        c.put("num_hidden_layers", (long) m.nLayers());
        c.put("num_attention_heads", (long) m.nHeads());
        c.put("num_key_value_heads", (long) m.nKvHeads());
        c.put("max_position_embeddings", (long) m.seqLen());
        c.put("rms_norm_eps", (double) m.rmsEps());
        c.put("rope_theta", (double) m.ropeTheta());
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", m.sharedClassifier());
        c.put("bos_token_id", 1L);
        c.put("eos_token_id", 2L);
        c.put("torch_dtype", torchDtype);
        return Json.write(c);
    }
}

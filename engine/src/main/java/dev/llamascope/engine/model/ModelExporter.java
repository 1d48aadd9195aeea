package dev.llamascope.engine.model;

import dev.llamascope.engine.model.gguf.GgmlType;
import dev.llamascope.engine.model.gguf.GgufWriter;
import dev.llamascope.engine.model.hf.HfWriter;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a model in another format, so a model made or fine-tuned here goes on to llama2.c, PyTorch/transformers,
 * llama.cpp or Ollama: the weights are read as fp32 (dequantized where stored quantized) and written as the target
 * wants them.
 */
public final class ModelExporter {
    private ModelExporter() {}

    public enum Target {
        /** llama2.c version 0 (fp32, run.c). */
        LLAMA2C("llama2c"),
        /** llama2.c version 2 (int8 groups, runq.c). */
        LLAMA2C_V2("llama2c-v2"),
        /** A Hugging Face folder (safetensors, config.json, tokenizer.json). */
        HF("hf"),
        /** A GGUF v3 file with the vocabulary. */
        GGUF("gguf");

        public final String cliName;

        Target(String cliName) {
            this.cliName = cliName;
        }

        public static Target parse(String s) {
            for (Target t : values()) if (t.cliName.equalsIgnoreCase(s)) return t;
            throw new IllegalArgumentException("unknown target '" + s + "' (known: llama2c, llama2c-v2, hf, gguf)");
        }
    }

    /**
     * @param type the storage type: for GGUF f32 (default), f16, q8_0 or q4_0; for HF f32 (default), f16 or bf16;
     *             for llama2c-v2 the int8 group size as "gs64" (default: 64, halved until it divides); none for llama2c
     */
    public static void export(FlatWeights w, Tokenizer tok, Path out, Target target, String type, String name) throws IOException {
        String t = type == null ? null : type.toLowerCase(Locale.ROOT);
        switch (target) {
            case LLAMA2C -> {
                if (t != null && !t.equals("f32")) throw new IllegalArgumentException("llama2.c version 0 files are fp32; use llama2c-v2 for int8");
                Llama2cCheckpoint.writeV0(out, w);
            }
            case LLAMA2C_V2 -> {
                int gs = Llama2cCheckpoint.defaultGroupSize(w.config());
                if (t != null) {
                    if (!t.startsWith("gs")) throw new IllegalArgumentException("llama2c-v2 takes a group size as gsN, not '" + type + "'");
                    gs = Integer.parseInt(t.substring(2));
                }
                Llama2cCheckpoint.writeV2(out, w, gs);
            }
            case HF -> HfWriter.write(out, w, tok, t == null ? "F32" : t.toUpperCase(Locale.ROOT));
            case GGUF -> {
                GgmlType g = switch (t == null ? "f32" : t) {
                    case "f32" -> GgmlType.F32;
                    case "f16" -> GgmlType.F16;
                    case "q8_0" -> GgmlType.Q8_0;
                    case "q4_0" -> GgmlType.Q4_0;
                    default -> throw new IllegalArgumentException("GGUF files are written as f32, f16, q8_0 or q4_0, not '" + type + "'");
                };
                GgufWriter.write(out, w, tok, g, name);
            }
        }
    }
}

package dev.llamascope.engine.model.hf;

import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.LoadOptions;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelFormat;
import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Hugging Face Llama folder: config.json plus model.safetensors, a sharded model.safetensors.index.json, or a
 * pytorch_model.bin (or its index). The tokenizer is the folder's tokenizer.json or tokenizer.model.
 */
public final class HfFormat implements ModelFormat {
    @Override
    public String name() {
        return "Hugging Face";
    }

    @Override
    public boolean recognizes(Path path, ByteBuffer head) {
        return Files.isDirectory(path) && Files.isRegularFile(path.resolve("config.json")) && weights(path) != null;
    }

    /** The weights file of a folder, or null. */
    static Path weights(Path dir) {
        for (String n : new String[]{"model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"}) {
            if (Files.isRegularFile(dir.resolve(n))) return dir.resolve(n);
        }
        return null;
    }

    @Override
    public LlamaModel load(Path dir, LoadOptions options) throws IOException, ModelFormatException {
        ModelConfig config = HfConfig.read(dir.resolve("config.json"));
        Path w = weights(dir);
        if (w == null) throw new ModelFormatException(dir, "has no model.safetensors or pytorch_model.bin");
        Arena arena = Arena.ofShared();
        try {
            Map<String, HfTensor> tensors = new LinkedHashMap<>();
            Map<String, Path> files = new HashMap<>();
            String name = w.getFileName().toString();
            String format;
            if (name.equals("model.safetensors")) {
                Safetensors.read(w, arena, tensors, files);
                format = "Hugging Face safetensors";
            } else if (name.equals("model.safetensors.index.json")) {
                Safetensors.readIndex(w, arena, tensors, files);
                format = "Hugging Face safetensors (sharded)";
            } else {
                TorchCheckpoint.read(w, arena, tensors, files);
                format = "Hugging Face pytorch_model.bin";
            }
            return HfLlama.build(dir, format, config, new TensorSource(tensors, files), arena);
        } catch (IOException | ModelFormatException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public Tokenizer tokenizerFor(Path dir, LlamaModel model) throws IOException, ModelFormatException {
        for (String n : new String[]{"tokenizer.json", "tokenizer.model", "tokenizer.bin"}) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) return ModelLoader.TokenizerLoader.read(p);
        }
        return null;
    }
}

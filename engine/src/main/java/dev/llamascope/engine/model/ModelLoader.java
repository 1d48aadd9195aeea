package dev.llamascope.engine.model;

import dev.llamascope.engine.tokenizer.Llama2cTokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one entry point that opens a model, recognising its format by content, not by file name.
 */
public final class ModelLoader {
    private ModelLoader() {}

    /** Loads the weights only. */
    public static LlamaModel loadWeights(Path path) throws IOException, ModelFormatException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such file or folder");
        return Llama2cCheckpoint.read(path);
    }

    /**
     * Loads a model and its tokenizer: {@code tokenizer} when given, else the one the model carries or a
     * tokenizer.bin beside a llama2.c checkpoint. The tokenizer must match the model's vocabulary.
     */
    public static LoadedModel load(Path path, Path tokenizer) throws IOException, ModelFormatException {
        LlamaModel model = loadWeights(path);
        try {
            Tokenizer tok = loadTokenizer(path, tokenizer, model.config().vocabSize());
            return new LoadedModel(model, tok);
        } catch (IOException | ModelFormatException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static Tokenizer loadTokenizer(Path model, Path explicit, int vocab) throws IOException, ModelFormatException {
        Path t = explicit;
        if (t == null) {
            Path dir = model.toAbsolutePath().getParent();
            t = dir == null ? null : dir.resolve("tokenizer.bin");
            if (t == null || !Files.isRegularFile(t))
                throw new ModelFormatException(model, "no tokenizer: pass -z TOKENIZER, or put tokenizer.bin beside the checkpoint");
        }
        if (!Files.exists(t)) throw new NoSuchFileException(t.toString(), null, "no such tokenizer file");
        return Llama2cTokenizer.read(t, vocab);
    }
}

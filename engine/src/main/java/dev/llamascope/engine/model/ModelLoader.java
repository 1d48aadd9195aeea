package dev.llamascope.engine.model;

import dev.llamascope.engine.model.gguf.GgufFile;
import dev.llamascope.engine.model.gguf.GgufVocabulary;
import dev.llamascope.engine.tokenizer.HfTokenizerJson;
import dev.llamascope.engine.tokenizer.Llama2cTokenizer;
import dev.llamascope.engine.tokenizer.SentencePieceModel;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The one entry point that opens a model, whatever its format, recognised by content and not by file name:
 * each registered {@link ModelFormat} is asked in turn; llama2.c version 0, which has no magic, comes last.
 */
public final class ModelLoader {
    private ModelLoader() {}

    /** The formats in the order they are asked. Formats with a magic or a folder layout go before llama2.c. */
    public static final List<ModelFormat> FORMATS = List.of(
            new dev.llamascope.engine.model.gguf.GgufFormat(),
            new dev.llamascope.engine.model.hf.HfFormat(),
            new Llama2cFormat());

    /** The format that claims a path. */
    public static ModelFormat formatOf(Path path) throws IOException, ModelFormatException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such file or folder");
        ByteBuffer head = ByteBuffer.allocate(4096);
        if (Files.isRegularFile(path)) {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                while (head.hasRemaining() && ch.read(head) > 0) { /* fill */ }
            }
        }
        head.flip();
        for (ModelFormat f : FORMATS) {
            if (f.recognizes(path, head.duplicate())) return f;
        }
        if (Files.isDirectory(path))
            throw new ModelFormatException(path, "is a folder, but not a model folder (no config.json with model.safetensors or pytorch_model.bin)");
        throw new ModelFormatException(path, "is not a model file this program knows");
    }

    /** Loads the weights only. */
    public static LlamaModel loadWeights(Path path) throws IOException, ModelFormatException {
        return loadWeights(path, LoadOptions.DEFAULT);
    }

    public static LlamaModel loadWeights(Path path, LoadOptions options) throws IOException, ModelFormatException {
        LlamaModel m = formatOf(path).load(path, options);
        try {
            return ModelAdjustments.apply(m, options);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Loads a model and its tokenizer: {@code tokenizer} when given (a llama2.c tokenizer.bin), else the one the
     * model carries or finds beside itself. The tokenizer must match the model's vocabulary.
     */
    public static LoadedModel load(Path path, Path tokenizer) throws IOException, ModelFormatException {
        return load(path, tokenizer, LoadOptions.DEFAULT);
    }

    public static LoadedModel load(Path path, Path tokenizer, LoadOptions options) throws IOException, ModelFormatException {
        ModelFormat format = formatOf(path);
        LlamaModel model = format.load(path, options);
        try {
            model = ModelAdjustments.apply(model, options);
            Tokenizer tok;
            if (tokenizer != null) {
                if (!Files.exists(tokenizer)) throw new NoSuchFileException(tokenizer.toString(), null, "no such tokenizer file");
                tok = TokenizerLoader.load(tokenizer, model.config().vocabSize());
            } else {
                tok = format.tokenizerFor(path, model);
                if (tok == null)
                    throw new ModelFormatException(path, "no tokenizer: pass -z TOKENIZER, or put tokenizer.bin beside the checkpoint");
            }
            if (tok.size() != model.config().vocabSize())
                throw new ModelFormatException(path, "vocabulary mismatch: the tokenizer has " + tok.size() + " tokens, the model " + model.config().vocabSize());
            return new LoadedModel(model, tok);
        } catch (IOException | ModelFormatException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Reads a tokenizer of any known kind, recognised by content: a GGUF file's vocabulary, a Hugging Face
     * tokenizer.json, a SentencePiece tokenizer.model, or a llama2.c tokenizer.bin; a folder is searched for
     * tokenizer.json, tokenizer.model and tokenizer.bin in that order.
     */
    public static final class TokenizerLoader {
        private TokenizerLoader() {}

        /** Reads a tokenizer and checks it has the model's vocabulary size. */
        public static Tokenizer load(Path file, int vocabSize) throws IOException, ModelFormatException {
            Tokenizer t = read(file);
            if (t.size() != vocabSize)
                throw new ModelFormatException(file, "vocabulary mismatch: the tokenizer has " + t.size() + " tokens, the model " + vocabSize);
            return t;
        }

        public static Tokenizer read(Path file) throws IOException, ModelFormatException {
            if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no such tokenizer file");
            if (Files.isDirectory(file)) {
                for (String name : List.of("tokenizer.json", "tokenizer.model", "tokenizer.bin")) {
                    if (Files.isRegularFile(file.resolve(name))) return read(file.resolve(name));
                }
                throw new ModelFormatException(file, "is a folder without tokenizer.json, tokenizer.model or tokenizer.bin");
            }
            byte[] head = new byte[64];
            int n;
            try (var in = Files.newInputStream(file)) {
                n = in.readNBytes(head, 0, head.length);
            }
            if (GgufFile.hasMagic(ByteBuffer.wrap(head, 0, n))) return GgufVocabulary.read(file);
            if (HfTokenizerJson.looksLike(head, n)) return HfTokenizerJson.read(file);
            if (SentencePieceModel.looksLike(head, n)) return SentencePieceModel.read(file);
            return Llama2cTokenizer.read(file);
        }
    }
}

package dev.llamascope.engine.model;

import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One way models are stored (llama2.c .bin, GGUF, a Hugging Face folder, ...). {@link ModelLoader} asks each
 * registered format whether it recognises a path by its content, and the first that does loads it.
 */
public interface ModelFormat {
    /** A short name for messages and model cards, e.g. "llama2.c". */
    String name();

    /**
     * Whether this format claims the path. {@code head} holds the first bytes of a file (up to 4 KiB; empty for a
     * folder). Must be cheap and must not throw for foreign content.
     */
    boolean recognizes(Path path, ByteBuffer head) throws IOException;

    /** Loads the weights (memory-mapped where the format allows). */
    LlamaModel load(Path path, LoadOptions options) throws IOException, ModelFormatException;

    /**
     * The tokenizer that comes with the model (in the file, or beside it), or null when there is none. Called
     * only when the user named no tokenizer.
     */
    Tokenizer tokenizerFor(Path path, LlamaModel model) throws IOException, ModelFormatException;
}

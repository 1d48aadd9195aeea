package dev.llamascope.engine.model.gguf;

import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.LoadOptions;
import dev.llamascope.engine.model.ModelFormat;
import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** GGUF files (llama.cpp, Ollama), recognised by their magic; the vocabulary is in the file's metadata. */
public final class GgufFormat implements ModelFormat {
    @Override
    public String name() {
        return "GGUF";
    }

    @Override
    public boolean recognizes(Path path, ByteBuffer head) {
        return Files.isRegularFile(path) && GgufFile.hasMagic(head);
    }

    @Override
    public LlamaModel load(Path path, LoadOptions options) throws IOException, ModelFormatException {
        Arena arena = Arena.ofShared();
        try {
            return GgufLlama.build(GgufFile.open(path, arena), arena);
        } catch (IOException | ModelFormatException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public Tokenizer tokenizerFor(Path path, LlamaModel model) throws IOException, ModelFormatException {
        return GgufVocabulary.read(path);
    }
}

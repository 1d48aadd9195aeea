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

    /**
     * The magic decides; a file named *.gguf without it is claimed too, so that it is told what is wrong with it as
     * a GGUF file rather than as a llama2.c checkpoint.
     */
    @Override
    public boolean recognizes(Path path, ByteBuffer head) {
        if (!Files.isRegularFile(path)) return false;
        return GgufFile.hasMagic(head) || path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gguf");
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

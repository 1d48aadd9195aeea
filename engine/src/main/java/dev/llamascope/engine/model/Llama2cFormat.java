package dev.llamascope.engine.model;

import dev.llamascope.engine.tokenizer.Llama2cTokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * llama2.c checkpoints. Versions 1 and 2 start with a magic; version 0 has none, so it is the format of last
 * resort: any regular file no other format claims is read as version 0, whose header checks then explain what
 * is wrong with it. The tokenizer is a tokenizer.bin beside the checkpoint.
 */
public final class Llama2cFormat implements ModelFormat {
    @Override
    public String name() {
        return "llama2.c";
    }

    @Override
    public boolean recognizes(Path path, ByteBuffer head) {
        return Files.isRegularFile(path);
    }

    /** True when the head is certainly llama2.c (the "ak42" magic). */
    static boolean hasMagic(ByteBuffer head) {
        return head.remaining() >= 4 && head.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(head.position()) == Llama2cCheckpoint.MAGIC;
    }

    @Override
    public LlamaModel load(Path path, LoadOptions options) throws IOException, ModelFormatException {
        return Llama2cCheckpoint.read(path);
    }

    @Override
    public Tokenizer tokenizerFor(Path path, LlamaModel model) throws IOException, ModelFormatException {
        Path dir = path.toAbsolutePath().getParent();
        Path t = dir == null ? null : dir.resolve("tokenizer.bin");
        return t != null && Files.isRegularFile(t) ? Llama2cTokenizer.read(t, model.config().vocabSize()) : null;
    }
}

package dev.llamascope.engine.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** llama2.c's pretokenized shards: little-endian uint16 token ids, no header. */
public final class TokenFileReader {
    private TokenFileReader() {}

    /** The tokens, each checked against the vocabulary (vocabSize 0 skips the check). */
    public static int[] read(Path file, int vocabSize) throws IOException {
        if (Files.isDirectory(file)) throw new DataFormatException(file, "is a folder, not a token file");
        long size = Files.size(file);
        if (size == 0) throw new DataFormatException(file, "the token file is empty");
        if (size % 2 != 0)
            throw new DataFormatException(file, "has an odd size (" + size + " bytes): not a file of uint16 tokens (is it text? use --format text)");
        if (size / 2 > Integer.MAX_VALUE - 16) throw new DataFormatException(file, "has " + size / 2 + " tokens, more than one file can hold here");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int[] t = new int[(int) (size / 2)];
        for (int i = 0; i < t.length; i++) {
            int id = b.getShort() & 0xffff;
            if (vocabSize > 0 && id >= vocabSize)
                throw new DataFormatException(file, "token " + id + " at position " + i + " is outside the model's vocabulary of "
                        + vocabSize + " (made with another tokenizer, or not a token file?)");
            t[i] = id;
        }
        return t;
    }
}

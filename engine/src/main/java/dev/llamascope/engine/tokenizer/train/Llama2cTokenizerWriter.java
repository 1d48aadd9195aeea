package dev.llamascope.engine.tokenizer.train;

import dev.llamascope.engine.util.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes llama2.c's {@code tokenizer.bin} as its tokenizer.py exports one: int32 max_token_length, then per token
 * a float32 score, an int32 byte length and the bytes (little-endian), spaces instead of U+2581.
 */
public final class Llama2cTokenizerWriter {
    private Llama2cTokenizerWriter() {}

    public static byte[] encode(TrainedVocabulary v) {
        byte[][] pieces = new byte[v.size()][];
        int max = 0;
        for (int i = 0; i < v.size(); i++) {
            pieces[i] = v.llama2cBytes(i);
            max = Math.max(max, pieces[i].length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        out.write(b.putInt(0, max).array(), 0, 4);
        for (int i = 0; i < v.size(); i++) {
            b.putFloat(0, v.scores()[i]).putInt(4, pieces[i].length);
            out.write(b.array(), 0, 8);
            out.writeBytes(pieces[i]);
        }
        return out.toByteArray();
    }

    public static void write(Path file, TrainedVocabulary v) throws IOException {
        byte[] b = encode(v);
        AtomicFiles.write(file, out -> out.write(b));
    }
}

package dev.llamascope.engine.tokenizer;

import dev.llamascope.engine.model.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads llama2.c's tokenizer.bin: int32 max_token_length, then per token a float32 score, an int32 length and the
 * piece bytes, to the end of the file. Ids 0, 1, 2 are &lt;unk&gt;, BOS and EOS. Byte tokens are "&lt;0xXX&gt;"
 * pieces in the current format; in the early format the 256 tokens after the specials hold the byte itself as
 * the UTF-8 encoding of U+0000..U+00FF, which is recognised and mapped back to bytes (run.c treats them as text
 * and so mis-tokenizes accented letters with such vocabularies).
 */
public final class Llama2cTokenizer {
    private Llama2cTokenizer() {}

    public static Tokenizer read(Path file) throws IOException, ModelFormatException {
        if (Files.isDirectory(file)) throw new ModelFormatException(file, "is a directory, not a tokenizer.bin file");
        long size = Files.size(file);
        if (size == 0) throw new ModelFormatException(file, "the tokenizer file is empty");
        if (size > (1L << 30)) throw new ModelFormatException(file, "is " + size + " bytes, far too large for a tokenizer.bin");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 4) throw new ModelFormatException(file, "truncated tokenizer header");
        int maxLen = b.getInt();
        if (maxLen <= 0 || maxLen > 1 << 16) throw new ModelFormatException(file, "not a llama2.c tokenizer (max token length " + maxLen + ")");
        List<byte[]> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        while (b.hasRemaining()) {
            int i = pieces.size();
            if (b.remaining() < 8) throw new ModelFormatException(file, "truncated at token " + i);
            float score = b.getFloat();
            int len = b.getInt();
            if (len < 0 || len > maxLen || len > b.remaining())
                throw new ModelFormatException(file, "token " + i + " has length " + len + " (max " + maxLen + ", " + b.remaining() + " bytes left): corrupt or truncated");
            byte[] p = new byte[len];
            b.get(p);
            pieces.add(p);
            scores.add(score);
        }
        if (pieces.size() < 3) throw new ModelFormatException(file, "has only " + pieces.size() + " tokens");
        return build(file.getFileName().toString(), pieces.toArray(byte[][]::new), scores);
    }

    /** Reads a tokenizer and checks it against a model's vocabulary size. */
    public static Tokenizer read(Path file, int vocabSize) throws IOException, ModelFormatException {
        Tokenizer t = read(file);
        if (t.size() != vocabSize)
            throw new ModelFormatException(file, "vocabulary mismatch: the tokenizer has " + t.size() + " tokens, the model " + vocabSize);
        return t;
    }

    static Tokenizer build(String name, byte[][] pieces, List<Float> scoreList) {
        int n = pieces.length;
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) scores[i] = scoreList.get(i);
        Tokenizer.TokenType[] types = new Tokenizer.TokenType[n];
        int[] byteValue = new int[n];
        Arrays.fill(types, Tokenizer.TokenType.NORMAL);
        Arrays.fill(byteValue, -1);
        types[0] = Tokenizer.TokenType.UNKNOWN;
        types[1] = Tokenizer.TokenType.CONTROL;
        types[2] = Tokenizer.TokenType.CONTROL;
        boolean oldFormat = n >= 259;
        for (int b = 0; b < 256 && oldFormat; b++) {
            oldFormat = Arrays.equals(pieces[3 + b], String.valueOf((char) b).getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 3; i < n; i++) {
            int v = oldFormat ? (i - 3 < 256 ? i - 3 : -1) : hexByte(pieces[i]);
            if (v >= 0) {
                types[i] = Tokenizer.TokenType.BYTE;
                byteValue[i] = v;
            }
        }
        return new Tokenizer(name, pieces, scores, types, byteValue, 1, 2, 0, true);
    }

    /**
     * Writes a tokenizer as llama2.c's tokenizer.bin (current format) atomically: max token length, then per token
     * its score, length and bytes; byte tokens as "&lt;0xXX&gt;", BOS and EOS as "\n&lt;s&gt;\n" and "\n&lt;/s&gt;\n" as
     * llama2.c's tokenizer.py writes them.
     */
    public static void write(java.nio.file.Path file, Tokenizer t) throws IOException {
        byte[][] pieces = new byte[t.size()][];
        int max = 1;
        for (int i = 0; i < t.size(); i++) {
            if (t.type(i) == Tokenizer.TokenType.BYTE) pieces[i] = String.format("<0x%02X>", t.byteValue(i)).getBytes(StandardCharsets.US_ASCII);
            else if (i == t.bos()) pieces[i] = "\n<s>\n".getBytes(StandardCharsets.US_ASCII);
            else if (i == t.eos()) pieces[i] = "\n</s>\n".getBytes(StandardCharsets.US_ASCII);
            else pieces[i] = t.pieceBytes(i);
            max = Math.max(max, pieces[i].length);
        }
        int maxLen = max;
        dev.llamascope.engine.util.AtomicFiles.write(file, out -> {
            dev.llamascope.engine.util.LittleEndianOutput o = new dev.llamascope.engine.util.LittleEndianOutput(out);
            o.i32(maxLen);
            for (int i = 0; i < pieces.length; i++) {
                o.f32(t.score(i));
                o.i32(pieces[i].length);
                o.bytes(pieces[i]);
            }
        });
    }

    /** The byte of a "&lt;0xXX&gt;" piece, or -1. */
    static int hexByte(byte[] p) {
        if (p.length != 6 || p[0] != '<' || p[1] != '0' || p[2] != 'x' || p[5] != '>') return -1;
        int hi = Character.digit(p[3], 16), lo = Character.digit(p[4], 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }
}

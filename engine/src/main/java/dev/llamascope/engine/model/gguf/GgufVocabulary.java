package dev.llamascope.engine.model.gguf;

import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.tokenizer.SentencePieces;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * The SentencePiece vocabulary a GGUF file carries in its metadata (tokenizer.ggml.model = "llama"): pieces with
 * U+2581 for spaces, scores, token types (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte), the
 * BOS/EOS/unknown ids and whether a space is put before the text. Pieces become our {@link Tokenizer}'s form:
 * spaces as ' ', byte tokens "&lt;0xXX&gt;" as BYTE tokens with their value.
 */
public final class GgufVocabulary {
    private GgufVocabulary() {}

    /** Reads only the vocabulary of a GGUF file (a model or a vocabulary-only file). */
    public static Tokenizer read(Path file) throws IOException, ModelFormatException {
        try (Arena arena = Arena.ofConfined()) {
            return tokenizer(GgufFile.open(file, arena));
        }
    }

    public static Tokenizer tokenizer(GgufFile g) throws ModelFormatException {
        Path file = g.path();
        String model = g.string("tokenizer.ggml.model", null);
        if (model == null) throw new ModelFormatException(file, "has no vocabulary (no tokenizer.ggml.model in its metadata)");
        if (!model.equals("llama"))
            throw new ModelFormatException(file, "vocabulary type '" + model + "' is not supported (only SentencePiece, 'llama')");
        GgufArray tokens = g.array("tokenizer.ggml.tokens");
        if (tokens == null || !tokens.isStrings() || tokens.length() < 3)
            throw new ModelFormatException(file, "tokenizer.ggml.tokens is missing or not a list of strings");
        int n = tokens.length();
        GgufArray scoreArray = g.array("tokenizer.ggml.scores");
        GgufArray typeArray = g.array("tokenizer.ggml.token_type");
        float[] scores = scoreArray == null ? new float[n] : scoreArray.floats();
        long[] types = typeArray == null ? null : typeArray.longs();
        if (scores == null || scores.length != n) throw new ModelFormatException(file, "tokenizer.ggml.scores does not have one number per token");
        if (typeArray != null && (types == null || types.length != n))
            throw new ModelFormatException(file, "tokenizer.ggml.token_type does not have one integer per token");
        int bos = id(g, "tokenizer.ggml.bos_token_id", 1, n), eos = id(g, "tokenizer.ggml.eos_token_id", 2, n);
        int unk = id(g, "tokenizer.ggml.unknown_token_id", 0, n);
        boolean spacePrefix = g.bool("tokenizer.ggml.add_space_prefix", true);
        return SentencePieces.build(file.getFileName().toString(), tokens.strings(), scores, types, bos, eos, unk, spacePrefix);
    }

    private static int id(GgufFile g, String key, int dflt, int n) throws ModelFormatException {
        long v = g.integer(key, dflt);
        if (v < 0 || v >= n) throw new ModelFormatException(g.path(), key + " = " + v + " is outside the vocabulary of " + n);
        return (int) v;
    }
}

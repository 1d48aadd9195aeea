package dev.llamascope.engine.tokenizer.train;

import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer.TokenType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A learned vocabulary in SentencePiece's order: &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;, the byte tokens (with byte
 * fallback), the merged pieces in the order they were learned (scores 0, -1, -2, ... so that a score-ordered BPE
 * encoder applies them in that order), then the single characters from most to least frequent.
 *
 * @param pieces            SentencePiece text: spaces as U+2581, bytes as "&lt;0xXX&gt;", specials as "&lt;unk&gt;",
 *                          "&lt;s&gt;", "&lt;/s&gt;"
 * @param merges            how many merged pieces there are (they follow the byte tokens)
 * @param characters        how many single characters there are (they come last)
 * @param characterCoverage the coverage actually used (the automatic choice resolved)
 * @param trainingMerges    the merges training applied, in order, as "left right" (a piece reached by two different
 *                          splits appears once in the vocabulary but twice here)
 */
public record TrainedVocabulary(List<String> pieces, float[] scores, TokenType[] types, int merges, int characters,
                                BpeTrainingConfig config, double characterCoverage, List<String> trainingMerges) {

    public TrainedVocabulary {
        pieces = List.copyOf(pieces);
        trainingMerges = List.copyOf(trainingMerges);
        if (scores.length != pieces.size() || types.length != pieces.size())
            throw new IllegalArgumentException("pieces, scores and types differ in length");
    }

    public int size() {
        return pieces.size();
    }

    /** The first merged piece's id. */
    public int firstMerge() {
        return config.reservedTokens();
    }

    /**
     * The piece as llama2.c's tokenizer.bin stores it (its export replaces U+2581 by a space and writes BOS/EOS as
     * "\n&lt;s&gt;\n" and "\n&lt;/s&gt;\n").
     */
    public byte[] llama2cBytes(int id) {
        String p = pieces.get(id);
        if (id == 1) p = "\n<s>\n";
        else if (id == 2) p = "\n</s>\n";
        else if (types[id] == TokenType.NORMAL) p = p.replace(TextSegmenter.WS, ' ');
        return p.getBytes(StandardCharsets.UTF_8);
    }

    /** This vocabulary as the engine's encoder (what {@code tokenizer.bin} loads as). */
    public Tokenizer toTokenizer(String name) {
        int n = size();
        byte[][] bytes = new byte[n][];
        int[] byteValues = new int[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = llama2cBytes(i);
            byteValues[i] = types[i] == TokenType.BYTE ? i - BpeTrainingConfig.SPECIALS : -1;
        }
        return new Tokenizer(name, bytes, scores.clone(), types.clone(), byteValues, 1, 2, 0, true);
    }
}

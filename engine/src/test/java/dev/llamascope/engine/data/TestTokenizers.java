package dev.llamascope.engine.data;

import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer.TokenType;

/** Small tokenizers for data tests that need no model files. */
final class TestTokenizers {
    private TestTokenizers() {}

    /** &lt;unk&gt;, BOS, EOS, then the 256 byte tokens: every byte of the text is a token. */
    static Tokenizer chars() {
        int n = 3 + 256;
        byte[][] pieces = new byte[n][];
        float[] scores = new float[n];
        TokenType[] types = new TokenType[n];
        int[] bytes = new int[n];
        pieces[0] = "<unk>".getBytes();
        pieces[1] = "<s>".getBytes();
        pieces[2] = "</s>".getBytes();
        types[0] = TokenType.UNKNOWN;
        types[1] = TokenType.CONTROL;
        types[2] = TokenType.CONTROL;
        bytes[0] = bytes[1] = bytes[2] = -1;
        for (int b = 0; b < 256; b++) {
            pieces[3 + b] = String.format("<0x%02X>", b).getBytes();
            types[3 + b] = TokenType.BYTE;
            bytes[3 + b] = b;
        }
        return new Tokenizer("bytes", pieces, scores, types, bytes, 1, 2, 0, false);
    }
}

package dev.llamascope.engine.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * Builds a {@link Tokenizer} from a vocabulary in SentencePiece's own form, as GGUF metadata and tokenizer.model
 * hold it: pieces with U+2581 for spaces, scores, and type numbers (1 normal, 2 unknown, 3 control, 4 user-defined,
 * 5 unused, 6 byte). Pieces become the Tokenizer's form: spaces as ' ', byte tokens "&lt;0xXX&gt;" as BYTE tokens.
 */
public final class SentencePieces {
    /** The word-boundary mark SentencePiece writes for a space. */
    public static final String SPACE_MARK = "\u2581";

    private SentencePieces() {}

    public static Tokenizer build(String name, String[] tokens, float[] scores, long[] types, int bos, int eos, int unk,
                                  boolean spacePrefix) {
        int n = tokens.length;
        byte[][] pieces = new byte[n][];
        Tokenizer.TokenType[] tt = new Tokenizer.TokenType[n];
        int[] byteValue = new int[n];
        Tokenizer.TokenType[] all = Tokenizer.TokenType.values();
        for (int i = 0; i < n; i++) {
            String p = tokens[i].replace(SPACE_MARK, " ");
            pieces[i] = p.getBytes(StandardCharsets.UTF_8);
            long t = types == null ? 1 : types[i];
            tt[i] = t >= 1 && t <= all.length ? all[(int) t - 1] : Tokenizer.TokenType.NORMAL;
            byteValue[i] = -1;
            if (tt[i] == Tokenizer.TokenType.BYTE) {
                byteValue[i] = hexByte(p);
                if (byteValue[i] < 0) tt[i] = Tokenizer.TokenType.NORMAL;
            }
        }
        return new Tokenizer(name, pieces, scores.clone(), tt, byteValue, bos, eos, unk, spacePrefix);
    }

    /** The piece of token id in SentencePiece's form (U+2581 for spaces; byte tokens as "&lt;0xXX&gt;"). */
    public static String piece(Tokenizer t, int id) {
        if (t.type(id) == Tokenizer.TokenType.BYTE) return String.format("<0x%02X>", t.byteValue(id));
        return new String(t.pieceBytes(id), StandardCharsets.UTF_8).replace(" ", SPACE_MARK);
    }

    /** SentencePiece's type number of a token. */
    public static int typeNumber(Tokenizer t, int id) {
        return t.type(id).ordinal() + 1;
    }

    /** The byte of a "&lt;0xXX&gt;" piece, or -1. */
    public static int hexByte(String p) {
        if (p.length() != 6 || !p.startsWith("<0x") || p.charAt(5) != '>') return -1;
        int hi = Character.digit(p.charAt(3), 16), lo = Character.digit(p.charAt(4), 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }
}

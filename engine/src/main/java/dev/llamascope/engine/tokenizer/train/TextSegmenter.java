package dev.llamascope.engine.tokenizer.train;

/**
 * Cuts a line of text into the segments BPE training counts, following SentencePiece's rules for which pieces
 * are valid, so that no learnable piece ever crosses a segment boundary:
 * <ul>
 *   <li>spaces become U+2581 and the line gets one in front (the "dummy prefix"), so words carry their leading
 *       space; a run of spaces stays together with the word after it (whitespace-only pieces are allowed);</li>
 *   <li>a piece never mixes Unicode scripts (Latin letters and punctuation, Han and Latin); hiragana and katakana
 *       count as Han, as in SentencePiece;</li>
 *   <li>with split digits, every digit stands alone.</li>
 * </ul>
 * Splitting here instead of checking every candidate merge keeps the number of distinct words small (a Chinese
 * line with no spaces becomes its clauses, not one long word).
 */
final class TextSegmenter {
    static final char WS = '\u2581';
    /** Script id of characters that join any script: the space symbol. */
    static final int ANY_SCRIPT = -1;
    private static final int DIGIT = -2;

    @FunctionalInterface
    interface Sink {
        void segment(char[] text, int start, int end);
    }

    private final boolean splitDigits;
    private char[] buf = new char[256];

    TextSegmenter(boolean splitDigits) {
        this.splitDigits = splitDigits;
    }

    /** Normalizes {@code line} (no line break in it) and passes each segment to the sink. Empty lines give nothing. */
    void split(CharSequence line, int from, int to, Sink sink) {
        int n = to - from;
        if (n == 0) return;
        if (buf.length < n + 1) buf = new char[Math.max(n + 1, buf.length * 2)];
        char[] b = buf;
        b[0] = WS;
        for (int i = 0; i < n; i++) {
            char c = line.charAt(from + i);
            b[i + 1] = c == ' ' ? WS : c;
        }
        int len = n + 1;
        int start = 0;
        int prevClass = ANY_SCRIPT; // class of the previous non-space character in this segment
        boolean prevWs = false;
        for (int i = 0; i < len; ) {
            int cp = Character.codePointAt(b, i, len);
            int w = Character.charCount(cp);
            if (cp == WS) {
                // A space after a non-space starts a new word; a space run stays one.
                if (i > start && !prevWs) {
                    sink.segment(b, start, i);
                    start = i;
                }
                prevWs = true;
                prevClass = ANY_SCRIPT;
            } else {
                boolean digit = splitDigits && isDigit(cp);
                int cls = digit ? DIGIT : script(cp);
                boolean cut = digit || prevClass == DIGIT || (prevClass != ANY_SCRIPT && prevClass != cls);
                if (cut && i > start) {
                    sink.segment(b, start, i);
                    start = i;
                }
                prevWs = false;
                prevClass = cls;
            }
            i += w;
        }
        if (len > start) sink.segment(b, start, len);
    }

    static boolean isDigit(int cp) {
        return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
    }

    /** The Unicode script as an int; kana is Han, as SentencePiece merges them for Japanese. */
    static int script(int cp) {
        if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ? LATIN : COMMON;
        if (cp == 0x30FC) return HAN;
        Character.UnicodeScript s;
        try {
            s = Character.UnicodeScript.of(cp);
        } catch (IllegalArgumentException e) {
            return COMMON;
        }
        if (s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA) return HAN;
        return s.ordinal();
    }

    private static final int LATIN = Character.UnicodeScript.LATIN.ordinal();
    private static final int COMMON = Character.UnicodeScript.COMMON.ordinal();
    private static final int HAN = Character.UnicodeScript.HAN.ordinal();

    /** True for code points SentencePiece counts as CJK for the coverage default. */
    static boolean isCjk(int cp) {
        if (cp < 0x2E80) return false;
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL;
    }
}

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
 * line with no spaces becomes its clauses, not one long word). This is the hot loop of counting: it works on a
 * char buffer, classifies ASCII from a table and hashes each segment as it scans it.
 */
final class TextSegmenter {
    static final char WS = '\u2581';
    /** Script id of characters that join any script: the space symbol. */
    static final int ANY_SCRIPT = -1;
    private static final int DIGIT = -2;
    private static final int LATIN = Character.UnicodeScript.LATIN.ordinal();
    private static final int COMMON = Character.UnicodeScript.COMMON.ordinal();
    private static final int HAN = Character.UnicodeScript.HAN.ordinal();

    /** Receives a segment b[start, end) and its String.hashCode. */
    @FunctionalInterface
    interface Sink {
        void segment(char[] b, int start, int end, int hash);
    }

    private final boolean splitDigits;
    private char[] buf = new char[256];

    TextSegmenter(boolean splitDigits) {
        this.splitDigits = splitDigits;
    }

    void split(CharSequence line, int from, int to, Sink sink) {
        char[] c = new char[to - from];
        for (int i = 0; i < c.length; i++) c[i] = line.charAt(from + i);
        split(c, 0, c.length, sink);
    }

    /** Normalizes src[from, to) (no line break in it) and passes each segment to the sink. Empty lines give nothing. */
    void split(char[] src, int from, int to, Sink sink) {
        int n = to - from;
        if (n == 0) return;
        if (buf.length < n + 1) buf = new char[Math.max(n + 1, buf.length * 2)];
        char[] b = buf;
        b[0] = WS;
        System.arraycopy(src, from, b, 1, n);
        int len = n + 1;
        int start = 0, h = 0;
        int prevClass = ANY_SCRIPT; // class of the previous non-space character in this segment
        boolean prevWs = false;
        for (int i = 0; i < len; ) {
            char ch = b[i];
            int w = 1;
            if (ch == ' ' || ch == WS) {
                b[i] = WS;
                // A space after a non-space starts a new word; a space run stays one.
                if (i > start && !prevWs) {
                    sink.segment(b, start, i, h);
                    start = i;
                    h = 0;
                }
                prevWs = true;
                prevClass = ANY_SCRIPT;
            } else {
                int cls;
                if (ch < 0x80) {
                    cls = ch >= '0' && ch <= '9' ? (splitDigits ? DIGIT : COMMON)
                            : ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') ? LATIN : COMMON;
                } else {
                    int cp = ch;
                    if (Character.isHighSurrogate(ch) && i + 1 < len && Character.isLowSurrogate(b[i + 1])) {
                        cp = Character.toCodePoint(ch, b[i + 1]);
                        w = 2;
                    }
                    cls = splitDigits && isDigit(cp) ? DIGIT : script(cp);
                }
                boolean cut = cls == DIGIT || prevClass == DIGIT || (prevClass != ANY_SCRIPT && prevClass != cls);
                if (cut && i > start) {
                    sink.segment(b, start, i, h);
                    start = i;
                    h = 0;
                }
                prevWs = false;
                prevClass = cls;
            }
            h = 31 * h + b[i];
            if (w == 2) h = 31 * h + b[i + 1];
            i += w;
        }
        sink.segment(b, start, len, h);
    }

    static boolean isDigit(int cp) {
        return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
    }

    /** The Unicode script as an int; kana is Han, as SentencePiece merges them for Japanese. */
    static int script(int cp) {
        if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ? LATIN : COMMON;
        if (cp >= 0x4E00 && cp <= 0x9FFF) return HAN; // the common CJK block, without a table lookup
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

    /** True for code points SentencePiece counts as CJK for the coverage default. */
    static boolean isCjk(int cp) {
        if (cp < 0x2E80) return false;
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL;
    }
}

package dev.llamascope.engine.data.diversity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into lower-case words for counting: runs of letters, digits and inner apostrophes; each CJK
 * ideograph (and kana, hangul syllable) is a word of its own, since Chinese has no spaces and a character-level
 * view is what n-gram diversity measures for it.
 */
public final class TextWords {
    private TextWords() {}

    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            if (isCjk(cp)) {
                flush(w, out);
                out.add(text.substring(i, i + n));
            } else if (Character.isLetterOrDigit(cp)) {
                w.appendCodePoint(cp);
            } else if ((cp == '\'' || cp == '\u2019') && !w.isEmpty() && i + n < text.length()
                    && Character.isLetter(text.codePointAt(i + n))) {
                w.append('\''); // don't, Lily's
            } else {
                flush(w, out);
            }
            i += n;
        }
        flush(w, out);
        return out;
    }

    private static void flush(StringBuilder w, List<String> out) {
        if (!w.isEmpty()) {
            out.add(w.toString().toLowerCase(Locale.ROOT));
            w.setLength(0);
        }
    }

    static boolean isCjk(int cp) {
        if (cp < 0x2E80) return false;
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL;
    }
}

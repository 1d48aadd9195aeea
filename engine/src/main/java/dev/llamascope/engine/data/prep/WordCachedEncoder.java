package dev.llamascope.engine.data.prep;

import dev.llamascope.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link Tokenizer#encode} made fast for large corpora by encoding each word once: exactly the same ids, for the
 * vocabularies where words cannot merge with each other.
 *
 * <p>Why it is exact: BPE here merges adjacent symbols into a vocabulary piece, best score first. If no piece has a
 * space right after a non-space character (SentencePiece's default, split_by_whitespace, guarantees it: spaces only
 * begin pieces), no merge ever joins a symbol ending in a non-space to one starting with a space. The text then falls
 * apart at each run of spaces into words that never interact: the merges inside a word are the same whether it is
 * encoded alone or in its text (the best pair of the text, when it lies in the word, is also the word's best, and
 * ties go leftmost either way). A vocabulary where that does not hold, or without a piece for the space, gets no
 * encoder ({@link #of} returns null) and is encoded whole.
 *
 * <p>Not thread-safe: one per thread. The cache is emptied when it reaches {@link #MAX_WORDS} words.
 */
final class WordCachedEncoder {
    static final int MAX_WORDS = 1 << 18;

    private final Tokenizer tok;
    private final Map<String, int[]> cache = new HashMap<>();

    private WordCachedEncoder(Tokenizer tok) {
        this.tok = tok;
    }

    /** An encoder for this tokenizer, or null when words of its vocabulary can merge across spaces. */
    static WordCachedEncoder of(Tokenizer tok) {
        if (tok.id(" ") < 0) return null;
        for (int i = 0; i < tok.size(); i++) {
            Tokenizer.TokenType t = tok.type(i);
            if (t != Tokenizer.TokenType.NORMAL && t != Tokenizer.TokenType.USER_DEFINED) continue;
            byte[] p = tok.pieceBytes(i);
            for (int k = 1; k < p.length; k++) if (p[k] == ' ' && p[k - 1] != ' ') return null;
        }
        return new WordCachedEncoder(tok);
    }

    /** BOS, then the ids of {@code text}: {@code tok.encode(text, true, false)}. */
    int[] encode(String text) {
        if (text.isEmpty()) return new int[]{tok.bos()};
        String s = tok.addDummyPrefix() ? " " + text : text;
        int[] out = new int[Math.min(s.length() + 1, 1024)];
        out[0] = tok.bos();
        int n = 1, start = 0;
        for (int i = 1; i <= s.length(); i++) {
            if (i == s.length() || (s.charAt(i) == ' ' && s.charAt(i - 1) != ' ')) {
                int[] ids = word(s.substring(start, i));
                if (n + ids.length > out.length) out = Arrays.copyOf(out, Math.max(n + ids.length, out.length * 2));
                System.arraycopy(ids, 0, out, n, ids.length);
                n += ids.length;
                start = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private int[] word(String w) {
        int[] ids = cache.get(w);
        if (ids == null) {
            if (cache.size() >= MAX_WORDS) cache.clear();
            ids = tok.encode(w, false, false, false);
            cache.put(w, ids);
        }
        return ids;
    }
}

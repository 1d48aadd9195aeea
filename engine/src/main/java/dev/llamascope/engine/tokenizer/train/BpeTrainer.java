package dev.llamascope.engine.tokenizer.train;

import dev.llamascope.engine.tokenizer.Tokenizer.TokenType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * SentencePiece's BPE training on counted segments: characters are chosen by coverage, then the most frequent
 * adjacent pair of symbols is merged, again and again, until the vocabulary is full.
 *
 * <p>Pair counts are kept up to date incrementally: each pair knows the words it occurs in, and a merge visits
 * only those words, changing the counts of the pairs around each occurrence (what was (p, a) becomes (p, ab),
 * what was (b, q) becomes (ab, q)). A heap orders pairs by count with lazy invalidation: an entry whose count is
 * out of date is pushed back with its current count when it surfaces. Ties go to the lower symbol ids, so a run is
 * reproducible.
 *
 * <p>A pair is only counted when its merge would be a valid SentencePiece piece: at most {@code maxPieceLength}
 * characters, U+2581 only in front (or a piece of nothing but U+2581), one script.
 */
final class BpeTrainer {

    /** Told how many pieces have been learned. */
    @FunctionalInterface
    interface Progress {
        void merges(int done, int total);
    }

    private final BpeTrainingConfig config;

    // Symbols: text, length in code points, leading U+2581 count, script (ANY for all-space symbols).
    private final List<String> symText = new ArrayList<>();
    private int[] symLen = new int[1024], symWs = new int[1024], symScript = new int[1024];
    private final Map<String, Integer> symIds = new HashMap<>();

    // Words: symbol sequences stored back to back in one array (word w at wordStart[w], seqLen[w] symbols, compacted
    // in place by merges), so that a merge walking its words in id order reads memory mostly forward.
    private int[] flat;
    private int[] wordStart;
    private int[] seqLen;
    private long[] wordCount;
    private int wordTotal;
    private int[] visit = new int[64];

    private final PairTable<Pair> pairs = new PairTable<>();
    private final PriorityQueue<long[]> heap = new PriorityQueue<>(BpeTrainer::compareEntries);
    private int[] seen;
    private int stamp;
    private final List<Pair> touched = new ArrayList<>();

    BpeTrainer(BpeTrainingConfig config) {
        this.config = config;
    }

    /** A pair of symbols, its count over the corpus, and the words it occurs in (may hold stale entries). */
    private static final class Pair {
        final int a, b;
        long count;
        int[] words = new int[4];
        int nWords;
        int lastWord = -1;
        int touchedAt = -1;

        Pair(int a, int b) {
            this.a = a;
            this.b = b;
        }

        void addWord(int w) {
            if (lastWord == w) return;
            if (nWords == words.length) words = Arrays.copyOf(words, nWords * 2);
            words[nWords++] = w;
            lastWord = w;
        }
    }

    // Heap entries: {count, a, b}; highest count first, then the lower ids.
    private static int compareEntries(long[] x, long[] y) {
        int c = Long.compare(y[0], x[0]);
        if (c != 0) return c;
        c = Long.compare(x[1], y[1]);
        return c != 0 ? c : Long.compare(x[2], y[2]);
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    TrainedVocabulary train(CorpusCounts counts, Progress progress) {
        // 1. Characters by frequency; coverage decides which are kept.
        long[] charCount = new long[Character.MAX_CODE_POINT + 1];
        long[] totals = new long[2]; // all characters, CJK characters
        for (SegmentCounter shard : counts.shards()) {
            shard.forEach((text, n) -> {
                for (int i = 0; i < text.length(); ) {
                    int cp = text.codePointAt(i);
                    i += Character.charCount(cp);
                    if (cp != 0) charCount[cp] += n; // NUL never becomes a piece (SentencePiece skips it too)
                }
            });
        }
        for (int cp = 0; cp < charCount.length; cp++) {
            if (charCount[cp] == 0) continue;
            totals[0] += charCount[cp];
            if (TextSegmenter.isCjk(cp)) totals[1] += charCount[cp];
        }
        if (totals[0] == 0) throw new IllegalArgumentException("there is no text to train on (the file is empty or all lines were held out)");
        double coverage = config.characterCoverage();
        if (coverage == BpeTrainingConfig.AUTO_COVERAGE) coverage = totals[1] * 10 >= totals[0] * 3 ? BpeTrainingConfig.CJK_COVERAGE : 1.0;
        int[] chars = keptCharacters(charCount, totals[0], coverage);
        int budget = config.vocabSize() - config.reservedTokens() - chars.length;
        if (budget < 0)
            throw new IllegalArgumentException("vocabulary size " + config.vocabSize() + " is too small: it needs "
                    + config.reservedTokens() + " special" + (config.byteFallback() ? " and byte" : "") + " tokens and the "
                    + chars.length + " characters that coverage " + coverage + " keeps; use --vocab-size "
                    + (config.reservedTokens() + chars.length) + " or more, or a lower --character-coverage");
        int[] charSymbol = new int[Character.MAX_CODE_POINT + 1];
        Arrays.fill(charSymbol, -1);
        for (int cp : chars) {
            boolean ws = cp == TextSegmenter.WS;
            charSymbol[cp] = addSymbol(new String(Character.toChars(cp)), 1, ws ? 1 : 0,
                    ws ? TextSegmenter.ANY_SCRIPT : TextSegmenter.script(cp));
        }

        // 2. Words as symbol sequences; dropped characters cut them (no piece may contain one).
        buildWords(counts, charSymbol);

        // 3. Initial pair counts.
        for (int w = 0; w < wordTotal; w++) {
            int o = wordStart[w];
            for (int i = 0; i + 1 < seqLen[w]; i++) {
                Pair p = pairFor(flat[o + i], flat[o + i + 1], true);
                if (p != null) {
                    p.count += wordCount[w];
                    p.addWord(w);
                }
            }
        }
        pairs.forEachValue(p -> heap.add(new long[]{p.count, p.a, p.b}));

        // 4. Merge until the vocabulary is full.
        seen = new int[wordTotal];
        Arrays.fill(seen, -1);
        List<String> merged = new ArrayList<>();
        List<String> applied = new ArrayList<>();
        while (merged.size() < budget && !heap.isEmpty()) {
            long[] e = heap.poll();
            int a = (int) e[1], b = (int) e[2];
            Pair p = pairs.get(key(a, b));
            if (p == null || p.count <= 0) continue;
            if (p.count != e[0]) {
                heap.add(new long[]{p.count, a, b});
                continue;
            }
            String text = symText.get(a) + symText.get(b);
            Integer existing = symIds.get(text);
            int n;
            if (existing != null) {
                n = existing; // the same string reached by another split ("aa"+"a" vs "a"+"aa"): one piece
            } else {
                boolean allA = symWs[a] == symLen[a];
                n = addSymbol(text, symLen[a] + symLen[b], allA ? symWs[a] + symWs[b] : symWs[a],
                        symScript[a] != TextSegmenter.ANY_SCRIPT ? symScript[a] : symScript[b]);
                merged.add(text);
                if (progress != null && (merged.size() % 64 == 0 || merged.size() == budget)) progress.merges(merged.size(), budget);
            }
            applied.add(symText.get(a) + " " + symText.get(b));
            applyMerge(p, n);
        }
        if (merged.size() < budget) {
            int max = config.reservedTokens() + chars.length + merged.size();
            throw new IllegalArgumentException("the text allows only " + merged.size() + " merges, so the vocabulary can have at most "
                    + max + " tokens; use --vocab-size " + max + " or less, or more text");
        }
        return vocabulary(merged, chars, coverage, applied);
    }

    /** SentencePiece's rule: most frequent first (ties by code point) until the covered share reaches the target. */
    private static int[] keptCharacters(long[] charCount, long total, double coverage) {
        List<int[]> present = new ArrayList<>();
        for (int cp = 0; cp < charCount.length; cp++) if (charCount[cp] > 0) present.add(new int[]{cp});
        present.sort((x, y) -> {
            int c = Long.compare(charCount[y[0]], charCount[x[0]]);
            return c != 0 ? c : Integer.compare(x[0], y[0]);
        });
        int[] kept = new int[present.size()];
        int k = 0;
        long acc = 0;
        for (int[] c : present) {
            if ((double) acc / total >= coverage) break;
            acc += charCount[c[0]];
            kept[k++] = c[0];
        }
        return Arrays.copyOf(kept, k);
    }

    private int addSymbol(String text, int len, int ws, int script) {
        int id = symText.size();
        if (id == symLen.length) {
            symLen = Arrays.copyOf(symLen, id * 2);
            symWs = Arrays.copyOf(symWs, id * 2);
            symScript = Arrays.copyOf(symScript, id * 2);
        }
        symText.add(text);
        symLen[id] = len;
        symWs[id] = ws;
        symScript[id] = script;
        symIds.put(text, id);
        return id;
    }

    private void buildWords(CorpusCounts counts, int[] charSymbol) {
        List<int[]> words = new ArrayList<>();
        List<Long> wc = new ArrayList<>();
        int[] buf = new int[64];
        for (SegmentCounter shard : counts.shards()) {
            List<String> keys = new ArrayList<>();
            List<Long> values = new ArrayList<>();
            shard.forEach((t, n) -> {
                keys.add(t);
                values.add(n);
            });
            for (int k = 0; k < keys.size(); k++) {
                String text = keys.get(k);
                if (buf.length < text.length()) buf = new int[text.length() * 2];
                int len = 0;
                for (int i = 0; i <= text.length(); ) {
                    int sym = -1;
                    if (i < text.length()) {
                        int cp = text.codePointAt(i);
                        i += Character.charCount(cp);
                        sym = charSymbol[cp];
                    } else {
                        i++;
                    }
                    if (sym >= 0) {
                        buf[len++] = sym;
                    } else {
                        if (len >= 2) {
                            words.add(Arrays.copyOf(buf, len));
                            wc.add(values.get(k));
                        }
                        len = 0;
                    }
                }
            }
        }
        wordTotal = words.size();
        long total = 0;
        for (int[] x : words) total += x.length;
        if (total > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException("too many distinct words to train on (" + total + " characters in them); use less text");
        flat = new int[(int) total];
        wordStart = new int[wordTotal];
        seqLen = new int[wordTotal];
        wordCount = new long[wordTotal];
        int o = 0;
        for (int w = 0; w < wordTotal; w++) {
            int[] x = words.get(w);
            words.set(w, null);
            System.arraycopy(x, 0, flat, o, x.length);
            wordStart[w] = o;
            seqLen[w] = x.length;
            wordCount[w] = wc.get(w);
            o += x.length;
        }
    }

    /** The pair's record; with {@code create}, made when the merge would be a valid piece (else null). */
    private Pair pairFor(int a, int b, boolean create) {
        long k = key(a, b);
        Pair p = pairs.get(k);
        if (p != null || !create || !valid(a, b)) return p;
        p = new Pair(a, b);
        pairs.put(k, p);
        return p;
    }

    private boolean valid(int a, int b) {
        if (symLen[a] + symLen[b] > config.maxPieceLength()) return false;
        boolean allA = symWs[a] == symLen[a], allB = symWs[b] == symLen[b];
        if (!(allA && allB)) {
            // U+2581 only at the very front of a piece that is not all spaces.
            if (symWs[b] > 0 || symWs[a] > 1) return false;
        }
        int sa = symScript[a], sb = symScript[b];
        return sa == TextSegmenter.ANY_SCRIPT || sb == TextSegmenter.ANY_SCRIPT || sa == sb;
    }

    /** Replaces every (a, b) by n in the words that contain it, updating the neighbouring pairs' counts. */
    private void applyMerge(Pair pair, int n) {
        int a = pair.a, b = pair.b;
        pairs.remove(key(a, b));
        stamp++;
        touched.clear();
        int m = 0;
        if (visit.length < pair.nWords) visit = new int[Math.max(pair.nWords, visit.length * 2)];
        for (int k = 0; k < pair.nWords; k++) {
            int w = pair.words[k];
            if (seen[w] == stamp) continue;
            seen[w] = stamp;
            visit[m++] = w;
        }
        Arrays.sort(visit, 0, m);
        int[] s = flat;
        for (int k = 0; k < m; k++) {
            int w = visit[k];
            int base = wordStart[w];
            int len = seqLen[w];
            long c = wordCount[w];
            int out = 0;
            for (int i = 0; i < len; ) {
                if (i + 1 < len && s[base + i] == a && s[base + i + 1] == b) {
                    if (out > 0) {
                        int prev = s[base + out - 1];
                        change(prev, a, -c, w, a, b);
                        change(prev, n, c, w, a, b);
                    }
                    if (i + 2 < len) {
                        int next = s[base + i + 2];
                        change(b, next, -c, w, a, b);
                        change(n, next, c, w, a, b);
                    }
                    s[base + out++] = n;
                    i += 2;
                } else {
                    s[base + out++] = s[base + i++];
                }
            }
            seqLen[w] = out;
        }
        for (Pair p : touched) if (p.count > 0) heap.add(new long[]{p.count, p.a, p.b});
    }

    private void change(int x, int y, long delta, int word, int a, int b) {
        if (x == a && y == b) return; // the pair being merged away
        if (delta < 0) {
            Pair p = pairs.get(key(x, y));
            if (p == null) return; // never counted: not a valid piece
            p.count += delta;
            if (p.count <= 0) pairs.remove(key(x, y));
        } else {
            Pair p = pairFor(x, y, true);
            if (p == null) return;
            p.count += delta;
            p.addWord(word);
            if (p.touchedAt != stamp) {
                p.touchedAt = stamp;
                touched.add(p);
            }
        }
    }

    private TrainedVocabulary vocabulary(List<String> merged, int[] chars, double coverage, List<String> applied) {
        List<String> pieces = new ArrayList<>(config.vocabSize());
        List<TokenType> types = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        pieces.add("<unk>");
        types.add(TokenType.UNKNOWN);
        pieces.add("<s>");
        types.add(TokenType.CONTROL);
        pieces.add("</s>");
        types.add(TokenType.CONTROL);
        for (int i = 0; i < 3; i++) scores.add(0f);
        if (config.byteFallback()) {
            for (int v = 0; v < 256; v++) {
                pieces.add(String.format("<0x%02X>", v));
                types.add(TokenType.BYTE);
                scores.add(0f);
            }
        }
        int rank = 0;
        for (String m : merged) {
            pieces.add(m);
            types.add(TokenType.NORMAL);
            scores.add(-(float) rank++);
        }
        for (int cp : chars) {
            pieces.add(new String(Character.toChars(cp)));
            types.add(TokenType.NORMAL);
            scores.add(-(float) rank++);
        }
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) s[i] = scores.get(i);
        return new TrainedVocabulary(pieces, s, types.toArray(TokenType[]::new), merged.size(), chars.length, config, coverage, applied);
    }
}

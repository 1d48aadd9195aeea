package dev.llamascope.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A SentencePiece-style BPE tokenizer over a scored vocabulary, as llama2.c's run.c and SentencePiece's BPE model
 * encode: the text (with a dummy-prefix space) is split into characters, each looked up as a piece; then the
 * adjacent pair whose concatenation is the highest-scoring piece is merged, leftmost first on ties, until no pair
 * merges. A character missing from the vocabulary becomes its UTF-8 bytes where the vocabulary has byte tokens,
 * else the unknown token (run.c instead emits byte + 3, which is wrong for vocabularies without byte tokens).
 *
 * <p>Pieces are byte strings; a piece's bytes are kept as a Latin-1 {@code String} for hashing, a 1:1 mapping of
 * bytes to chars. Byte, control and unknown tokens are never matched against text.
 */
public final class Tokenizer {

    public enum TokenType { NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE }

    private final byte[][] pieces;
    private final float[] scores;
    private final TokenType[] types;
    private final int bos, eos, unk;
    private final boolean addDummyPrefix;
    private final int[] byteToken = new int[256];
    private final int[] tokenByte;
    private final Map<String, Integer> lookup;
    private final String name;
    /** For Hugging Face BPE: rank of each mergeable pair (key: left id << 32 | right id); null for score order. */
    private final Map<Long, Integer> mergeRanks;
    private final int[][] merges;

    /**
     * @param types          per token; BYTE tokens must name their byte in {@code tokenByte} order via their piece
     *                       "&lt;0xXX&gt;" or, for the old llama2.c format, be the 256 tokens after the specials
     */
    public Tokenizer(String name, byte[][] pieces, float[] scores, TokenType[] types, int[] byteValues,
                     int bos, int eos, int unk, boolean addDummyPrefix) {
        this(name, pieces, scores, types, byteValues, bos, eos, unk, addDummyPrefix, null);
    }

    /**
     * A tokenizer that merges by an explicit merge list (Hugging Face BPE, tokenizer.json) instead of by score: the
     * adjacent pair whose merge comes first in {@code merges} ({@code {leftId, rightId}} in rank order) is merged,
     * leftmost first on ties; pairs not in the list never merge.
     */
    public Tokenizer(String name, byte[][] pieces, float[] scores, TokenType[] types, int[] byteValues,
                     int bos, int eos, int unk, boolean addDummyPrefix, int[][] merges) {
        int n = pieces.length;
        if (scores.length != n || types.length != n || byteValues.length != n)
            throw new IllegalArgumentException("pieces, scores, types and byte values differ in length");
        this.name = name;
        this.pieces = pieces;
        this.scores = scores;
        this.types = types;
        this.tokenByte = byteValues;
        this.bos = bos;
        this.eos = eos;
        this.unk = unk;
        this.addDummyPrefix = addDummyPrefix;
        Arrays.fill(byteToken, -1);
        if (merges != null) {
            mergeRanks = new HashMap<>(merges.length * 2);
            for (int r = 0; r < merges.length; r++) {
                int a = merges[r][0], b = merges[r][1];
                if (a < 0 || a >= n || b < 0 || b >= n) throw new IllegalArgumentException("merge " + r + " names a token outside the vocabulary");
                mergeRanks.putIfAbsent(pairKey(a, b), r);
            }
            this.merges = merges.clone();
        } else {
            mergeRanks = null;
            this.merges = null;
        }
        lookup = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            if (types[i] == TokenType.BYTE) {
                int b = byteValues[i];
                if (b < 0 || b > 255) throw new IllegalArgumentException("byte token " + i + " has no byte value");
                if (byteToken[b] < 0) byteToken[b] = i;
            } else if (types[i] == TokenType.NORMAL || types[i] == TokenType.USER_DEFINED) {
                lookup.putIfAbsent(latin1(pieces[i]), i);
            }
        }
    }

    public String name() {
        return name;
    }

    public int size() {
        return pieces.length;
    }

    public int bos() {
        return bos;
    }

    public int eos() {
        return eos;
    }

    public int unk() {
        return unk;
    }

    public boolean addDummyPrefix() {
        return addDummyPrefix;
    }

    /** The merge list in rank order ({@code {leftId, rightId}}) when this tokenizer merges by rank, else null. */
    public int[][] merges() {
        return merges == null ? null : merges.clone();
    }

    /** The id of a piece given as text (spaces as ' '), or -1; byte, control and unknown tokens are not found. */
    public int id(String piece) {
        Integer i = lookup.get(latin1(piece.getBytes(StandardCharsets.UTF_8)));
        return i == null ? -1 : i;
    }

    private static long pairKey(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    /** True when unknown characters become byte tokens rather than the unknown token. */
    public boolean hasByteFallback() {
        for (int b : byteToken) if (b < 0) return false;
        return true;
    }

    public float score(int id) {
        return scores[id];
    }

    public TokenType type(int id) {
        return types[id];
    }

    /** The raw piece bytes as stored in the vocabulary. */
    public byte[] pieceBytes(int id) {
        return pieces[id].clone();
    }

    /** The piece as readable text for labels: bytes shown as &lt;0xXX&gt;, the SentencePiece space as is. */
    public String pieceLabel(int id) {
        if (types[id] == TokenType.BYTE) return String.format("<0x%02X>", tokenByte[id]);
        return new String(pieces[id], StandardCharsets.UTF_8);
    }

    /** The byte a BYTE token stands for, or -1. */
    public int byteValue(int id) {
        return types[id] == TokenType.BYTE ? tokenByte[id] : -1;
    }

    public int[] encode(String text, boolean withBos, boolean withEos) {
        return encode(text, withBos, withEos, addDummyPrefix);
    }

    /**
     * As {@link #encode(String, boolean, boolean)}, with the dummy-prefix space added or not as {@code dummyPrefix}
     * says (for encoding a piece of a text whose prefix was already added).
     */
    public int[] encode(String text, boolean withBos, boolean withEos, boolean dummyPrefix) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        // symbols: one per character to start with; ids -1 mean "already final" (byte fallback / unknown)
        int cap = utf8.length + 3;
        int[] id = new int[cap];
        String[] str = new String[cap];
        int n = 0;
        if (dummyPrefix && utf8.length > 0) {
            Integer sp = lookup.get(" ");
            if (sp != null) {
                id[n] = sp;
                str[n++] = " ";
            } else {
                n = appendUnknown(" ".getBytes(StandardCharsets.UTF_8), 0, 1, id, str, n);
            }
        }
        for (int i = 0; i < utf8.length; ) {
            int len = charLength(utf8, i);
            String key = new String(utf8, i, len, StandardCharsets.ISO_8859_1);
            Integer t = lookup.get(key);
            if (t != null) {
                id[n] = t;
                str[n++] = key;
            } else {
                n = appendUnknown(utf8, i, len, id, str, n);
            }
            i += len;
        }
        int count = mergePairs(id, str, n);
        int[] out = new int[count + (withBos ? 1 : 0) + (withEos ? 1 : 0)];
        int o = 0;
        if (withBos) out[o++] = bos;
        for (int i = 0; i < n; i++) if (id[i] != Integer.MIN_VALUE) out[o++] = id[i];
        if (withEos) out[o] = eos;
        return out;
    }

    private int appendUnknown(byte[] utf8, int off, int len, int[] id, String[] str, int n) {
        if (hasByteFallback()) {
            for (int k = 0; k < len; k++) {
                id[n] = byteToken[utf8[off + k] & 0xff];
                str[n++] = null; // bytes never merge
            }
        } else if (n == 0 || id[n - 1] != unk || str[n - 1] != null) {
            // SentencePiece merges a run of unknown characters into one <unk> (so a decoder can copy it back)
            id[n] = unk;
            str[n++] = null;
        }
        return n;
    }

    /** Length of the UTF-8 sequence starting at i (1 for a stray continuation byte, which Java never produces). */
    private static int charLength(byte[] s, int i) {
        int b = s[i] & 0xff;
        int len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return Math.min(len, s.length - i);
    }

    /**
     * Greedy BPE with a priority queue: pops the best pair (highest merged score, then leftmost), which is exactly
     * run.c's rescan-every-time loop in O(n log n). Merged-away symbols are marked MIN_VALUE; returns the count left.
     */
    private int mergePairs(int[] id, String[] str, int n) {
        if (n < 2) return n;
        int[] prev = new int[n], next = new int[n], version = new int[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<long[]> queue = new PriorityQueue<>(n, (x, y) -> {
            int c = Float.compare(Float.intBitsToFloat((int) y[0]), Float.intBitsToFloat((int) x[0]));
            return c != 0 ? c : Long.compare(x[1], y[1]);
        });
        for (int i = 0; i + 1 < n; i++) offer(queue, id, str, version, i, i + 1);
        int count = n;
        while (!queue.isEmpty()) {
            long[] e = queue.poll();
            int left = (int) e[1], right = (int) e[2];
            int merged = (int) e[3];
            if (id[left] == Integer.MIN_VALUE || id[right] == Integer.MIN_VALUE || next[left] != right
                    || version[left] != (int) e[4] || version[right] != (int) e[5]) continue;
            id[left] = merged;
            str[left] = str[left] + str[right];
            version[left]++;
            id[right] = Integer.MIN_VALUE;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            count--;
            if (prev[left] >= 0) offer(queue, id, str, version, prev[left], left);
            if (next[left] >= 0) offer(queue, id, str, version, left, next[left]);
        }
        return count;
    }

    private void offer(PriorityQueue<long[]> q, int[] id, String[] str, int[] version, int left, int right) {
        if (str[left] == null || str[right] == null) return;
        Integer merged = lookup.get(str[left] + str[right]);
        if (merged == null) return;
        float priority = scores[merged];
        if (mergeRanks != null) {
            Integer rank = mergeRanks.get(pairKey(id[left], id[right]));
            if (rank == null) return;
            priority = -rank; // exact in a float below 2^24 merges
        }
        q.add(new long[]{Float.floatToRawIntBits(priority) & 0xffffffffL, left, right, merged, version[left], version[right]});
    }

    /**
     * The bytes token {@code token} adds to the text after {@code prev}, as run.c's decode(): a BYTE token is its
     * byte; after BOS a leading space is dropped (SentencePiece's dummy prefix); the unknown token reads " \u2047 "
     * as in SentencePiece.
     */
    public byte[] decode(int prev, int token) {
        if (token < 0 || token >= pieces.length) throw new IllegalArgumentException("token id " + token + " outside the vocabulary of " + pieces.length);
        return switch (types[token]) {
            case BYTE -> new byte[]{(byte) tokenByte[token]};
            case UNKNOWN -> " \u2047 ".getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] p = pieces[token];
                yield (prev == bos && p.length > 0 && p[0] == ' ') ? Arrays.copyOfRange(p, 1, p.length) : p;
            }
        };
    }

    /** Decodes a whole sequence to text; bytes that do not form UTF-8 become U+FFFD. */
    public String decode(int[] tokens) {
        Utf8Stream s = new Utf8Stream();
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        for (int t : tokens) {
            if (t == bos && prev == -1) {
                prev = t;
                continue;
            }
            sb.append(s.feed(decode(prev, t)));
            prev = t;
        }
        return sb.append(s.finish()).toString();
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return name + " (" + size() + " tokens" + (hasByteFallback() ? ", byte fallback" : ", no byte tokens") + ")";
    }
}

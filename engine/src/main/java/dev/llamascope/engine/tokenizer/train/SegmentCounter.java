package dev.llamascope.engine.tokenizer.train;

import java.util.Arrays;

/**
 * Counts strings looked up straight from a char buffer: an open-addressing table that copies the chars only the
 * first time it sees a segment. Counting a corpus looks up one segment per word, so not allocating a String per
 * lookup (as a {@code HashMap<String, Long>} would) is most of the counting speed. Keys are char arrays, compared
 * with the JDK's vectorized range comparison; they become Strings only when the counts are read.
 */
final class SegmentCounter {
    private char[][] keys;
    private int[] hashes;
    private long[] counts;
    private int size;

    SegmentCounter() {
        this(64);
    }

    SegmentCounter(int capacity) {
        int cap = Integer.highestOneBit(Math.max(16, capacity) * 2 - 1);
        keys = new char[cap][];
        hashes = new int[cap];
        counts = new long[cap];
    }

    int size() {
        return size;
    }

    /** String.hashCode of b[start, end): the same value a String of these chars caches. */
    static int hash(char[] b, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) h = 31 * h + b[i];
        return h;
    }

    /** The slot for a hash: spread, since String hashes of short words differ mostly in their low bits. */
    private static int slot(int h, int mask) {
        int m = (h ^ (h >>> 16)) * 0x9E3779B1;
        return (m ^ (m >>> 15)) & mask;
    }

    void add(char[] b, int start, int end, int h, long count) {
        int mask = keys.length - 1;
        int len = end - start;
        for (int i = slot(h, mask); ; i = (i + 1) & mask) {
            char[] k = keys[i];
            if (k == null) {
                keys[i] = java.util.Arrays.copyOfRange(b, start, end);
                hashes[i] = h;
                counts[i] = count;
                if (++size * 2 > keys.length) grow();
                return;
            }
            if (hashes[i] == h && k.length == len && same(k, b, start, len)) {
                counts[i] += count;
                return;
            }
        }
    }

    /** A plain loop: most segments are a few chars, where the vectorized Arrays.equals costs more than it saves. */
    private static boolean same(char[] k, char[] b, int start, int len) {
        if (len > 32) return Arrays.equals(k, 0, len, b, start, start + len);
        for (int j = 0; j < len; j++) if (k[j] != b[start + j]) return false;
        return true;
    }

    private void grow() {
        char[][] ok = keys;
        int[] oh = hashes;
        long[] oc = counts;
        int cap = ok.length * 2, mask = cap - 1;
        keys = new char[cap][];
        hashes = new int[cap];
        counts = new long[cap];
        for (int j = 0; j < ok.length; j++) {
            if (ok[j] == null) continue;
            int i = slot(oh[j], mask);
            while (keys[i] != null) i = (i + 1) & mask;
            keys[i] = ok[j];
            hashes[i] = oh[j];
            counts[i] = oc[j];
        }
    }

    /** Adds every entry of this counter to {@code into}. */
    void addTo(SegmentCounter into) {
        for (int i = 0; i < keys.length; i++) if (keys[i] != null) into.add(keys[i], 0, keys[i].length, hashes[i], counts[i]);
    }

    @FunctionalInterface
    interface EntryVisitor {
        void visit(String key, long count);
    }

    void forEach(EntryVisitor v) {
        for (int i = 0; i < keys.length; i++) if (keys[i] != null) v.visit(new String(keys[i]), counts[i]);
    }

    void clear() {
        Arrays.fill(keys, null);
        size = 0;
    }
}

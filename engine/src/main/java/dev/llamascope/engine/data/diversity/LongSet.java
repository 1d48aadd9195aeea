package dev.llamascope.engine.data.diversity;

/** A set of longs with open addressing (no boxing): distinct n-grams of a corpus run into the millions. */
final class LongSet {
    private static final long EMPTY = 0x8000_0000_0000_0000L + 0x5bd1e995L; // a value the hashes below never produce in practice
    private long[] table = new long[1 << 10];
    private boolean hasEmpty;
    private int size;

    LongSet() {
        java.util.Arrays.fill(table, EMPTY);
    }

    int size() {
        return size + (hasEmpty ? 1 : 0);
    }

    /** Adds v; true when it was new. */
    boolean add(long v) {
        if (v == EMPTY) {
            boolean was = hasEmpty;
            hasEmpty = true;
            return !was;
        }
        int mask = table.length - 1;
        for (int i = slot(v, mask); ; i = (i + 1) & mask) {
            long t = table[i];
            if (t == v) return false;
            if (t == EMPTY) {
                table[i] = v;
                if (++size * 2 > table.length) grow();
                return true;
            }
        }
    }

    private static int slot(long v, int mask) {
        long z = v * 0x9E3779B97F4A7C15L;
        return (int) (z ^ (z >>> 32)) & mask;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        java.util.Arrays.fill(table, EMPTY);
        int mask = table.length - 1;
        for (long v : old) {
            if (v == EMPTY) continue;
            int i = slot(v, mask);
            while (table[i] != EMPTY) i = (i + 1) & mask;
            table[i] = v;
        }
    }
}

package dev.llamascope.engine.tokenizer.train;

import java.util.function.Consumer;

/**
 * A map from a pair of symbol ids (packed in a long) to its record: open addressing with linear probing and
 * backward-shift deletion, keys mixed before probing. A {@code HashMap<Long, ...>} hashes (a&lt;&lt;32 | b) to
 * a ^ b, which collides for most pairs of a large vocabulary and turns its buckets into trees.
 */
final class PairTable<V> {
    private long[] keys;
    private Object[] values;
    private int size;

    PairTable() {
        keys = new long[1 << 12];
        values = new Object[1 << 12];
    }

    int size() {
        return size;
    }

    private static int slot(long k, int mask) {
        long z = (k ^ (k >>> 29)) * 0xBF58476D1CE4E5B9L;
        return (int) (z ^ (z >>> 32)) & mask;
    }

    @SuppressWarnings("unchecked")
    V get(long k) {
        int mask = keys.length - 1;
        for (int i = slot(k, mask); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) return null;
            if (keys[i] == k) return (V) v;
        }
    }

    void put(long k, V v) {
        int mask = keys.length - 1;
        for (int i = slot(k, mask); ; i = (i + 1) & mask) {
            if (values[i] == null) {
                keys[i] = k;
                values[i] = v;
                if (++size * 2 > keys.length) grow();
                return;
            }
            if (keys[i] == k) {
                values[i] = v;
                return;
            }
        }
    }

    void remove(long k) {
        int mask = keys.length - 1;
        int i = slot(k, mask);
        while (true) {
            if (values[i] == null) return;
            if (keys[i] == k) break;
            i = (i + 1) & mask;
        }
        // Backward shift: move later entries of the run into the hole when their home slot allows it.
        int hole = i;
        for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
        size--;
    }

    @SuppressWarnings("unchecked")
    void forEachValue(Consumer<V> c) {
        for (Object v : values) if (v != null) c.accept((V) v);
    }

    private void grow() {
        long[] ok = keys;
        Object[] ov = values;
        keys = new long[ok.length * 2];
        values = new Object[ov.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < ok.length; j++) {
            if (ov[j] == null) continue;
            int i = slot(ok[j], mask);
            while (values[i] != null) i = (i + 1) & mask;
            keys[i] = ok[j];
            values[i] = ov[j];
        }
    }
}

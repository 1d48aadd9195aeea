package dev.llamascope.engine.catalog;

import java.util.ArrayDeque;

/** Transfer speed over a sliding window of a few seconds, so that the number follows the network, not the start. */
final class RateMeter {
    private static final long WINDOW_NANOS = 3_000_000_000L;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    /** Records that {@code bytes} have been transferred in total at time {@code nanos}. */
    void sample(long nanos, long bytes) {
        samples.addLast(new long[] {nanos, bytes});
        while (samples.size() > 2 && nanos - samples.peekFirst()[0] > WINDOW_NANOS) samples.removeFirst();
    }

    double bytesPerSecond() {
        if (samples.size() < 2) return 0;
        long[] a = samples.peekFirst(), b = samples.peekLast();
        long dt = b[0] - a[0];
        return dt <= 0 ? 0 : (b[1] - a[1]) * 1e9 / dt;
    }
}

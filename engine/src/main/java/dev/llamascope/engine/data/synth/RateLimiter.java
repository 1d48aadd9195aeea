package dev.llamascope.engine.data.synth;

/**
 * At most {@code perMinute} requests a minute, spaced evenly: each caller gets the next free slot and sleeps until
 * it. Spacing instead of a burst allowance keeps a fresh run from tripping a provider's per-second limit.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private long nextSlot;

    /** @param perMinute requests per minute; 0 or less = no limit */
    public RateLimiter(double perMinute) {
        this.intervalNanos = perMinute > 0 ? (long) (60e9 / perMinute) : 0;
        this.nextSlot = System.nanoTime();
    }

    public void acquire() throws InterruptedException {
        if (intervalNanos == 0) return;
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            slot = Math.max(now, nextSlot);
            nextSlot = slot + intervalNanos;
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
}

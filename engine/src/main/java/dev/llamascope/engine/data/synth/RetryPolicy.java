package dev.llamascope.engine.data.synth;

import java.time.Duration;

/**
 * Exponential backoff: attempt n (from 1) waits initial × multiplier^(n-1), at most {@code max}, or what the
 * server asked for in Retry-After when that is longer (and still at most {@code max}).
 */
public record RetryPolicy(int maxAttempts, Duration initial, Duration max, double multiplier) {
    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("retries: at least one attempt, got " + maxAttempts);
        if (initial.isNegative() || max.isNegative()) throw new IllegalArgumentException("backoff durations must be >= 0");
        if (!(multiplier >= 1)) throw new IllegalArgumentException("backoff multiplier must be >= 1, got " + multiplier);
    }

    /** 6 attempts, 1 s doubling up to 60 s: rides out a minute of rate limiting or a restarting server. */
    public static RetryPolicy standard() {
        return new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60), 2);
    }

    public Duration delay(int attempt, Duration retryAfter) {
        double ms = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        long wait = (long) Math.min(ms, max.toMillis());
        if (retryAfter != null) wait = Math.max(wait, Math.min(retryAfter.toMillis(), max.toMillis()));
        return Duration.ofMillis(wait);
    }
}

package dev.llamascope.engine.data.synth;

import java.util.concurrent.atomic.AtomicLong;

/** Counts requests, retries, failures and tokens across threads; the cost follows from a {@link Pricing}. */
public final class UsageMeter {
    private final AtomicLong records = new AtomicLong(), requests = new AtomicLong(), retries = new AtomicLong(),
            failures = new AtomicLong(), promptTokens = new AtomicLong(), completionTokens = new AtomicLong();
    private final Pricing pricing;

    public UsageMeter(Pricing pricing) {
        this.pricing = pricing;
    }

    /** A moment's totals. */
    public record Usage(long records, long requests, long retries, long failures, long promptTokens,
                        long completionTokens, double cost) {
        public long totalTokens() {
            return promptTokens + completionTokens;
        }
    }

    public void request(Completion c) {
        requests.addAndGet(c.attempts());
        retries.addAndGet(c.attempts() - 1);
        promptTokens.addAndGet(c.promptTokens());
        completionTokens.addAndGet(c.completionTokens());
    }

    public void recordWritten() {
        records.incrementAndGet();
    }

    /** A prompt that failed for good after {@code attempts} requests. */
    public void failure(int attempts) {
        failures.incrementAndGet();
        requests.addAndGet(attempts);
        retries.addAndGet(Math.max(0, attempts - 1));
    }

    public Usage snapshot() {
        long p = promptTokens.get(), c = completionTokens.get();
        return new Usage(records.get(), requests.get(), retries.get(), failures.get(), p, c, pricing.cost(p, c));
    }
}

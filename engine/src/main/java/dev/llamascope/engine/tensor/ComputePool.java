package dev.llamascope.engine.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A small fork-join style pool for data-parallel loops: {@code parallelFor(n, body)} splits [0, n) into
 * chunks that the calling thread and {@code threads - 1} workers take from a shared counter.
 *
 * <p>Why not {@link java.util.concurrent.ForkJoinPool}: a decode step of a small model issues ~50 parallel
 * loops of a few microseconds each. Waking parked FJP workers costs tens of microseconds per loop, which is
 * most of a token's budget at 500+ tokens/s. These workers spin briefly (like OpenMP's active wait) and then
 * park, so back-to-back loops start at once while an idle pool costs no CPU.
 */
public final class ComputePool implements AutoCloseable {

    /** The body of a parallel loop over the half-open range [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Worker[] workers;
    private final Thread caller[] = new Thread[1];

    // The current job. Written by the caller before the epoch bump, read by workers after seeing it.
    private RangeBody body;
    private int total;
    private int chunk;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile Throwable failure;
    private volatile long epoch;
    private volatile boolean closed;
    private volatile boolean callerParked;
    private volatile boolean active;

    public ComputePool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("llamascope-compute-" + (i + 1));
            workers[i].thread.start();
        }
    }

    /** A sensible default: the number of physical cores we can see (hyper-threads do not help memory-bound work). */
    public static int defaultThreads() {
        int logical = Runtime.getRuntime().availableProcessors();
        return Math.max(1, logical >= 8 ? logical / 2 : logical);
    }

    public int threads() {
        return threads;
    }

    /** Runs body over [0, n) in about 4 chunks per thread, so a thread slowed by a noisy neighbour is balanced out. */
    public void parallelFor(int n, RangeBody body) {
        parallelFor(n, Math.max(1, (n + threads * 4 - 1) / (threads * 4)), body);
    }

    /** Runs body over [0, n) in chunks of {@code grain}; returns when all chunks are done, rethrowing any failure. */
    public void parallelFor(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        if (closed) throw new IllegalStateException("compute pool is closed");
        // Serial when there is nothing to split, or when called from inside a running loop (nesting would
        // overwrite the job in flight; a worker waiting for the monitor would deadlock).
        if (threads == 1 || n <= grain || active) {
            body.run(0, n);
            return;
        }
        synchronized (this) {
            active = true;
            try {
                runParallel(n, grain, body);
            } finally {
                active = false;
            }
        }
    }

    private void runParallel(int n, int grain, RangeBody body) {
        this.body = body;
        this.total = n;
        this.chunk = grain;
        this.failure = null;
        nextChunk.set(0);
        running.set(workers.length);
        caller[0] = Thread.currentThread();
        epoch = epoch + 1; // publishes the job (volatile write after plain writes)
        for (Worker w : workers) {
            if (w.parked) LockSupport.unpark(w.thread);
        }
        try {
            runChunks();
        } catch (Throwable t) {
            failure = t;
        }
        awaitWorkers();
        this.body = null;
        Throwable t = failure;
        if (t != null) {
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error e) throw e;
            throw new RuntimeException(t);
        }
    }

    private void runChunks() {
        RangeBody b = body;
        int n = total, c = chunk;
        while (failure == null) {
            int start = nextChunk.getAndIncrement() * c;
            if (start >= n) return;
            b.run(start, Math.min(n, start + c));
        }
    }

    private void awaitWorkers() {
        long deadline = System.nanoTime() + SPIN_NANOS;
        while (running.get() != 0) {
            if (System.nanoTime() < deadline) {
                Thread.onSpinWait();
            } else {
                callerParked = true;
                if (running.get() != 0) LockSupport.parkNanos(this, 1_000_000);
                callerParked = false;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) LockSupport.unpark(w.thread);
        for (Worker w : workers) {
            try {
                w.thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Worker implements Runnable {
        final Thread thread;
        volatile boolean parked;

        Worker(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long e = waitForJob(seen);
                if (closed) return;
                seen = e;
                try {
                    runChunks();
                } catch (Throwable t) {
                    failure = t;
                }
                if (running.decrementAndGet() == 0 && callerParked) LockSupport.unpark(caller[0]);
            }
        }

        private long waitForJob(long seen) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            while (true) {
                long e = epoch;
                if (e != seen || closed) return e;
                if (++spins < 64 || System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (epoch == seen && !closed) LockSupport.park(this);
                    parked = false;
                }
            }
        }
    }
}

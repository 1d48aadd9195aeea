package dev.llamascope.app.ui.concurrent;

import dev.llamascope.engine.tensor.ComputePool;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The app's one compute pool, lent to one piece of engine work at a time (a generation, the warm-up after a load,
 * an inspection). Why one at a time: the pool's workers spin between loops and the machine has only so many cores;
 * two forward passes side by side would each run at half speed or worse, and the pool runs a loop serially when
 * another thread is inside it. So work takes the lane, runs, and gives it back; whoever asks next waits.
 *
 * <p>Work that is only a courtesy (the warm-up) is lent the lane as <em>yielding</em>: when anyone else asks, its
 * stop request runs and the asker gets the lane as soon as it has stopped. A waiting asker gives up when its own
 * cancel flag is raised. The pool is made (again) with the thread count the borrower asks for.
 * Thread-safe; no JavaFX.
 */
public final class ComputeLane implements AutoCloseable {
    /** How often a waiting borrower looks at its cancel flag. */
    private static final long POLL_MILLIS = 20;

    /** The lane while it is lent: the pool to use; {@link #close()} gives it back. */
    public final class Lease implements AutoCloseable {
        private final ComputePool pool;
        private final Runnable stopRequest;
        private boolean stopAsked;
        private boolean returned;

        private Lease(ComputePool pool, Runnable stopRequest) {
            this.pool = pool;
            this.stopRequest = stopRequest;
        }

        public ComputePool pool() {
            return pool;
        }

        @Override
        public void close() {
            synchronized (ComputeLane.this) {
                if (returned) return;
                returned = true;
                if (holder == this) holder = null;
                ComputeLane.this.notifyAll();
            }
        }
    }

    /** Called once when a borrower has to wait for the lane (e.g. to say "waiting for the generation…"). */
    @FunctionalInterface
    public interface WaitListener {
        WaitListener NONE = () -> {};

        void waiting();
    }

    private Lease holder;
    private ComputePool pool;
    private boolean closed;

    /**
     * Takes the lane, waiting while another borrower has it.
     *
     * @param threads     compute threads the pool should have
     * @param cancelled   the borrower's cancel flag: while waiting, a raised flag gives up with CancellationException
     * @param stopRequest null for ordinary work; for yielding work, what stops it when someone else asks
     * @param onWait      told once if the lane is busy
     */
    public synchronized Lease acquire(int threads, BooleanSupplier cancelled, Runnable stopRequest, WaitListener onWait) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        boolean told = false;
        while (holder != null) {
            if (closed) throw new CancellationException("the compute pool is closed");
            if (stopRequest == null && holder.stopRequest != null && !holder.stopAsked) {
                holder.stopAsked = true;
                holder.stopRequest.run(); // raises a flag: cheap, and never calls back into the lane
            }
            if (!told && onWait != null) {
                told = true;
                onWait.waiting();
            }
            if (cancelled.getAsBoolean()) throw new CancellationException();
            try {
                wait(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for the compute pool");
            }
        }
        if (closed) throw new CancellationException("the compute pool is closed");
        if (pool == null || pool.threads() != threads) {
            if (pool != null) pool.close(); // nobody holds the lane, so nobody is inside the old pool
            pool = new ComputePool(threads);
        }
        holder = new Lease(pool, stopRequest);
        return holder;
    }

    /** Whether some work has the lane now (for tests and status lines). */
    public synchronized boolean busy() {
        return holder != null;
    }

    /** Stops the pool's threads (at exit, after the engine work has stopped). */
    @Override
    public synchronized void close() {
        closed = true;
        if (pool != null) pool.close();
        pool = null;
        notifyAll();
    }
}

package dev.llamascope.app.ui.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import javafx.animation.AnimationTimer;

/**
 * Moves a high-frequency stream (tokens, metrics) from engine threads to the FX thread in batches: producers
 * {@link #offer} into a lock-free queue from any thread; an {@link AnimationTimer} drains it once per frame and
 * hands the batch to the sink. No {@code Platform.runLater} per item, so the FX event queue never floods, and
 * however fast the engine runs the view updates at most once per frame.
 *
 * <p>At most {@code maxPerFrame} items are handed over per frame; the rest wait for the next frame, which bounds
 * the work done in one pulse after a burst.
 */
public final class FrameDrain<T> {
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final Consumer<List<T>> sink;
    private final int maxPerFrame;
    private final AnimationTimer timer;
    private final long minIntervalNanos;
    private boolean running;
    private long lastDelivery;

    public FrameDrain(int maxPerFrame, Consumer<List<T>> sink) {
        this(maxPerFrame, 0, sink);
    }

    /**
     * @param minIntervalMillis hand over at most this often (0: every frame). Updating a large view has a cost per
     *                          update as well as per item; a fast stream then costs fewer, larger updates, and the
     *                          frames between them stay quick.
     */
    public FrameDrain(int maxPerFrame, int minIntervalMillis, Consumer<List<T>> sink) {
        if (maxPerFrame < 1) throw new IllegalArgumentException("maxPerFrame must be >= 1");
        if (minIntervalMillis < 0) throw new IllegalArgumentException("minIntervalMillis must be >= 0");
        this.maxPerFrame = maxPerFrame;
        this.minIntervalNanos = minIntervalMillis * 1_000_000L;
        this.sink = sink;
        this.timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (now - lastDelivery < minIntervalNanos) return;
                if (drain() > 0) lastDelivery = now;
            }
        };
    }

    /** Any thread. */
    public void offer(T item) {
        queue.add(item);
    }

    /** FX thread: starts draining every frame. */
    public void start() {
        if (!running) {
            running = true;
            timer.start();
        }
    }

    /** FX thread: stops the per-frame drain (what is queued stays queued). */
    public void stop() {
        if (running) {
            running = false;
            timer.stop();
        }
    }

    public boolean isRunning() {
        return running;
    }

    /** FX thread: hands over what is queued now (up to the per-frame limit); returns how many items. */
    public int drain() {
        if (queue.isEmpty()) return 0;
        List<T> batch = new ArrayList<>(Math.min(maxPerFrame, 256));
        T item;
        while (batch.size() < maxPerFrame && (item = queue.poll()) != null) batch.add(item);
        if (!batch.isEmpty()) sink.accept(batch);
        return batch.size();
    }

    /** Drops everything queued (FX thread, e.g. before a new stream starts). */
    public void clear() {
        queue.clear();
    }
}

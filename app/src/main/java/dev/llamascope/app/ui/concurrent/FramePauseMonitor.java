package dev.llamascope.app.ui.concurrent;

import javafx.animation.AnimationTimer;

/**
 * Measures how responsive the FX thread is: while running, an {@link AnimationTimer} records the gap between
 * consecutive frames. A gap well above the frame period (16.7 ms at 60 Hz) is a pause the user can see.
 * FX thread only.
 */
public final class FramePauseMonitor {
    private final AnimationTimer timer;
    private long last;
    private long started;
    private long maxGap;
    private long maxGapAt;
    private long frames;
    private long slowFrames;

    public FramePauseMonitor() {
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                // The pulse timestamp is when the pulse began: the gap includes whatever kept the FX thread busy.
                long t = System.nanoTime();
                if (last != 0) {
                    long gap = t - last;
                    if (gap > maxGap) {
                        maxGap = gap;
                        maxGapAt = t - started;
                    }
                    if (gap > 50_000_000) slowFrames++;
                }
                last = t;
                frames++;
            }
        };
    }

    public void start() {
        last = 0;
        started = System.nanoTime();
        maxGap = 0;
        maxGapAt = 0;
        frames = 0;
        slowFrames = 0;
        timer.start();
    }

    public void stop() {
        timer.stop();
    }

    /** The longest gap between two frames since {@link #start}, in milliseconds. */
    public double maxPauseMillis() {
        return maxGap / 1e6;
    }

    public long frames() {
        return frames;
    }

    /** Gaps longer than 50 ms since {@link #start}. */
    public long slowFrames() {
        return slowFrames;
    }

    /** When the longest gap ended, in seconds after {@link #start}. */
    public double maxPauseAtSeconds() {
        return maxGapAt / 1e9;
    }
}

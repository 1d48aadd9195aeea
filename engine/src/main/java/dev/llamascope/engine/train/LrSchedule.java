package dev.llamascope.engine.train;

import java.util.Locale;

/**
 * The learning rate of each optimizer step (0-based s of {@code totalSteps}): a linear warmup over the first
 * {@code warmup} steps, lr (s + 1) / warmup, then either constant, or a cosine from lr down to {@code minLr}
 * reached at the last step, as llama2.c's get_lr (whose warmup starts at 0 and so wastes its first step; ours does not).
 */
public record LrSchedule(Kind kind, double lr, int warmup, double minLr, long totalSteps) {
    public enum Kind {
        CONSTANT, COSINE;

        public static Kind parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "constant" -> CONSTANT;
                case "cosine" -> COSINE;
                default -> throw new IllegalArgumentException("unknown learning-rate schedule '" + s + "' (constant or cosine)");
            };
        }
    }

    public LrSchedule {
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("the learning rate must be positive, got " + lr);
        if (warmup < 0) throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
        if (!(minLr >= 0) || minLr > lr) throw new IllegalArgumentException("min-lr must be in [0, lr], got " + minLr);
        if (totalSteps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + totalSteps);
    }

    public static LrSchedule constant(double lr) {
        return new LrSchedule(Kind.CONSTANT, lr, 0, 0, 1);
    }

    /** The learning rate of step s (from 0). */
    public double at(long s) {
        if (s < warmup) return lr * (s + 1) / warmup;
        if (kind == Kind.CONSTANT) return lr;
        long decaySteps = totalSteps - 1 - warmup;
        if (decaySteps <= 0) return lr;
        double ratio = Math.min(1.0, (double) (s - warmup) / decaySteps);
        return minLr + 0.5 * (1.0 + Math.cos(Math.PI * ratio)) * (lr - minLr);
    }
}

package dev.llamascope.engine.data.synth;

import java.io.IOException;

/**
 * A prompt could not be answered.
 *
 * @see #fatal()
 */
public final class GenerationException extends IOException {
    private final boolean fatal;
    private final int attempts;

    public GenerationException(String message, boolean fatal, int attempts, Throwable cause) {
        super(message, cause);
        this.fatal = fatal;
        this.attempts = attempts;
    }

    public GenerationException(String message, boolean fatal) {
        this(message, fatal, 1, null);
    }

    /** True when the whole run should stop (bad key, unknown model, wrong URL), not just this prompt. */
    public boolean fatal() {
        return fatal;
    }

    /** Requests made before giving up. */
    public int attempts() {
        return attempts;
    }
}

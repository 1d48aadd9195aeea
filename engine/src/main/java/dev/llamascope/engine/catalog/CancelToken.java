package dev.llamascope.engine.catalog;

import java.io.Closeable;
import java.io.IOException;

/**
 * Cancels a download from another thread. Besides raising a flag it closes the stream being read, so that a
 * read blocked on a silent server returns at once.
 */
public final class CancelToken {
    private volatile boolean cancelled;
    private Closeable active;

    public void cancel() {
        Closeable c;
        synchronized (this) {
            cancelled = true;
            c = active;
            active = null;
        }
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // the reader sees the flag; a failing close changes nothing
            }
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Registers the stream to close on cancel (null to clear); closes it at once if already cancelled. */
    void setActive(Closeable c) throws IOException {
        boolean closeNow;
        synchronized (this) {
            closeNow = cancelled && c != null;
            active = closeNow ? null : c;
        }
        if (closeNow) c.close();
    }
}

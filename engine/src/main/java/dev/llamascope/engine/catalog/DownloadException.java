package dev.llamascope.engine.catalog;

import java.io.IOException;

/** A download that did not complete, with a one-line message saying why and what to do. */
public class DownloadException extends IOException {
    /** What went wrong, so that a GUI can offer the right next step (e.g. open a local file when offline). */
    public enum Kind {
        /** The server could not be reached at all (no network, DNS, refused connection). */
        OFFLINE,
        /** The connection broke or stalled during the transfer; the partial file is kept and a pull resumes. */
        INTERRUPTED,
        /** The server answered with an HTTP error status. */
        HTTP,
        /** The file's size or sha256 is not what the catalog says; the partial file was deleted. */
        CHECKSUM,
        /** Not enough disk space, or the file cannot be written. */
        DISK,
        /** The user cancelled; the partial file is kept. */
        CANCELLED,
        /** Another download of the same file is running. */
        BUSY
    }

    private final Kind kind;
    private final int httpStatus;

    public DownloadException(Kind kind, String message) {
        this(kind, 0, message, null);
    }

    public DownloadException(Kind kind, String message, Throwable cause) {
        this(kind, 0, message, cause);
    }

    public DownloadException(Kind kind, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status for {@link Kind#HTTP}, else 0. */
    public int httpStatus() {
        return httpStatus;
    }

    /** A failure that may go away by itself (a dropped connection, a server error): worth an automatic retry. */
    public boolean transientFailure() {
        return kind == Kind.INTERRUPTED || (kind == Kind.HTTP && httpStatus >= 500);
    }
}

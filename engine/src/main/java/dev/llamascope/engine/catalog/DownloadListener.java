package dev.llamascope.engine.catalog;

/**
 * Receives a download's progress. Called on the downloading thread, at most every ~100 ms plus once per phase
 * change; a GUI moves the values to its own thread. Must not block for long.
 */
public interface DownloadListener {
    DownloadListener NONE = new DownloadListener() {};

    default void progress(DownloadProgress p) {}

    /** A one-line remark worth showing: resuming, restarting, an unverifiable checksum, already installed. */
    default void note(String message) {}
}

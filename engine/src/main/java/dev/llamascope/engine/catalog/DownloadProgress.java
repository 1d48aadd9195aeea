package dev.llamascope.engine.catalog;

/**
 * Where a download stands. Byte counts include what a resumed {@code .partial} file already held.
 *
 * @param entry          the catalog entry's name
 * @param file           the file being fetched (its path in the entry)
 * @param fileIndex      0-based index of that file among those being fetched
 * @param fileCount      how many files are being fetched
 * @param phase          what is happening now
 * @param fileDone       bytes of this file on disk
 * @param fileTotal      size of this file, or -1 while unknown
 * @param done           bytes of all files being fetched on disk
 * @param total          size of all files being fetched, or -1 while some size is unknown
 * @param bytesPerSecond transfer speed over the last few seconds (0 before there is a measure)
 */
public record DownloadProgress(String entry, String file, int fileIndex, int fileCount, Phase phase, long fileDone,
                               long fileTotal, long done, long total, double bytesPerSecond) {

    public enum Phase { CONNECTING, DOWNLOADING, VERIFYING, DONE }

    /** Fraction of all files done, 0..1, or -1 when the total is unknown. */
    public double fraction() {
        return total > 0 ? Math.min(1.0, (double) done / total) : -1;
    }

    /** Seconds left at the current speed, or -1 when unknown. */
    public double secondsLeft() {
        return total > 0 && bytesPerSecond > 0 ? Math.max(0, total - done) / bytesPerSecond : -1;
    }
}

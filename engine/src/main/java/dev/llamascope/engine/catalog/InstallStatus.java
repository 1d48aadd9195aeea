package dev.llamascope.engine.catalog;

import java.nio.file.Path;

/**
 * How much of a catalog entry is on disk.
 *
 * @param entry         the entry
 * @param state         installed, partly downloaded, or absent
 * @param presentBytes  bytes on disk: complete files plus {@code .partial} downloads
 * @param expectedBytes the catalog's total size ({@link CatalogEntry#knownSize()})
 * @param dir           the entry's folder
 */
public record InstallStatus(CatalogEntry entry, State state, long presentBytes, long expectedBytes, Path dir) {
    public enum State { INSTALLED, PARTIAL, NOT_INSTALLED }

    public boolean installed() {
        return state == State.INSTALLED;
    }
}

package dev.llamascope.app.ui.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.catalog.CatalogEntry;
import dev.llamascope.engine.catalog.CatalogFile;
import dev.llamascope.engine.catalog.DownloadException;
import dev.llamascope.engine.catalog.DownloadProgress;
import dev.llamascope.engine.catalog.InstallStatus;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalog's words: progress lines with speed and time left, badges, and download errors as one actionable line. */
class CatalogTextTest {
    static final CatalogEntry ENTRY = new CatalogEntry("stories15M", "a model", "llama2.c", "MIT", true, null, "",
            List.of(new CatalogFile("stories15M.bin", CatalogFile.Role.MODEL, URI.create("https://huggingface.co/x/stories15M.bin"),
                    60_816_028, null, false, "")));

    @Test
    void progressLinesSaySpeedAndTimeLeft() {
        DownloadProgress p = new DownloadProgress("stories15M", "stories15M.bin", 0, 2, DownloadProgress.Phase.DOWNLOADING,
                12_300_000, 60_816_028, 12_300_000, 61_249_897, 4_100_000);
        assertEquals("12.3 MB of 61.2 MB · 4.1 MB/s · 12 s left", CatalogText.progress(p));
        assertEquals("Checking stories15M.bin (size and sha256)…", CatalogText.progress(new DownloadProgress("stories15M", "stories15M.bin",
                0, 1, DownloadProgress.Phase.VERIFYING, 1, 1, 1, 1, 0)));
        assertEquals("3 min 5 s", CatalogText.duration(185));
        assertEquals("1 h 2 min", CatalogText.duration(3725));
    }

    @Test
    void badgesAndStatus() {
        Path dir = Path.of("models/stories15M");
        assertEquals("Partial · 37%", CatalogText.badge(new InstallStatus(ENTRY, InstallStatus.State.PARTIAL, 23_000_000, 61_249_897, dir)));
        assertEquals("Partly downloaded (23.0 MB of 61.2 MB)",
                CatalogText.status(new InstallStatus(ENTRY, InstallStatus.State.PARTIAL, 23_000_000, 61_249_897, dir)));
        assertEquals("Not installed", CatalogText.badge(new InstallStatus(ENTRY, InstallStatus.State.NOT_INSTALLED, 0, 61_249_897, dir)));
    }

    @Test
    void errorsAreOneActionableLine() {
        String offline = CatalogText.error(new DownloadException(DownloadException.Kind.OFFLINE, "cannot reach huggingface.co (…)"), ENTRY);
        assertTrue(offline.startsWith("Offline? Cannot reach huggingface.co.") && offline.contains("Open model file…"), offline);
        String broken = CatalogText.error(new DownloadException(DownloadException.Kind.INTERRUPTED,
                "the connection to huggingface.co broke after 1 MB (the partial file is kept; pull again to resume)"), ENTRY);
        assertEquals("The connection to huggingface.co broke after 1 MB (the partial file is kept; Download again to resume)", broken);
        assertTrue(CatalogText.error(new DownloadException(DownloadException.Kind.CANCELLED, "x"), ENTRY).startsWith("Cancelled; the part"));
    }
}

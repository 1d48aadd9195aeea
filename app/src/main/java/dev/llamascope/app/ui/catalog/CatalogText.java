package dev.llamascope.app.ui.catalog;

import dev.llamascope.app.ui.actions.AppAction;
import dev.llamascope.app.ui.session.ModelSummary;
import dev.llamascope.engine.catalog.CatalogEntry;
import dev.llamascope.engine.catalog.DownloadException;
import dev.llamascope.engine.catalog.DownloadProgress;
import dev.llamascope.engine.catalog.InstallStatus;
import dev.llamascope.engine.catalog.Sizes;
import dev.llamascope.engine.model.ModelConfig;
import java.util.Locale;

/** The words the catalog views use: sizes, shapes, progress lines and download errors, each one line. */
public final class CatalogText {
    private CatalogText() {}

    /** "61.2 MB · 15.2M parameters · dim 288 · 6 layers · 6 heads · context 256 · MIT" */
    public static String facts(CatalogEntry e) {
        StringBuilder sb = new StringBuilder(Sizes.of(e));
        ModelConfig c = e.shape();
        if (c != null) {
            sb.append(" · ").append(ModelSummary.count(c.parameterCount())).append(" parameters");
            String heads = c.nKvHeads() == c.nHeads() ? c.nHeads() + " heads" : c.nHeads() + " heads (" + c.nKvHeads() + " KV)";
            sb.append(" · dim ").append(c.dim()).append(" · ").append(c.nLayers()).append(" layers · ").append(heads)
                    .append(" · vocab ").append(String.format(Locale.ROOT, "%,d", c.vocabSize()))
                    .append(" · context ").append(String.format(Locale.ROOT, "%,d", c.seqLen()));
        }
        if (!e.license().isEmpty()) sb.append(" · ").append(e.license());
        return sb.toString();
    }

    /** The short badge beside a name: "Installed", "Partial · 38%", "Not installed". */
    public static String badge(InstallStatus s) {
        return switch (s.state()) {
            case INSTALLED -> "Installed";
            case PARTIAL -> s.expectedBytes() > 0
                    ? String.format(Locale.ROOT, "Partial · %.0f%%", Math.floor(100.0 * s.presentBytes() / s.expectedBytes()))
                    : "Partial";
            case NOT_INSTALLED -> "Not installed";
        };
    }

    /** "Installed", "Partly downloaded (12.3 MB of 61.2 MB)", "Not installed". */
    public static String status(InstallStatus s) {
        return switch (s.state()) {
            case INSTALLED -> "Installed";
            case PARTIAL -> s.expectedBytes() > 0
                    ? "Partly downloaded (" + Sizes.human(s.presentBytes()) + " of " + Sizes.human(s.expectedBytes()) + ")"
                    : "Partly downloaded";
            case NOT_INSTALLED -> "Not installed";
        };
    }

    /** The progress line under the bar. */
    public static String progress(DownloadProgress p) {
        return switch (p.phase()) {
            case CONNECTING -> "Connecting to fetch " + p.file() + "…";
            case VERIFYING -> "Checking " + p.file() + " (size and sha256)…";
            case DONE -> "Done";
            case DOWNLOADING -> {
                StringBuilder sb = new StringBuilder(Sizes.human(p.done()));
                if (p.total() > 0) sb.append(" of ").append(Sizes.human(p.total()));
                if (p.bytesPerSecond() > 0) sb.append(" · ").append(Sizes.human((long) p.bytesPerSecond())).append("/s");
                double left = p.secondsLeft();
                if (left >= 0 && p.bytesPerSecond() > 0) sb.append(" · ").append(duration(left)).append(" left");
                yield sb.toString();
            }
        };
    }

    /** "45 s", "3 min 5 s", "1 h 12 min". */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + " s";
        if (s < 3600) return (s / 60) + " min " + (s % 60) + " s";
        return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
    }

    /**
     * A failed download as one line a user can act on. The engine's messages speak to the command line ("pull
     * again"); here the next step is a button, and offline the way out is a model file already on disk.
     */
    public static String error(Throwable failure, CatalogEntry e) {
        if (failure instanceof DownloadException d) {
            String m = d.getMessage() == null ? "" : d.getMessage();
            return switch (d.kind()) {
                case OFFLINE -> "Offline? Cannot reach " + e.modelFile().url().getHost() + ". You can open a model file you already have instead: "
                        + AppAction.OPEN_MODEL.text() + " (" + AppAction.OPEN_MODEL.key().getDisplayText() + ").";
                case CANCELLED -> "Cancelled; the part downloaded is kept, and Download resumes from there.";
                default -> capitalise(m.replace("pull again to resume", "Download again to resume"));
            };
        }
        String m = failure.getMessage();
        return capitalise(m == null ? failure.getClass().getSimpleName() : m);
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

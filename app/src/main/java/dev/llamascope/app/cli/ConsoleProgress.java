package dev.llamascope.app.cli;

import dev.llamascope.engine.catalog.DownloadListener;
import dev.llamascope.engine.catalog.DownloadProgress;
import dev.llamascope.engine.catalog.Sizes;
import dev.llamascope.engine.data.prep.PrepProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A download's or a data job's progress on stderr: one self-rewriting bar on a terminal, a line per tenth when the
 * output goes to a file or a pipe (so that logs stay readable).
 */
final class ConsoleProgress implements DownloadListener, PrepProgress {
    private static final int BAR = 24;
    private final PrintStream err;
    private final boolean interactive;
    private int lastWidth;
    private int lastTenth = -1;
    private String lastFile = "";
    private DownloadProgress.Phase lastPhase;

    private final String unit;
    private long started;
    private String lastWhat = "";

    ConsoleProgress(PrintStream err, boolean interactive) {
        this(err, interactive, "");
    }

    /** For data jobs: {@code unit} names what is counted ("records", or "bytes", shown as kB/MB). */
    ConsoleProgress(PrintStream err, boolean interactive, String unit) {
        this.err = err;
        this.interactive = interactive;
        this.unit = unit;
    }

    /** Whether stderr is a terminal (a self-rewriting bar) rather than a file or a pipe. */
    static boolean terminal() {
        return System.console() != null && System.console().isTerminal();
    }

    @Override
    public synchronized void progress(long done, long total, String what) {
        long now = System.nanoTime();
        if (started == 0) started = now;
        double f = total > 0 ? Math.min(1.0, (double) done / total) : -1;
        double seconds = (now - started) / 1e9;
        double rate = seconds > 0.2 ? done / seconds : 0;
        String bar = f < 0 ? "" : "[" + "#".repeat((int) Math.round(f * BAR)) + "-".repeat(BAR - (int) Math.round(f * BAR)) + "] "
                + String.format(Locale.ROOT, "%3d%%  ", (int) Math.floor(f * 100));
        boolean bytes = unit.equals("bytes");
        String amount = total <= 0 ? "" : bytes ? Sizes.human(done) + " / " + Sizes.human(total)
                : String.format(Locale.ROOT, "%,d / %,d %s", done, total, unit);
        String speed = rate <= 0 || total <= 0 ? "" : bytes ? "  " + Sizes.human((long) rate) + "/s" : String.format(Locale.ROOT, "  %,.0f/s", rate);
        String eta = rate > 0 && total > 0 && done < total ? "  " + clock((total - done) / rate) + " left" : "";
        String line = String.format(Locale.ROOT, "%-10s ", what) + bar + amount + speed + eta;
        if (interactive) {
            err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
            err.flush();
            return;
        }
        if (seconds < 1) return; // a log gets lines only for work that takes a while
        int tenth = f < 0 ? -1 : (int) Math.floor(f * 10);
        boolean newPhase = !what.equals(lastWhat);
        if (newPhase) lastTenth = -1;
        if (tenth > lastTenth) { // a phase of unknown length ("reading") is not worth a line in a log
            err.println(line);
            err.flush();
        }
        lastWhat = what;
        lastTenth = Math.max(lastTenth, tenth);
    }

    /** Ends a data job's bar (the summary follows on its own line). */
    synchronized void clear() {
        if (interactive && lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
            lastWidth = 0;
        }
    }

    @Override
    public synchronized void progress(DownloadProgress p) {
        if (interactive) {
            String line = line(p);
            err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
            if (p.phase() == DownloadProgress.Phase.DONE) {
                err.println();
                lastWidth = 0;
            }
            err.flush();
            return;
        }
        double f = p.fraction();
        int tenth = f < 0 ? -1 : (int) Math.floor(f * 10);
        if (tenth < lastTenth) lastTenth = tenth - 1; // a restart from zero: report the tenths again
        boolean changed = !p.file().equals(lastFile) || p.phase() != lastPhase;
        if ((changed && p.phase() != DownloadProgress.Phase.DOWNLOADING) || tenth > lastTenth) {
            err.println(line(p));
            err.flush();
        }
        lastFile = p.file();
        lastPhase = p.phase();
        lastTenth = Math.max(lastTenth, tenth);
    }

    @Override
    public synchronized void note(String message) {
        if (interactive && lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            lastWidth = 0;
        }
        err.println(message);
        err.flush();
    }

    static String line(DownloadProgress p) {
        String name = p.file() + (p.fileCount() > 1 ? " (" + (p.fileIndex() + 1) + "/" + p.fileCount() + ")" : "");
        double f = p.fraction();
        String bar = f < 0 ? "" : "[" + "#".repeat((int) Math.round(f * BAR)) + "-".repeat(BAR - (int) Math.round(f * BAR)) + "] "
                + String.format(Locale.ROOT, "%3d%%  ", (int) Math.floor(f * 100));
        String amount = Sizes.human(p.done()) + (p.total() > 0 ? " / " + Sizes.human(p.total()) : "");
        return switch (p.phase()) {
            case CONNECTING -> name + "  connecting…";
            case VERIFYING -> name + "  " + bar + "checking sha256…";
            case DONE -> "done: " + amount;
            case DOWNLOADING -> {
                String speed = p.bytesPerSecond() > 0 ? "  " + Sizes.human((long) p.bytesPerSecond()) + "/s" : "";
                double left = p.secondsLeft();
                String eta = left >= 0 && p.bytesPerSecond() > 0 ? "  " + clock(left) + " left" : "";
                yield name + "  " + bar + amount + speed + eta;
            }
        };
    }

    private static String clock(double seconds) {
        long s = (long) Math.ceil(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}

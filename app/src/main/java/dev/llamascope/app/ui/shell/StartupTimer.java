package dev.llamascope.app.ui.shell;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Times the launch: milliseconds since the JVM started at each step, printed to stderr when enabled
 * ({@code -Dllamascope.timing=true}, and the final "interactive" line always in snapshot mode).
 */
final class StartupTimer {
    private final long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    private final boolean verbose;

    StartupTimer(boolean verbose) {
        this.verbose = verbose;
    }

    long sinceJvmStart() {
        return System.currentTimeMillis() - jvmStart;
    }

    void mark(String step) {
        if (verbose) System.err.println(String.format(Locale.ROOT, "llamascope: %6d ms  %s", sinceJvmStart(), step));
    }

    void interactive() {
        System.err.println(String.format(Locale.ROOT, "llamascope: window interactive %.2f s after the JVM started", sinceJvmStart() / 1000.0));
    }
}

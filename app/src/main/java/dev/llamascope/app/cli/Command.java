package dev.llamascope.app.cli;

/** One subcommand of {@code ./llamascope}. */
public interface Command {
    /** The word that selects it. */
    String name();

    /** One line: what it does. */
    String summary();

    /** The usage line(s) shown on a wrong command line. */
    String usage();

    /** Runs it; returns the exit code. Errors the user can fix are thrown with a one-line message. */
    int run(String[] args) throws Exception;
}

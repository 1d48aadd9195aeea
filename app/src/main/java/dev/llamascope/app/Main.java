package dev.llamascope.app;

import dev.llamascope.app.cli.Cli;

/**
 * The single entry point of the jar: with a subcommand it is the command line, without one (or with "gui") it
 * opens the window. A plain class rather than the Application subclass, so that the classpath launch works and
 * the command line never initialises JavaFX.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("gui")) {
            GuiLauncher.launch(args.length == 0 ? args : java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int code = new Cli(Cli.standardCommands(), System.err).run(args);
        System.exit(code);
    }
}

package dev.llamascope.app;

import dev.llamascope.app.cli.Args;
import dev.llamascope.app.ui.shell.LaunchOptions;
import dev.llamascope.app.ui.shell.LlamascopeApp;
import java.util.Arrays;
import javafx.application.Application;

/**
 * Opens the window. A plain class (not the Application subclass) so that JavaFX starts from the classpath; the
 * options are checked here first, so a wrong command line gets a message and exit code 2 without a window.
 */
final class GuiLauncher {
    private GuiLauncher() {}

    static void launch(String[] args) {
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.err.println("usage: " + LaunchOptions.USAGE);
            System.exit(0);
        }
        try {
            LaunchOptions.parse(Arrays.asList(args));
        } catch (Args.UsageException e) {
            System.err.println("llamascope gui: " + e.getMessage());
            System.err.println("usage: " + LaunchOptions.USAGE);
            System.exit(2);
        }
        Application.launch(LlamascopeApp.class, args);
        System.exit(0);
    }
}

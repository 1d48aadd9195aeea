package dev.llamascope.app;

/** Opens the window. Filled in by the application issue; until then it says so. */
final class GuiLauncher {
    private GuiLauncher() {}

    static void launch(String[] args) {
        System.err.println("llamascope: the window is not built yet; run 'llamascope help' for the commands.");
        System.exit(2);
    }
}

package dev.llamascope.app.ui.settings;

/** Where the main window was and how big, in screen coordinates. */
public record WindowBounds(double x, double y, double width, double height, boolean maximized) {
    public static final double MIN_WIDTH = 640, MIN_HEIGHT = 480;

    public WindowBounds {
        if (!(width >= MIN_WIDTH)) width = MIN_WIDTH;
        if (!(height >= MIN_HEIGHT)) height = MIN_HEIGHT;
    }
}

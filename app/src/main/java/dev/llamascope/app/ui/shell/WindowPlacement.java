package dev.llamascope.app.ui.shell;

import dev.llamascope.app.ui.settings.WindowBounds;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * Restores the window where it was (when that place is still on a screen) and remembers where it is: the last
 * normal (not maximized) bounds, plus whether it is maximized.
 */
final class WindowPlacement {
    static final double DEFAULT_WIDTH = 1280, DEFAULT_HEIGHT = 820;

    private final Stage stage;
    private double x, y, width, height;

    WindowPlacement(Stage stage) {
        this.stage = stage;
    }

    /** Places the stage before it is shown: the saved bounds, else a size forced by the caller, else the default, centred. */
    void restore(WindowBounds saved, double[] forcedSize) {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        stage.setMinWidth(WindowBounds.MIN_WIDTH);
        stage.setMinHeight(WindowBounds.MIN_HEIGHT);
        if (forcedSize == null && saved != null && onSomeScreen(saved)) {
            stage.setX(saved.x());
            stage.setY(saved.y());
            stage.setWidth(saved.width());
            stage.setHeight(saved.height());
            stage.setMaximized(saved.maximized());
        } else {
            double w = forcedSize != null ? forcedSize[0] : Math.min(DEFAULT_WIDTH, screen.getWidth());
            double h = forcedSize != null ? forcedSize[1] : Math.min(DEFAULT_HEIGHT, screen.getHeight());
            stage.setWidth(w);
            stage.setHeight(h);
            stage.setX(screen.getMinX() + Math.max(0, (screen.getWidth() - w) / 2));
            stage.setY(screen.getMinY() + Math.max(0, (screen.getHeight() - h) / 2));
        }
        remember();
        stage.xProperty().addListener(o -> remember());
        stage.yProperty().addListener(o -> remember());
        stage.widthProperty().addListener(o -> remember());
        stage.heightProperty().addListener(o -> remember());
    }

    private void remember() {
        if (stage.isMaximized() || stage.isIconified() || stage.isFullScreen()) return;
        x = stage.getX();
        y = stage.getY();
        width = stage.getWidth();
        height = stage.getHeight();
    }

    WindowBounds current() {
        return new WindowBounds(x, y, width, height, stage.isMaximized());
    }

    private static boolean onSomeScreen(WindowBounds b) {
        // at least the title bar's middle part must be visible somewhere
        return !Screen.getScreensForRectangle(b.x() + 40, b.y(), Math.max(1, b.width() - 80), 30).isEmpty();
    }
}

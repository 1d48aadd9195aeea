package dev.llamascope.app.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Objects;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/**
 * Loads an {@code fx:root} FXML layout into a view object that is both its root and its controller, so a view is
 * one class plus one layout file beside it (same package, same simple name in lower case).
 */
public final class FxmlViews {
    private FxmlViews() {}

    public static void load(Parent view, String fxmlName) {
        URL url = Objects.requireNonNull(view.getClass().getResource(fxmlName), () -> "missing layout " + fxmlName + " beside " + view.getClass().getName());
        FXMLLoader loader = new FXMLLoader(url);
        loader.setRoot(view);
        loader.setController(view);
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + url, e);
        }
        String css = fxmlName.replace(".fxml", ".css");
        URL style = view.getClass().getResource(css);
        if (style != null) view.getStylesheets().add(style.toExternalForm());
    }
}

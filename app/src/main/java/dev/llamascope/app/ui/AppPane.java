package dev.llamascope.app.ui;

import javafx.scene.Node;

/** One pane of the main window (Models, Generate, ...): its view and what must happen when the app closes. */
public interface AppPane {
    Node view();

    /** Stops the pane's work and releases what it holds (FX thread, at exit). */
    default void dispose() {}
}

package dev.llamascope.app.ui;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** Which pane the window shows, by pane id ("models", "generate", ...). Panes ask to be shown; the shell follows. */
public final class Navigation {
    private final ReadOnlyStringWrapper current = new ReadOnlyStringWrapper(this, "current");

    public Navigation(String initial) {
        current.set(initial);
    }

    public ReadOnlyStringProperty currentProperty() {
        return current.getReadOnlyProperty();
    }

    public String current() {
        return current.get();
    }

    public void show(String paneId) {
        current.set(paneId);
    }
}

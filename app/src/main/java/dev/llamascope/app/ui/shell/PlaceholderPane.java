package dev.llamascope.app.ui.shell;

import dev.llamascope.app.ui.AppPane;
import dev.llamascope.app.ui.icons.AppIcon;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** The place of a pane that is not built yet: its icon, name and what it will do. */
public final class PlaceholderPane implements AppPane {
    private final VBox box;

    public PlaceholderPane(AppIcon icon, String title, String description) {
        Label t = new Label(title);
        t.getStyleClass().add("pane-title");
        Label d = new Label(description);
        d.getStyleClass().add("pane-subtitle");
        d.setWrapText(true);
        d.setMaxWidth(460);
        Label soon = new Label("Coming soon.");
        soon.getStyleClass().add("muted");
        box = new VBox(10, icon.node(48), t, d, soon);
        box.setAlignment(Pos.CENTER);
        box.getStyleClass().add("placeholder-pane");
    }

    @Override
    public Node view() {
        return box;
    }
}

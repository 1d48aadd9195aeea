package dev.llamascope.app.ui.inspect;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Small builders for the side panels the views share: a title, an explanation, the attention note. */
final class Panels {
    private Panels() {}

    static Label title(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("inspect-title");
        return l;
    }

    static Label explanation(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("inspect-explanation");
        l.setWrapText(true);
        l.setMinHeight(Label.USE_PREF_SIZE);
        return l;
    }

    /** The visible warning that attention weights are not explanations. */
    static Label attentionNote() {
        Label l = new Label(Explanations.NOT_EXPLANATION);
        l.getStyleClass().add("inspect-note");
        l.setWrapText(true);
        l.setMinHeight(Label.USE_PREF_SIZE);
        return l;
    }

    /** A side column of fixed width that scrolls when the window is short. */
    static ScrollPane side(Node... children) {
        VBox box = new VBox(10, children);
        box.getStyleClass().add("inspect-side");
        box.setFillWidth(true);
        ScrollPane sp = new ScrollPane(box);
        sp.setFitToWidth(true);
        sp.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        sp.getStyleClass().add("inspect-side-scroll");
        sp.setPrefWidth(320);
        sp.setMinWidth(260);
        VBox.setVgrow(box, Priority.ALWAYS);
        return sp;
    }
}

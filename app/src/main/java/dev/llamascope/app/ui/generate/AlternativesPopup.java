package dev.llamascope.app.ui.generate;

import dev.llamascope.app.ui.icons.AppIcon;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.geometry.Bounds;
import org.controlsfx.control.PopOver;

/**
 * The popover beside a hovered token: its probability and the model's most likely tokens at that position, each
 * with a bar; clicking one continues the story from there with that token instead (a branch).
 */
final class AlternativesPopup {
    private final StoryView view;
    private final PopOver popOver = new PopOver();
    private final VBox content = new VBox(6);
    private ParagraphCell owner;
    private int ownerToken = -1;
    private boolean mouseInside;
    private Consumer<Boolean> onMouseInsideChanged = b -> {};

    AlternativesPopup(StoryView view) {
        this.view = view;
        content.getStyleClass().add("alternatives");
        content.setFillWidth(true);
        popOver.setContentNode(content);
        popOver.setArrowLocation(PopOver.ArrowLocation.TOP_LEFT);
        popOver.setDetachable(false);
        popOver.setAutoHide(true);
        popOver.setAnimated(false);
        popOver.setHeaderAlwaysVisible(false);
        popOver.getStyleClass().add("alternatives-popover");
        // The popover is a window of its own, which PopOver gives the owner scene's stylesheets (theme tokens,
        // bridge) when it shows; this view's own stylesheet comes with the content.
        content.getStylesheets().add(view.getUserAgentStylesheet());
        content.setOnMouseEntered(e -> setMouseInside(true));
        content.setOnMouseExited(e -> setMouseInside(false));
        popOver.setOnHidden(e -> {
            if (owner != null) owner.clearHighlight();
            owner = null;
            ownerToken = -1;
            mouseInside = false;
        });
    }

    void setOnMouseInsideChanged(Consumer<Boolean> c) {
        onMouseInsideChanged = c;
    }

    private void setMouseInside(boolean inside) {
        mouseInside = inside;
        onMouseInsideChanged.accept(inside);
    }

    boolean isMouseInside() {
        return mouseInside;
    }

    boolean isShowing() {
        return popOver.isShowing();
    }

    boolean isShowingFor(ParagraphCell cell, int token) {
        return popOver.isShowing() && owner == cell && ownerToken == token;
    }

    void hide() {
        if (popOver.isShowing()) popOver.hide(javafx.util.Duration.ZERO);
    }

    /** Shows the alternatives of a token under it (its text in the given cell). */
    void showFor(ParagraphCell cell, int index) {
        if (index < 0 || index >= view.document().tokenCount()) return;
        Bounds at = cell.tokenScreenBounds(index);
        if (at == null) return;
        StoryToken token = view.document().token(index);
        if (owner != null && owner != cell) owner.clearHighlight();
        owner = cell;
        ownerToken = index;
        cell.highlight(index);
        build(index, token);
        if (popOver.isShowing()) popOver.hide(javafx.util.Duration.ZERO);
        popOver.show(cell, at.getMinX() + Math.min(12, at.getWidth() / 2), at.getMaxY() + 2);
    }

    private void build(int index, StoryToken token) {
        content.getChildren().clear();
        var labels = view.tokenLabelsProperty().get();
        Label title = new Label(quote(labels.apply(token.id())));
        title.getStyleClass().add("alt-title");
        Label where = new Label(token.prompt() ? "prompt token · position " + token.pos()
                : "position " + token.pos() + " · " + percent(token.probability()));
        where.getStyleClass().add("alt-subtitle");
        content.getChildren().addAll(title, where);
        TokenOdds odds = token.odds();
        if (odds == null) {
            Label l = new Label("Written by you, not chosen by the model.");
            l.getStyleClass().add("alt-hint");
            content.getChildren().add(l);
            return;
        }
        float top = odds.probs().length > 0 ? odds.probs()[0] : 1f;
        boolean canBranch = view.branchingAllowedProperty().get() && view.onBranchProperty().get() != null;
        for (int i = 0; i < odds.ids().length; i++) {
            int id = odds.ids()[i];
            float p = odds.probs()[i];
            boolean chosen = id == token.id();
            Button b = new Button();
            b.setId("alt-" + i);
            b.getStyleClass().addAll("alt-row", chosen ? "chosen" : "other");
            b.setMaxWidth(Double.MAX_VALUE);
            Label piece = new Label(quote(labels.apply(id)));
            piece.getStyleClass().add("alt-piece");
            piece.setMinWidth(90);
            Region bar = new Region();
            bar.getStyleClass().add("alt-bar");
            bar.setPrefWidth(Math.max(2, 110 * (top > 0 ? p / top : 0)));
            bar.setMaxWidth(Region.USE_PREF_SIZE);
            StackPane track = new StackPane(bar);
            track.getStyleClass().add("alt-track");
            track.setAlignment(Pos.CENTER_LEFT);
            track.setPrefWidth(114);
            Label pct = new Label(percent(p));
            pct.getStyleClass().add("alt-percent");
            pct.setMinWidth(56);
            Label filler = new Label();
            filler.setMinWidth(44); // the column where the chosen row says so
            pct.setAlignment(Pos.CENTER_RIGHT);
            HBox row = new HBox(8, piece, track, pct);
            if (!chosen) row.getChildren().add(filler);
            if (chosen) {
                Label mark = new Label("chosen");
                mark.getStyleClass().add("alt-chosen-mark");
                mark.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                row.getChildren().add(mark);
            }
            row.setAlignment(Pos.CENTER_LEFT);
            HBox.setHgrow(piece, Priority.ALWAYS);
            b.setGraphic(row);
            if (chosen) {
                b.setFocusTraversable(false); // already in the story: nothing to do
            } else {
                b.setDisable(!canBranch);
                b.setOnAction(e -> {
                    hide();
                    StoryView.BranchHandler h = view.onBranchProperty().get();
                    if (h != null) h.branch(index, id);
                });
            }
            content.getChildren().add(b);
        }
        Label hint = new Label(canBranch ? "Click a token to continue the story with it from here." : "Stop the generation to branch from here.");
        hint.setGraphic(AppIcon.BRANCH.node(14));
        hint.getStyleClass().add("alt-hint");
        content.getChildren().add(hint);
    }

    /** A piece made visible: spaces as a middle dot, newline as a return arrow. */
    static String quote(String piece) {
        String s = piece.replace("\n", "↵").replace("\t", "⇥").replace(' ', '·');
        return s.isEmpty() ? "∅" : s;
    }

    static String percent(float p) {
        if (Float.isNaN(p)) return "—";
        if (p >= 0.995f) return String.format(Locale.ROOT, "%.1f%%", p * 100);
        if (p >= 0.001f) return String.format(Locale.ROOT, "%.1f%%", p * 100);
        return String.format(Locale.ROOT, "%.2g%%", p * 100);
    }
}

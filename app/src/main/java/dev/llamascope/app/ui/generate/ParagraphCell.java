package dev.llamascope.app.ui.generate;

import dev.llamascope.app.ui.generate.StoryDocument.Paragraph;
import dev.llamascope.app.ui.generate.StoryDocument.Segment;
import java.util.List;
import javafx.scene.control.ListCell;
import javafx.scene.control.Skin;
import javafx.scene.control.SkinBase;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * One paragraph of the story: a text flow with one {@link Text} per token segment, style classes by probability
 * (p-high, p-mid, p-low, p-vlow; "prompt" for prompt tokens) and the token index as user data. When the same
 * paragraph grows (the story's last one while generating), only the new segments are added.
 */
final class ParagraphCell extends ListCell<Paragraph> {
    private final TextFlow flow = new TextFlow();
    private Paragraph shown;
    private int shownCount;

    ParagraphCell() {
        getStyleClass().add("paragraph-cell");
        flow.getStyleClass().add("paragraph");
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new CellSkin(this);
    }

    @Override
    protected boolean isItemChanged(Paragraph oldItem, Paragraph newItem) {
        // The same paragraph object grows in place: changed when it has segments this cell does not show yet.
        return oldItem != newItem || newItem == null || newItem != shown || newItem.size() != shownCount;
    }

    @Override
    protected void updateItem(Paragraph p, boolean empty) {
        super.updateItem(p, empty);
        StoryView view = storyView();
        if (empty || p == null || view == null) {
            flow.getChildren().clear();
            shown = null;
            shownCount = 0;
            return;
        }
        if (p != shown) {
            flow.getChildren().clear();
            shown = p;
            shownCount = 0;
        }
        List<Segment> segments = p.segments();
        if (segments.isEmpty() && flow.getChildren().isEmpty()) {
            flow.getChildren().add(new Text("")); // an empty line keeps its height
        } else if (shownCount == 0 && !segments.isEmpty()) {
            flow.getChildren().clear();
        }
        for (int i = shownCount; i < segments.size(); i++) flow.getChildren().add(textFor(view.document(), segments.get(i)));
        shownCount = segments.size();
    }

    private StoryView storyView() {
        // list view -> story skin's child; the StoryView is its parent
        return getListView() != null && getListView().getParent() instanceof StoryView v ? v : null;
    }

    private static Text textFor(StoryDocument doc, Segment s) {
        Text t = new Text(s.text());
        t.setUserData(s.token());
        StoryToken token = doc.token(s.token());
        t.getStyleClass().addAll("token", token.prompt() ? "prompt" : bucket(token.probability()));
        return t;
    }

    /** The colour class for a probability (boundaries chosen so that typical sampled text is mostly "high"). */
    static String bucket(float p) {
        if (Float.isNaN(p)) return "p-unknown";
        if (p >= 0.6f) return "p-high";
        if (p >= 0.3f) return "p-mid";
        if (p >= 0.1f) return "p-low";
        return "p-vlow";
    }

    /** Lays the text flow out at the cell's full width, and asks for the height it needs at a given width. */
    private static final class CellSkin extends SkinBase<ParagraphCell> {
        CellSkin(ParagraphCell cell) {
            super(cell);
            getChildren().add(cell.flow);
            consumeMouseEvents(false); // hover and clicks on tokens are handled by the story view's skin

        }

        @Override
        protected double computePrefWidth(double height, double top, double right, double bottom, double left) {
            return 50; // never wider than the list: text wraps instead of scrolling sideways
        }

        @Override
        protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
            double w = width > 0 ? width : getSkinnable().getWidth();
            if (!(w > 0) && getSkinnable().getListView() != null) w = getSkinnable().getListView().getWidth();
            return getSkinnable().flow.prefHeight(Math.max(1, w - left - right)) + top + bottom;
        }

        @Override
        protected double computeMinHeight(double width, double top, double right, double bottom, double left) {
            return computePrefHeight(width, top, right, bottom, left);
        }

        @Override
        protected void layoutChildren(double x, double y, double w, double h) {
            getSkinnable().flow.resizeRelocate(x, y, w, h);
        }
    }
}

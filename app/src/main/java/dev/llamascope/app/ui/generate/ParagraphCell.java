package dev.llamascope.app.ui.generate;

import dev.llamascope.app.ui.generate.StoryDocument.Paragraph;
import dev.llamascope.app.ui.generate.StoryDocument.Segment;
import java.util.Arrays;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.control.ListCell;
import javafx.scene.control.Skin;
import javafx.scene.control.SkinBase;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.scene.text.HitInfo;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * One paragraph of the story: a text flow with one {@link Text} per run of tokens that look the same (same
 * probability class, or prompt), so a line of story is a handful of nodes rather than one per token; the token
 * under a point is found by hit-testing the flow. When the same paragraph grows (the story's last one while
 * generating), the new segments extend the last run or add runs; nothing is rebuilt. A highlight shape behind the
 * text marks the hovered token.
 */
final class ParagraphCell extends ListCell<Paragraph> {
    private final TextFlow flow = new TextFlow();
    private final Path highlight = new Path();
    private Paragraph shown;
    private int shownCount;
    private boolean shownColoured;
    // per shown segment: where its text starts in the flow, and its token
    private int[] segStart = new int[16];
    private int[] segToken = new int[16];
    private int chars;
    private String lastRunStyle;
    private int highlighted = -1;

    ParagraphCell() {
        getStyleClass().add("paragraph-cell");
        flow.getStyleClass().add("paragraph");
        highlight.getStyleClass().add("token-highlight");
        highlight.setManaged(false);
        highlight.setMouseTransparent(true);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new CellSkin(this);
    }

    @Override
    protected boolean isItemChanged(Paragraph oldItem, Paragraph newItem) {
        // The same paragraph object grows in place: changed when it has segments this cell does not show yet.
        return oldItem != newItem || newItem == null || newItem != shown || newItem.size() != shownCount
                || coloured() != shownColoured;
    }

    private StoryView storyView() {
        return getListView() != null && getListView().getParent() instanceof StoryView v ? v : null;
    }

    private boolean coloured() {
        StoryView v = storyView();
        return v != null && v.colourTokensProperty().get();
    }

    @Override
    protected void updateItem(Paragraph p, boolean empty) {
        super.updateItem(p, empty);
        StoryView view = storyView();
        if (empty || p == null || view == null) {
            clear();
            return;
        }
        boolean coloured = view.colourTokensProperty().get();
        if (p != shown || coloured != shownColoured) {
            clear();
            shown = p;
            shownColoured = coloured;
        }
        List<Segment> segments = p.segments();
        if (segments.isEmpty()) {
            if (flow.getChildren().isEmpty()) flow.getChildren().add(new Text("")); // an empty line keeps its height
            return;
        }
        if (shownCount == 0) flow.getChildren().clear();
        for (int i = shownCount; i < segments.size(); i++) add(view.document(), segments.get(i), coloured);
        shownCount = segments.size();
    }

    private void clear() {
        flow.getChildren().clear();
        shown = null;
        shownCount = 0;
        chars = 0;
        lastRunStyle = null;
        clearHighlight();
    }

    private void add(StoryDocument doc, Segment s, boolean coloured) {
        StoryToken token = doc.token(s.token());
        String style = token.prompt() ? "prompt" : coloured ? Likelihood.of(token.probability()).styleClass() : "plain";
        if (shownCount == segStart.length) {
            segStart = Arrays.copyOf(segStart, shownCount * 2);
            segToken = Arrays.copyOf(segToken, shownCount * 2);
        }
        segStart[shownCount] = chars;
        segToken[shownCount] = s.token();
        shownCount++;
        chars += s.text().length();
        if (style.equals(lastRunStyle) && !flow.getChildren().isEmpty() && flow.getChildren().getLast() instanceof Text last) {
            last.setText(last.getText() + s.text());
        } else {
            Text t = new Text(s.text());
            t.getStyleClass().addAll("token", style);
            flow.getChildren().add(t);
            lastRunStyle = style;
        }
    }

    /** The story index of the token under a point of this cell, or -1. */
    int tokenAt(Point2D cellPoint) {
        if (shown == null || shownCount == 0) return -1;
        Point2D p = flow.parentToLocal(cellPoint);
        HitInfo hit = flow.getHitInfo(p);
        int c = hit.getCharIndex();
        if (c < 0 || c >= chars) return -1;
        int seg = segmentAt(c);
        Bounds b = rangeBounds(seg);
        return b != null && b.contains(p) ? segToken[seg] : -1;
    }

    private int segmentAt(int charIndex) {
        int i = Arrays.binarySearch(segStart, 0, shownCount, charIndex);
        return i >= 0 ? i : -i - 2;
    }

    /** The flow-local bounds of a segment's text (a token's part in this paragraph). */
    private Bounds rangeBounds(int seg) {
        int start = segStart[seg], end = seg + 1 < shownCount ? segStart[seg + 1] : chars;
        PathElement[] shape = flow.getRangeShape(start, end, false);
        if (shape.length == 0) return null;
        return new Path(shape).getBoundsInLocal();
    }

    /** Where a token's text in this cell is on the screen, or null when this cell does not show it. */
    Bounds tokenScreenBounds(int tokenIndex) {
        for (int i = 0; i < shownCount; i++) {
            if (segToken[i] == tokenIndex) {
                Bounds b = rangeBounds(i);
                return b == null ? null : flow.localToScreen(b);
            }
        }
        return null;
    }

    /** Marks a token (its segments in this cell) with the highlight shape; -1 clears it. */
    void highlight(int tokenIndex) {
        if (tokenIndex == highlighted) return;
        highlighted = tokenIndex;
        highlight.getElements().clear();
        for (int i = 0; i < shownCount && tokenIndex >= 0; i++) {
            if (segToken[i] != tokenIndex) continue;
            int start = segStart[i], end = i + 1 < shownCount ? segStart[i + 1] : chars;
            highlight.getElements().addAll(flow.getRangeShape(start, end, false));
        }
        highlight.setLayoutX(flow.getLayoutX());
        highlight.setLayoutY(flow.getLayoutY());
    }

    void clearHighlight() {
        highlighted = -1;
        highlight.getElements().clear();
    }

    int highlighted() {
        return highlighted;
    }

    /** The visible text of this cell (what its text nodes show). */
    String shownText() {
        StringBuilder sb = new StringBuilder();
        for (var n : flow.getChildren()) if (n instanceof Text t) sb.append(t.getText());
        return sb.toString();
    }

    /** Lays the text flow out at the cell's full width, and asks for the height it needs at a given width. */
    private static final class CellSkin extends SkinBase<ParagraphCell> {
        CellSkin(ParagraphCell cell) {
            super(cell);
            getChildren().addAll(cell.highlight, cell.flow);
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
            getSkinnable().highlight.setLayoutX(x);
            getSkinnable().highlight.setLayoutY(y);
        }
    }
}

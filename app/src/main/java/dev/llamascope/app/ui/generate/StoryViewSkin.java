package dev.llamascope.app.ui.generate;

import dev.llamascope.app.ui.generate.StoryDocument.Paragraph;
import javafx.animation.PauseTransition;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SkinBase;
import javafx.scene.control.skin.ListViewSkin;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.util.Duration;

/**
 * The skin of {@link StoryView}: a {@link ListView} of paragraphs (the virtualization), each cell a text flow
 * of one node per token ({@link ParagraphCell}); a flow that keeps the end in view while following; and the
 * hover/click handling that shows {@link AlternativesPopup}.
 */
final class StoryViewSkin extends SkinBase<StoryView> {
    private static final Duration SHOW_DELAY = Duration.millis(350), HIDE_DELAY = Duration.millis(400);

    private final ListView<Paragraph> list = new ListView<>();
    private final FollowingFlow flow;
    private final AlternativesPopup popup;
    private final PauseTransition showLater = new PauseTransition(SHOW_DELAY);
    private final PauseTransition hideLater = new PauseTransition(HIDE_DELAY);
    private ParagraphCell pendingCell;
    private int pendingToken = -1;

    StoryViewSkin(StoryView view) {
        super(view);
        list.getStyleClass().add("story-list");
        list.setFocusTraversable(false);
        list.setItems(view.document().paragraphs());
        list.setCellFactory(l -> new ParagraphCell());
        StoryListSkin listSkin = new StoryListSkin(list);
        list.setSkin(listSkin);
        flow = listSkin.flow();
        getChildren().add(list);

        // Runs of same-coloured tokens are built per colouring: rebuild the visible cells when it changes.
        view.colourTokensProperty().addListener((o, a, b) -> {
            hidePopup();
            list.refresh();
        });
        view.document().paragraphs().addListener((ListChangeListener<Paragraph>) c -> {
            if (view.document().paragraphs().isEmpty()) {
                hidePopup();
                flow.follow = true;
            }
            flow.requestEnd();
        });

        popup = new AlternativesPopup(view);
        showLater.setOnFinished(e -> {
            if (pendingCell != null && pendingCell.getScene() != null) popup.showFor(pendingCell, pendingToken);
        });
        hideLater.setOnFinished(e -> {
            if (!popup.isMouseInside()) popup.hide();
        });
        popup.setOnMouseInsideChanged(inside -> {
            if (inside) hideLater.stop();
            else hideLater.playFromStart();
        });

        list.addEventHandler(MouseEvent.MOUSE_MOVED, this::moved);
        list.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hoverNothing());
        list.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            ParagraphCell cell = cellOf(e);
            int token = cell == null ? -1 : cell.tokenAt(cell.sceneToLocal(e.getSceneX(), e.getSceneY()));
            if (token >= 0) {
                showLater.stop();
                popup.showFor(cell, token);
            }
        });
        // Scrolling up stops following the end; reaching the end again resumes it.
        list.addEventFilter(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() > 0) flow.follow = false;
        });
        list.addEventHandler(ScrollEvent.SCROLL, e -> flow.follow = flow.isAtEnd());
        list.addEventFilter(MouseEvent.MOUSE_RELEASED, e -> flow.follow = flow.isAtEnd());
        list.addEventFilter(MouseEvent.MOUSE_DRAGGED, e -> flow.follow = false);
    }

    void follow() {
        flow.follow = true;
        flow.requestEnd();
    }

    void hidePopup() {
        showLater.stop();
        hideLater.stop();
        popup.hide();
    }

    /** The paragraph cell under the mouse, if any. */
    private static ParagraphCell cellOf(MouseEvent e) {
        Node n = e.getPickResult() == null ? null : e.getPickResult().getIntersectedNode();
        while (n != null && !(n instanceof ParagraphCell)) n = n.getParent();
        return (ParagraphCell) n;
    }

    private void moved(MouseEvent e) {
        ParagraphCell cell = cellOf(e);
        int token = cell == null ? -1 : cell.tokenAt(cell.sceneToLocal(e.getSceneX(), e.getSceneY()));
        if (token < 0) {
            hoverNothing();
            return;
        }
        hideLater.stop();
        if (popup.isShowingFor(cell, token)) return;
        if (popup.isShowing()) {
            // Moving along the text: follow the mouse at once rather than after the delay.
            popup.showFor(cell, token);
            return;
        }
        if (pendingCell != cell || pendingToken != token) {
            pendingCell = cell;
            pendingToken = token;
            cell.highlight(token);
            showLater.playFromStart();
        }
    }

    /** Where a shown token is on the screen (null when it is scrolled out of view). */
    Bounds tokenScreenBounds(int tokenIndex) {
        for (Node n : list.lookupAll(".paragraph-cell")) {
            if (n instanceof ParagraphCell c && c.isVisible() && c.getParent() != null && c.getParent().isVisible()) {
                Bounds b = c.tokenScreenBounds(tokenIndex);
                if (b != null) return b;
            }
        }
        return null;
    }

    private void hoverNothing() {
        if (pendingCell != null && !popup.isShowing()) pendingCell.clearHighlight();
        pendingCell = null;
        pendingToken = -1;
        showLater.stop();
        if (popup.isShowing() && !popup.isMouseInside()) hideLater.playFromStart();
    }

    @Override
    public void dispose() {
        hidePopup();
        super.dispose();
    }

    /** A ListView skin whose flow can keep the last line in view. */
    private static final class StoryListSkin extends ListViewSkin<Paragraph> {
        StoryListSkin(ListView<Paragraph> list) {
            super(list);
        }

        @Override
        protected VirtualFlow<ListCell<Paragraph>> createVirtualFlow() {
            return new FollowingFlow();
        }

        FollowingFlow flow() {
            return (FollowingFlow) getVirtualFlow();
        }
    }

    /**
     * After each layout, while following, scrolls so that the bottom of the last paragraph is at the bottom of the
     * viewport (the new text just appeared there).
     */
    static final class FollowingFlow extends VirtualFlow<ListCell<Paragraph>> {
        boolean follow = true;
        private boolean endPending;

        void requestEnd() {
            endPending = true;
            requestLayout();
        }

        @Override
        protected void layoutChildren() {
            super.layoutChildren();
            if (follow && endPending) {
                endPending = false;
                scrollToEnd();
            }
        }

        private void scrollToEnd() {
            int last = getCellCount() - 1;
            if (last < 0) return;
            ListCell<Paragraph> cell = getVisibleCell(last);
            if (cell == null) {
                scrollTo(last);
                cell = getVisibleCell(last);
            }
            if (cell != null) {
                double overflow = cell.getLayoutY() + cell.getHeight() - getViewportLength();
                if (overflow > 0.5) scrollPixels(overflow);
            }
        }

        boolean isAtEnd() {
            int last = getCellCount() - 1;
            if (last < 0) return true;
            ListCell<Paragraph> cell = getVisibleCell(last);
            return cell != null && cell.getLayoutY() + cell.getHeight() <= getViewportLength() + 1;
        }
    }
}

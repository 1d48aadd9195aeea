package dev.llamascope.app.ui.generate;

import java.util.Objects;
import java.util.function.IntFunction;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;

/**
 * Shows a {@link StoryDocument} as it grows: one text node per token, coloured by the token's probability when
 * {@link #colourTokensProperty()} is on; hovering a token shows the most likely alternatives, and clicking one asks
 * the {@link #onBranchProperty() branch handler} to continue the story from there. Virtualized by paragraph, so a
 * story of any length scrolls and grows at the same cost. Follows the end while the user has not scrolled away.
 * Look: story-view.css.
 */
public final class StoryView extends Control {

    /** Continues the story with another token at a position. */
    @FunctionalInterface
    public interface BranchHandler {
        void branch(int tokenIndex, int alternativeId);
    }

    private final StoryDocument document;
    private final BooleanProperty colourTokens = new SimpleBooleanProperty(this, "colourTokens", true);
    private final BooleanProperty branchingAllowed = new SimpleBooleanProperty(this, "branchingAllowed", true);
    private final ObjectProperty<BranchHandler> onBranch = new SimpleObjectProperty<>(this, "onBranch");
    private final ObjectProperty<IntFunction<String>> tokenLabels = new SimpleObjectProperty<>(this, "tokenLabels", id -> "#" + id);

    public StoryView(StoryDocument document) {
        this.document = Objects.requireNonNull(document);
        getStyleClass().add("story-view");
        setFocusTraversable(false);
    }

    public StoryDocument document() {
        return document;
    }

    public BooleanProperty colourTokensProperty() {
        return colourTokens;
    }

    /** Off while a generation runs: the alternatives are shown, but cannot be chosen. */
    public BooleanProperty branchingAllowedProperty() {
        return branchingAllowed;
    }

    public ObjectProperty<BranchHandler> onBranchProperty() {
        return onBranch;
    }

    public void setOnBranch(BranchHandler h) {
        onBranch.set(h);
    }

    /** How a token id is written in the alternatives list (the tokenizer's piece). */
    public ObjectProperty<IntFunction<String>> tokenLabelsProperty() {
        return tokenLabels;
    }

    public void setTokenLabels(IntFunction<String> labels) {
        tokenLabels.set(labels);
    }

    /** Scrolls to the end and follows the text from now on. */
    public void follow() {
        if (getSkin() instanceof StoryViewSkin s) s.follow();
    }

    /** Where a token of the story is on the screen now, or null when it is not in view. */
    public javafx.geometry.Bounds tokenScreenBounds(int tokenIndex) {
        return getSkin() instanceof StoryViewSkin s ? s.tokenScreenBounds(tokenIndex) : null;
    }

    /** Closes the alternatives popup if it is showing. */
    public void hideAlternatives() {
        if (getSkin() instanceof StoryViewSkin s) s.hidePopup();
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new StoryViewSkin(this);
    }

    @Override
    public String getUserAgentStylesheet() {
        return Objects.requireNonNull(StoryView.class.getResource("story-view.css")).toExternalForm();
    }
}

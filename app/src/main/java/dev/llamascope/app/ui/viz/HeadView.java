package dev.llamascope.app.ui.viz;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.scene.control.Skin;
import javafx.scene.paint.Color;

/**
 * bertviz's head view: the text twice, in two columns, and lines from a token on the left (a query) to the tokens
 * on the right it attends to (keys), one colour per head, each line as opaque as its weight. Hover a token on the
 * left to see what it looks at, a token on the right to see who looks at it; click pins a token. Long texts
 * scroll; only the visible rows are drawn.
 */
public class HeadView extends VizControl {
    static final int PALETTE = 8;
    private static final VizStyles.Meta<HeadView> META = new VizStyles.Meta<>(VizControl.getClassCssMetaData());
    private static final List<CssMetaData<HeadView, Color>> COLORS = new ArrayList<>();
    private static final String[] DEFAULTS = {"#4258c9", "#f3622d", "#57b757", "#9a42c8", "#fba71b", "#41a9c9", "#c84164", "#888888"};

    static {
        for (int i = 0; i < PALETTE; i++) {
            final int k = i;
            COLORS.add(META.color("-ls-color-" + (i + 1), Color.web(DEFAULTS[i]), v -> v.palette.get(k)));
        }
    }

    private final List<StyleableObjectProperty<Color>> palette = new ArrayList<>();
    private final ObjectProperty<List<String>> labels = new SimpleObjectProperty<>(this, "labels", List.of());
    private final ObjectProperty<List<MatrixSource>> heads = new SimpleObjectProperty<>(this, "heads", List.of());
    private final ObjectProperty<List<String>> headNames = new SimpleObjectProperty<>(this, "headNames", List.of());
    private final IntegerProperty pinned = new SimpleIntegerProperty(this, "pinned", -1);
    private final ReadOnlyIntegerWrapper hoveredToken = new ReadOnlyIntegerWrapper(this, "hoveredToken", -1);

    public HeadView() {
        getStyleClass().add("head-view");
        for (int i = 0; i < PALETTE; i++) palette.add(VizStyles.colorProperty(this, "color" + (i + 1), COLORS.get(i)));
    }

    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() {
        return META.list();
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getControlCssMetaData() {
        return getClassCssMetaData();
    }

    @Override
    public List<javafx.beans.Observable> styleProperties() {
        List<javafx.beans.Observable> all = new ArrayList<>(super.styleProperties());
        all.addAll(palette);
        return all;
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new HeadViewSkin(this);
    }

    /** The colour of the i-th head shown. */
    public Color headColor(int i) {
        return palette.get(i % PALETTE).get();
    }

    public final ObjectProperty<List<String>> labelsProperty() { return labels; }
    public final void setLabels(List<String> l) { labels.set(l); }

    /** The heads to draw, each a query x key matrix over the labels. */
    public final ObjectProperty<List<MatrixSource>> headsProperty() { return heads; }
    public final void setHeads(List<MatrixSource> h) { heads.set(h); }

    /** A name per head for the key under the view ("head 3", "mean"). */
    public final ObjectProperty<List<String>> headNamesProperty() { return headNames; }

    /** The token whose lines show when the mouse is elsewhere (-1: the last one). */
    public final IntegerProperty pinnedProperty() { return pinned; }

    /** The token under the mouse (-1 for none). */
    public final ReadOnlyIntegerProperty hoveredTokenProperty() { return hoveredToken.getReadOnlyProperty(); }

    final void setHoveredToken(int t) {
        hoveredToken.set(t);
    }
}

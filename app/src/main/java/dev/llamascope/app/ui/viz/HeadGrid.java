package dev.llamascope.app.ui.viz;

import java.util.function.Consumer;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.Skin;

/**
 * Every head of every layer at once, as small heatmaps in a grid (rows = layers, columns = heads), bertviz's
 * "model view". A thumbnail pixel shows the largest weight among the cells it covers, so a sharp diagonal or a
 * column on the first token stays visible when 256 tokens shrink to 80 pixels. Hover names the head; a click
 * selects it and calls {@link #onOpenHeadProperty()} (the Inspect pane enlarges it).
 */
public class HeadGrid extends VizControl {
    /** A head of a layer. */
    public record Head(int layer, int head) {}

    private final ObjectProperty<MatrixSource[][]> matrices = new SimpleObjectProperty<>(this, "matrices");
    private final DoubleProperty thumbSize = new SimpleDoubleProperty(this, "thumbSize", 88);
    private final ObjectProperty<Head> selected = new SimpleObjectProperty<>(this, "selected");
    private final ReadOnlyObjectWrapper<Head> hovered = new ReadOnlyObjectWrapper<>(this, "hovered");
    private final ObjectProperty<Consumer<Head>> onOpenHead = new SimpleObjectProperty<>(this, "onOpenHead");
    private final ObjectProperty<int[]> kvGroupOf = new SimpleObjectProperty<>(this, "kvGroupOf");

    public HeadGrid() {
        getStyleClass().add("head-grid");
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new HeadGridSkin(this);
    }

    /** [layer][head] matrices; all the same size. */
    public final ObjectProperty<MatrixSource[][]> matricesProperty() { return matrices; }
    public final MatrixSource[][] getMatrices() { return matrices.get(); }
    public final void setMatrices(MatrixSource[][] m) { matrices.set(m); }

    /** Pixels per thumbnail side. */
    public final DoubleProperty thumbSizeProperty() { return thumbSize; }
    public final double getThumbSize() { return thumbSize.get(); }
    public final void setThumbSize(double v) { thumbSize.set(Math.max(16, Math.min(400, v))); }

    public final ObjectProperty<Head> selectedProperty() { return selected; }
    public final Head getSelected() { return selected.get(); }
    public final void setSelected(Head h) { selected.set(h); }

    public final ReadOnlyObjectProperty<Head> hoveredProperty() { return hovered.getReadOnlyProperty(); }

    final void setHovered(Head h) {
        if (h == null ? hovered.get() != null : !h.equals(hovered.get())) hovered.set(h);
    }

    /** Called with the head when a thumbnail is clicked. */
    public final ObjectProperty<Consumer<Head>> onOpenHeadProperty() { return onOpenHead; }
    public final void setOnOpenHead(Consumer<Head> c) { onOpenHead.set(c); }

    /** Per head its key/value head (GQA), for the hover text; null = none shown. */
    public final ObjectProperty<int[]> kvGroupOfProperty() { return kvGroupOf; }
}

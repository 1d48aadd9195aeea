package dev.llamascope.app.ui.viz;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.control.Skin;

/**
 * The key to a colour scale: a gradient bar with values at even steps along it (uneven in value when the scale
 * has a gamma, which is the point: the reader sees that half the colour range is spent below 0.25), a title, and
 * optionally a swatch for masked cells.
 */
public class ColorLegend extends VizControl {
    private final ObjectProperty<ColorScale> scale = new SimpleObjectProperty<>(this, "scale");
    private final StringProperty title = new SimpleStringProperty(this, "title", "");
    private final StringProperty maskedText = new SimpleStringProperty(this, "maskedText");

    public ColorLegend() {
        getStyleClass().add("color-legend");
    }

    public ColorLegend(String title) {
        this();
        setTitle(title);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new ColorLegendSkin(this);
    }

    public final ObjectProperty<ColorScale> scaleProperty() { return scale; }
    public final void setScale(ColorScale s) { scale.set(s); }
    public final ColorScale getScale() { return scale.get(); }

    public final StringProperty titleProperty() { return title; }
    public final void setTitle(String t) { title.set(t); }

    /** When set, a swatch in the masked colour with this text follows the bar. */
    public final StringProperty maskedTextProperty() { return maskedText; }
    public final void setMaskedText(String t) { maskedText.set(t); }
}

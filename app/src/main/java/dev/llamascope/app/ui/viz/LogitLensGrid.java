package dev.llamascope.app.ui.viz;

import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.scene.control.Skin;
import javafx.scene.paint.Color;

/**
 * The logit lens as a table: one row per depth (the embedding at the top, the last layer — the model's real
 * output — at the bottom), one column per position, each cell the token that depth would predict, coloured by its
 * probability. Cells that already predict the model's final token are outlined ({@code -ls-final-color}), with a
 * thicker outline from the row where the prediction settles. Scrolls sideways; only visible columns are painted.
 */
public class LogitLensGrid extends VizControl {
    private static final VizStyles.Meta<LogitLensGrid> META = new VizStyles.Meta<>(VizControl.getClassCssMetaData());
    private static final CssMetaData<LogitLensGrid, Color> FINAL = META.color("-ls-final-color", Color.web("#cf222e"), c -> c.finalColor);

    private final StyleableObjectProperty<Color> finalColor = VizStyles.colorProperty(this, "finalColor", FINAL);
    private final ObjectProperty<LensTable> table = new SimpleObjectProperty<>(this, "table");
    private final DoubleProperty cellWidth = new SimpleDoubleProperty(this, "cellWidth", 76);
    private final DoubleProperty cellHeight = new SimpleDoubleProperty(this, "cellHeight", 26);

    public LogitLensGrid() {
        getStyleClass().add("logit-lens-grid");
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
        List<javafx.beans.Observable> all = new java.util.ArrayList<>(super.styleProperties());
        all.add(finalColor);
        return all;
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new LogitLensGridSkin(this);
    }

    public final Color getFinalColor() { return finalColor.get(); }

    public final ObjectProperty<LensTable> tableProperty() { return table; }
    public final LensTable getTable() { return table.get(); }
    public final void setTable(LensTable t) { table.set(t); }

    public final DoubleProperty cellWidthProperty() { return cellWidth; }
    public final DoubleProperty cellHeightProperty() { return cellHeight; }

    /** The probability scale of the cells. */
    public ColorScale currentScale() {
        return sequentialScale(0, 1);
    }
}

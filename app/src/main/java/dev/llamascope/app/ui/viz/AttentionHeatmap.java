package dev.llamascope.app.ui.viz;

import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.control.Skin;

/**
 * A matrix as a heatmap with token labels: for attention, query tokens down the side and key tokens along the
 * top, each cell the weight a query gives a key. Zoom with the cell size (Ctrl + wheel), scroll with the wheel;
 * only the visible cells are painted, so 512 x 512 costs what the screen shows. Hovering a cell shows the pair and
 * its value. Values map to colours through a sequential scale over [valueMin, valueMax] (NaN = the data's range) or,
 * with {@code diverging}, a scale symmetric around zero.
 */
public class AttentionHeatmap extends VizControl {
    /** A cell: row (query) and column (key). */
    public record Cell(int row, int col) {}

    private final ObjectProperty<MatrixSource> matrix = new SimpleObjectProperty<>(this, "matrix");
    private final ObjectProperty<List<String>> rowLabels = new SimpleObjectProperty<>(this, "rowLabels", List.of());
    private final ObjectProperty<List<String>> colLabels = new SimpleObjectProperty<>(this, "colLabels", List.of());
    private final DoubleProperty cellSize = new SimpleDoubleProperty(this, "cellSize", 16);
    private final BooleanProperty diverging = new SimpleBooleanProperty(this, "diverging", false);
    private final DoubleProperty valueMin = new SimpleDoubleProperty(this, "valueMin", 0);
    private final DoubleProperty valueMax = new SimpleDoubleProperty(this, "valueMax", 1);
    private final StringProperty rowName = new SimpleStringProperty(this, "rowName", "query");
    private final StringProperty colName = new SimpleStringProperty(this, "colName", "key");
    private final StringProperty valueName = new SimpleStringProperty(this, "valueName", "weight");
    private final StringProperty maskedText = new SimpleStringProperty(this, "maskedText", "masked");
    private final ReadOnlyObjectWrapper<Cell> hoveredCell = new ReadOnlyObjectWrapper<>(this, "hoveredCell");

    public AttentionHeatmap() {
        getStyleClass().add("attention-heatmap");
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new AttentionHeatmapSkin(this);
    }

    public final ObjectProperty<MatrixSource> matrixProperty() { return matrix; }
    public final MatrixSource getMatrix() { return matrix.get(); }
    public final void setMatrix(MatrixSource m) { matrix.set(m); }

    /** Labels of the rows (query tokens). */
    public final ObjectProperty<List<String>> rowLabelsProperty() { return rowLabels; }
    /** Labels of the columns (key tokens). */
    public final ObjectProperty<List<String>> colLabelsProperty() { return colLabels; }

    /** Sets both label lists to the same tokens. */
    public final void setLabels(List<String> labels) {
        rowLabels.set(labels);
        colLabels.set(labels);
    }

    /** Pixels per cell (1 .. 64). */
    public final DoubleProperty cellSizeProperty() { return cellSize; }
    public final double getCellSize() { return cellSize.get(); }
    public final void setCellSize(double v) { cellSize.set(Math.max(1, Math.min(64, v))); }

    /** A value for hover texts: four decimals, or two significant digits for tiny weights. */
    static String precise(double v) {
        if (Double.isInfinite(v)) return v < 0 ? "−∞" : "∞";
        return v != 0 && Math.abs(v) < 1e-3 ? String.format(Locale.ROOT, "%.1e", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    public final BooleanProperty divergingProperty() { return diverging; }
    public final void setDiverging(boolean v) { diverging.set(v); }

    /** Bottom of the colour scale; NaN = the data's minimum. */
    public final DoubleProperty valueMinProperty() { return valueMin; }
    /** Top of the colour scale; NaN = the data's maximum. */
    public final DoubleProperty valueMaxProperty() { return valueMax; }

    public final void setValueRange(double min, double max) {
        valueMin.set(min);
        valueMax.set(max);
    }

    /** What rows, columns and values are called in the hover text. */
    public final StringProperty rowNameProperty() { return rowName; }
    public final StringProperty colNameProperty() { return colName; }
    public final StringProperty valueNameProperty() { return valueName; }
    /** Written in masked cells large enough to hold text (e.g. "−∞" for masked scores). */
    public final StringProperty maskedTextProperty() { return maskedText; }

    /** The cell under the mouse, or null. */
    public final ReadOnlyObjectProperty<Cell> hoveredCellProperty() { return hoveredCell.getReadOnlyProperty(); }

    final void setHovered(Cell c) {
        if (c == null ? hoveredCell.get() != null : !c.equals(hoveredCell.get())) hoveredCell.set(c);
    }

    /** The colour scale the control paints with now (for a legend beside it). */
    public ColorScale currentScale() {
        MatrixSource m = matrix.get();
        double lo = valueMin.get(), hi = valueMax.get();
        if ((Double.isNaN(lo) || Double.isNaN(hi)) && m != null) {
            float[] r = m.range();
            if (Double.isNaN(lo)) lo = r[0];
            if (Double.isNaN(hi)) hi = r[1];
        }
        if (Double.isNaN(lo)) lo = 0;
        if (Double.isNaN(hi)) hi = 1;
        return diverging.get() ? divergingScale(lo, hi) : sequentialScale(lo, hi);
    }

    /**
     * Makes every column fit a width (at least 1 pixel per cell): with the room token labels take when cells are
     * large enough for them, else the narrower room of position numbers, and a scroll bar's width spare.
     */
    public void fitWidth(double width) {
        MatrixSource m = matrix.get();
        if (m == null) return;
        double withLabels = Math.floor((width - 16 - 112) / m.cols());
        // below label size a fractional cell is fine: the image is scaled without smoothing
        setCellSize(withLabels >= 9 ? withLabels : Math.max(1, Math.min(8, (width - 16 - 50) / m.cols())));
    }

    static String format(double v) {
        if (Double.isInfinite(v)) return v < 0 ? "−∞" : "∞";
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }
}

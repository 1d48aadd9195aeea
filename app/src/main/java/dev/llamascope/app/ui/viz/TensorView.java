package dev.llamascope.app.ui.viz;

import dev.llamascope.engine.inference.inspect.TensorSummary;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.control.Skin;

/**
 * A weight matrix or a block of activations as a picture, stretched to the space it has: blue for negative,
 * red for positive, the background colour for zero. The scale is symmetric and clipped at |mean| + 3 std, so a
 * few outliers do not wash everything else out (they show at full colour). Hover shows the source indices and value.
 */
public class TensorView extends VizControl {
    private final ObjectProperty<TensorSummary> summary = new SimpleObjectProperty<>(this, "summary");
    private final StringProperty rowName = new SimpleStringProperty(this, "rowName", "row");
    private final StringProperty colName = new SimpleStringProperty(this, "colName", "column");
    private final ObjectProperty<List<String>> rowLabels = new SimpleObjectProperty<>(this, "rowLabels", List.of());

    public TensorView() {
        getStyleClass().add("tensor-view");
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new TensorViewSkin(this);
    }

    public final ObjectProperty<TensorSummary> summaryProperty() { return summary; }
    public final TensorSummary getSummary() { return summary.get(); }
    public final void setSummary(TensorSummary s) { summary.set(s); }

    /** What a row and a column are, for the hover text ("output" / "input" for weights, "position" / "feature"). */
    public final StringProperty rowNameProperty() { return rowName; }
    public final StringProperty colNameProperty() { return colName; }

    /** Optional labels of the source rows (tokens, for activations). */
    public final ObjectProperty<List<String>> rowLabelsProperty() { return rowLabels; }

    /** The scale the picture is painted with. */
    public ColorScale currentScale() {
        TensorSummary s = summary.get();
        if (s == null) return divergingScale(-1, 1);
        double r = Math.min(s.maxAbs(), Math.abs(s.stats().mean()) + 3 * s.stats().std());
        if (!(r > 0)) r = Math.max(1e-6, s.maxAbs());
        return ColorScale.diverging(getNegativeColor(), getZeroColor(), getPositiveColor(), -r, r, 1.0);
    }
}

package dev.llamascope.app.ui.viz;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.control.Skin;

/**
 * A line chart painted on a canvas, made for curves that grow while they are watched (training losses): series of
 * thousands of points are decimated to the pixel columns they fall in (each column draws its first, lowest, highest
 * and last value, so spikes stay visible), so a repaint costs the same for 1k or 100k points. A log y scale, a choice
 * of x axis among the series' x dimensions, a legend, and hover: a line at the mouse and every series' value at the
 * nearest point. Colours come from the viz CSS properties (series: the mid colour; markers: the positive colour).
 * FX thread only; call {@link #refresh()} after changing a series' points.
 */
public class SeriesChart extends VizControl {
    private final List<ChartSeries> series = new ArrayList<>();
    private final List<String> xLabels;
    private final StringProperty title = new SimpleStringProperty(this, "title", "");
    private final BooleanProperty logY = new SimpleBooleanProperty(this, "logY", false);
    private final IntegerProperty xDimension = new SimpleIntegerProperty(this, "xDimension", 0);
    private final ObjectProperty<DoubleFunction<String>> yFormat = new SimpleObjectProperty<DoubleFunction<String>>(this, "yFormat", SeriesChart::number);
    private final StringProperty emptyText = new SimpleStringProperty(this, "emptyText", "No data yet");
    private long revision;

    /** @param xLabels the name of each x dimension ("step", "tokens", "time"): one per dimension of the series */
    public SeriesChart(List<String> xLabels) {
        this.xLabels = List.copyOf(xLabels);
        getStyleClass().add("series-chart");
        logY.addListener(o -> refresh());
        xDimension.addListener(o -> refresh());
        title.addListener(o -> refresh());
        yFormat.addListener(o -> refresh());
        emptyText.addListener(o -> refresh());
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new SeriesChartSkin(this);
    }

    /** Adds a series, drawn in the order added (later ones on top); its x dimensions must match the chart's. */
    public ChartSeries addSeries(ChartSeries s) {
        series.add(s);
        refresh();
        return s;
    }

    public List<ChartSeries> series() {
        return List.copyOf(series);
    }

    public List<String> xLabels() {
        return xLabels;
    }

    /** Repaints (once, in the next layout pass) after points were added or changed. */
    public void refresh() {
        revision++;
        if (getSkin() instanceof SeriesChartSkin s) s.requestPaint();
    }

    /** Increases with every {@link #refresh()}; for tests. */
    public long revision() {
        return revision;
    }

    public final StringProperty titleProperty() {
        return title;
    }

    public final BooleanProperty logYProperty() {
        return logY;
    }

    /** Which of the series' x dimensions the x axis shows. */
    public final IntegerProperty xDimensionProperty() {
        return xDimension;
    }

    /** How y values are written on the axis and in the hover label. */
    public final ObjectProperty<DoubleFunction<String>> yFormatProperty() {
        return yFormat;
    }

    /** What the chart says while it has no points. */
    public final StringProperty emptyTextProperty() {
        return emptyText;
    }

    /** 0.0123, 1.23, 123, 12.3k, 1.2e-05: short numbers for axes. */
    public static String number(double v) {
        double a = Math.abs(v);
        if (v == 0) return "0";
        if (a >= 1e6) return trim(v / 1e6) + "M";
        if (a >= 1e4) return trim(v / 1e3) + "k";
        if (a >= 100) return String.format(java.util.Locale.ROOT, "%.0f", v);
        if (a >= 0.01) return String.format(java.util.Locale.ROOT, a >= 10 ? "%.1f" : "%.3g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
        return String.format(java.util.Locale.ROOT, "%.1e", v);
    }

    private static String trim(double v) {
        return String.format(java.util.Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.1f", v).replaceAll("\\.0$", "");
    }
}

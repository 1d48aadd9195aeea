package dev.llamascope.app.ui.viz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * Paints a {@link SeriesChart}: axes with round ticks (decades on a log scale), grid, a legend, and each series
 * decimated to pixel columns. The chart fits its view (nothing scrolls); the transform of the last paint is kept
 * for hover.
 */
final class SeriesChartSkin extends VizSkin<SeriesChart> {
    static final double LEFT = 58, RIGHT = 14, TOP = 26, BOTTOM = 26;
    private static final Font FONT = Font.font(11), TITLE = Font.font(null, FontWeight.BOLD, 12);

    // the transform of the last paint: data x0..x1 -> LEFT..LEFT+plotW, y (log10 when log) y0..y1 -> bottom..top
    private double x0, x1, y0, y1, plotW, plotH;
    private boolean log, hasData;
    private int dim;

    SeriesChartSkin(SeriesChart chart) {
        super(chart);
    }

    @Override
    protected double contentWidth() {
        return 0; // fits its view: no scrolling
    }

    @Override
    protected double contentHeight() {
        return 0;
    }

    @Override
    protected double computePrefWidth(double height, double top, double right, double bottom, double left) {
        return 420;
    }

    @Override
    protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
        return 200;
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        SeriesChart c = getSkinnable();
        g.setFill(c.getBackgroundColor());
        g.fillRect(0, 0, w, h);
        List<ChartSeries> all = c.series();
        dim = Math.max(0, Math.min(c.xLabels().size() - 1, c.xDimensionProperty().get()));
        log = c.logYProperty().get();
        plotW = Math.max(1, w - LEFT - RIGHT);
        plotH = Math.max(1, h - TOP - BOTTOM);

        paintTitleAndLegend(g, c, all, w);
        // the data's extent
        double xmin = Double.POSITIVE_INFINITY, xmax = Double.NEGATIVE_INFINITY, ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        for (ChartSeries s : all) {
            for (int i = 0; i < s.size(); i++) {
                double y = s.y(i);
                if (!usable(y)) continue;
                double x = s.x(dim, i);
                xmin = Math.min(xmin, x);
                xmax = Math.max(xmax, x);
                double v = log ? Math.log10(y) : y;
                ymin = Math.min(ymin, v);
                ymax = Math.max(ymax, v);
            }
        }
        hasData = xmin <= xmax;
        if (!hasData) {
            g.setFill(c.getMutedTextColor());
            g.setFont(FONT);
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(c.emptyTextProperty().get(), LEFT + plotW / 2, TOP + plotH / 2);
            return;
        }
        if (xmax == xmin) xmax = xmin + 1;
        if (ymax == ymin) {
            double d = log ? 0.5 : Math.max(Math.abs(ymin) * 0.1, 1e-9);
            ymin -= d;
            ymax += d;
        }
        double pad = (ymax - ymin) * 0.06;
        x0 = xmin;
        x1 = xmax;
        y0 = ymin - pad;
        y1 = ymax + pad;

        paintAxes(g, c);
        g.save();
        g.beginPath();
        g.rect(LEFT, TOP, plotW, plotH);
        g.clip();
        for (ChartSeries s : all) paintSeries(g, c, s);
        g.restore();
    }

    private boolean usable(double y) {
        return Double.isFinite(y) && (!log || y > 0);
    }

    private double sx(double x) {
        return LEFT + (x - x0) / (x1 - x0) * plotW;
    }

    private double sy(double y) {
        double v = log ? Math.log10(y) : y;
        return TOP + (y1 - v) / (y1 - y0) * plotH;
    }

    private void paintTitleAndLegend(GraphicsContext g, SeriesChart c, List<ChartSeries> all, double w) {
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.LEFT);
        g.setFont(TITLE);
        g.setFill(c.getTextColor());
        g.fillText(c.titleProperty().get(), 8, 12);
        g.setFont(FONT);
        // legend from the right edge leftwards (only when there is more than one series)
        if (all.size() < 2) return;
        double x = w - RIGHT;
        for (int k = all.size() - 1; k >= 0; k--) {
            ChartSeries s = all.get(k);
            double tw = textWidth(s.name());
            x -= tw;
            g.setFill(c.getTextColor());
            g.fillText(s.name(), x, 12);
            x -= 22;
            stroke(g, c, s);
            if (s.look() == ChartSeries.Look.MARKERS) {
                g.setFill(c.getPositiveColor());
                g.fillOval(x + 6, 8.5, 7, 7);
            } else {
                g.strokeLine(x + 2, 12, x + 18, 12);
            }
            x -= 12;
        }
    }

    private static double textWidth(String s) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(s);
        t.setFont(FONT);
        return t.getLayoutBounds().getWidth();
    }

    private void stroke(GraphicsContext g, SeriesChart c, ChartSeries s) {
        switch (s.look()) {
            case FAINT -> {
                g.setStroke(withOpacity(c.getMidColor(), 0.45));
                g.setLineWidth(1);
            }
            case LINE -> {
                g.setStroke(c.getMidColor());
                g.setLineWidth(2);
            }
            case MARKERS -> {
                g.setStroke(withOpacity(c.getPositiveColor(), 0.7));
                g.setLineWidth(1.25);
            }
        }
    }

    private static Color withOpacity(Color c, double a) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), c.getOpacity() * a);
    }

    private void paintAxes(GraphicsContext g, SeriesChart c) {
        Color grid = withOpacity(c.getMaskedColor(), 0.7);
        g.setLineWidth(1);
        g.setFont(FONT);
        // y ticks
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (double t : yTicks()) {
            double py = Math.round(sy(t)) + 0.5;
            if (py < TOP - 1 || py > TOP + plotH + 1) continue;
            g.setStroke(grid);
            g.strokeLine(LEFT, py, LEFT + plotW, py);
            g.setFill(c.getMutedTextColor());
            g.fillText(c.yFormatProperty().get().apply(t), LEFT - 6, py);
        }
        // x ticks
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        double step = niceStep((x1 - x0) / Math.max(2, plotW / 90));
        for (double t = Math.ceil(x0 / step) * step; t <= x1 + step * 1e-9; t += step) {
            double px = Math.round(sx(t)) + 0.5;
            g.setStroke(grid);
            g.strokeLine(px, TOP, px, TOP + plotH);
            g.setFill(c.getMutedTextColor());
            g.fillText(formatX(t), px, TOP + plotH + 5);
        }
        g.setStroke(c.getMaskedColor());
        g.strokeRect(LEFT + 0.5, TOP + 0.5, plotW - 1, plotH - 1);
        // the x axis' name in the corner below the y labels, where no tick label goes
        g.setTextAlign(TextAlignment.LEFT);
        g.setFill(c.getMutedTextColor());
        g.fillText(getSkinnable().xLabels().get(dim), 6, TOP + plotH + 5);
    }

    /** Round values for the y axis: 1-2-5 steps, or on a log scale the decades (and 2, 5 times them when few). */
    private List<Double> yTicks() {
        List<Double> out = new ArrayList<>();
        if (log) {
            int lo = (int) Math.floor(y0), hi = (int) Math.ceil(y1);
            boolean fine = hi - lo <= 2;
            for (int e = lo; e <= hi; e++) {
                double d = Math.pow(10, e);
                out.add(d);
                if (fine) {
                    out.add(2 * d);
                    out.add(5 * d);
                }
            }
            return out;
        }
        double step = niceStep((y1 - y0) / Math.max(2, plotH / 40));
        for (double t = Math.ceil(y0 / step) * step; t <= y1; t += step) out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        return out;
    }

    static double niceStep(double raw) {
        if (!(raw > 0) || Double.isInfinite(raw)) return 1;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    }

    private String formatX(double x) {
        String label = getSkinnable().xLabels().get(dim);
        if (label.startsWith("time")) return duration(x);
        return SeriesChart.number(x);
    }

    /** 45s, 3m05s, 1h02m */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** Each pixel column of the series draws its first, lowest, highest and last point: O(points), any count. */
    private void paintSeries(GraphicsContext g, SeriesChart c, ChartSeries s) {
        int n = s.size();
        if (n == 0) return;
        stroke(g, c, s);
        g.beginPath();
        boolean started = false;
        int col = Integer.MIN_VALUE;
        double fx = 0, first = 0, lo = 0, hi = 0, last = 0;
        List<double[]> markers = s.look() == ChartSeries.Look.MARKERS ? new ArrayList<>() : null;
        for (int i = 0; i <= n; i++) {
            boolean end = i == n;
            double px = 0, py = 0;
            if (!end) {
                double y = s.y(i);
                if (!usable(y)) continue;
                px = sx(s.x(dim, i));
                py = sy(y);
            }
            int k = end ? Integer.MAX_VALUE : (int) Math.floor(px);
            if (k != col) {
                if (col != Integer.MIN_VALUE) {
                    if (!started) {
                        g.moveTo(fx, first);
                        started = true;
                    } else {
                        g.lineTo(fx, first);
                    }
                    if (hi != lo) {
                        g.lineTo(fx, lo);
                        g.lineTo(fx, hi);
                    }
                    g.lineTo(fx, last);
                    if (markers != null) markers.add(new double[]{fx, last});
                }
                col = k;
                fx = px;
                first = lo = hi = last = py;
            } else {
                lo = Math.min(lo, py);
                hi = Math.max(hi, py);
                last = py;
            }
        }
        g.stroke();
        if (markers != null) {
            g.setFill(c.getPositiveColor());
            double r = markers.size() > plotW / 4 ? 2 : 3.5;
            for (double[] m : markers) g.fillOval(m[0] - r, m[1] - r, 2 * r, 2 * r);
        }
    }

    @Override
    protected void paintOverlay(GraphicsContext g, double mx, double my) {
        if (!hasData || mx < LEFT || mx > LEFT + plotW || my < TOP || my > TOP + plotH) return;
        SeriesChart c = getSkinnable();
        double x = x0 + (mx - LEFT) / plotW * (x1 - x0);
        List<ChartSeries> all = c.series();
        ChartSeries main = null;
        for (ChartSeries s : all) if (s.size() > 0 && s.look() != ChartSeries.Look.MARKERS) { main = s; break; }
        if (main == null) main = all.stream().filter(s -> s.size() > 0).findFirst().orElse(null);
        if (main == null) return;
        int mi = main.nearest(dim, x);
        double at = main.x(dim, mi);
        double px = sx(at);
        g.setStroke(c.getMutedTextColor());
        g.setLineWidth(1);
        g.strokeLine(Math.round(px) + 0.5, TOP, Math.round(px) + 0.5, TOP + plotH);
        String xName = c.xLabels().get(dim);
        StringBuilder text = new StringBuilder(xName).append(' ').append(formatX(at));
        for (ChartSeries s : all) {
            if (s.size() == 0) continue;
            int i = s.nearest(dim, at);
            double y = s.y(i), sxv = s.x(dim, i);
            text.append('\n').append(s.name()).append(": ").append(Double.isFinite(y) ? c.yFormatProperty().get().apply(y) : "—");
            if (sxv != at) text.append("  (").append(xName).append(' ').append(formatX(sxv)).append(')');
            if (usable(y)) {
                g.setFill(s.look() == ChartSeries.Look.MARKERS ? c.getPositiveColor() : c.getMidColor());
                g.fillOval(sx(sxv) - 3.5, sy(y) - 3.5, 7, 7);
            }
        }
        showHover(text.toString(), mx, my);
    }
}

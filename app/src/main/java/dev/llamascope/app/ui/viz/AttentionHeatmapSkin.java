package dev.llamascope.app.ui.viz;

import java.util.List;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Paints an {@link AttentionHeatmap}: the visible cells are written, one pixel per cell, into an image through a
 * colour lookup table and drawn scaled without smoothing; labels are drawn only for visible rows and columns, and
 * only when cells are tall enough to hold text (else position numbers every few cells).
 */
public class AttentionHeatmapSkin extends VizSkin<AttentionHeatmap> {
    private static final double LABEL_MIN_CELL = 9;
    private WritableImage image;
    private int[] pixels = new int[0];

    public AttentionHeatmapSkin(AttentionHeatmap c) {
        super(c);
        registerChangeListener(c.matrixProperty(), e -> contentChanged());
        registerChangeListener(c.rowLabelsProperty(), e -> contentChanged());
        registerChangeListener(c.colLabelsProperty(), e -> contentChanged());
        registerChangeListener(c.cellSizeProperty(), e -> contentChanged());
        registerChangeListener(c.divergingProperty(), e -> requestPaint());
        registerChangeListener(c.valueMinProperty(), e -> requestPaint());
        registerChangeListener(c.valueMaxProperty(), e -> requestPaint());
    }

    private void contentChanged() {
        getSkinnable().requestLayout();
        requestPaint();
    }

    private double cs() {
        return getSkinnable().getCellSize();
    }

    private boolean labelsOn() {
        return cs() >= LABEL_MIN_CELL;
    }

    private Font font() {
        return Font.font(Math.max(8, Math.min(13, cs() - 3)));
    }

    @Override
    protected double contentWidth() {
        MatrixSource m = getSkinnable().getMatrix();
        return m == null ? 0 : m.cols() * cs();
    }

    @Override
    protected double contentHeight() {
        MatrixSource m = getSkinnable().getMatrix();
        return m == null ? 0 : m.rows() * cs();
    }

    @Override
    protected double marginLeft() {
        return labelsOn() ? labelExtent(getSkinnable().rowLabelsProperty().get()) : 50;
    }

    @Override
    protected double marginTop() {
        return labelsOn() ? labelExtent(getSkinnable().colLabelsProperty().get()) : 32;
    }

    /** Room for the longest label, between 40 and 110 pixels. */
    private double labelExtent(List<String> labels) {
        int longest = 0;
        for (String s : labels) longest = Math.max(longest, Math.min(14, TokenText.display(s).length()));
        return Math.max(40, Math.min(110, 12 + longest * font().getSize() * 0.62));
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        AttentionHeatmap c = getSkinnable();
        g.setFill(c.getBackgroundColor());
        g.fillRect(0, 0, w, h);
        MatrixSource m = c.getMatrix();
        if (m == null) return;
        double cs = cs(), ml = marginLeft(), mt = marginTop(), sx = scrollX(), sy = scrollY();
        int c0 = (int) Math.floor(sx / cs), c1 = Math.min(m.cols(), (int) Math.ceil((sx + w - ml) / cs));
        int r0 = (int) Math.floor(sy / cs), r1 = Math.min(m.rows(), (int) Math.ceil((sy + h - mt) / cs));
        int nc = Math.max(0, c1 - c0), nr = Math.max(0, r1 - r0);
        ColorScale scale = c.currentScale();
        int masked = ColorScale.toArgb(c.getMaskedColor());
        if (nc > 0 && nr > 0) {
            if (pixels.length < nc * nr) pixels = new int[nc * nr];
            for (int r = 0; r < nr; r++) {
                int row = r0 + r;
                for (int k = 0; k < nc; k++) {
                    int col = c0 + k;
                    pixels[r * nc + k] = m.masked(row, col) ? masked : scale.argb(m.get(row, col));
                }
            }
            if (image == null || image.getWidth() < nc || image.getHeight() < nr)
                image = new WritableImage(Math.max(nc, image == null ? 0 : (int) image.getWidth()), Math.max(nr, image == null ? 0 : (int) image.getHeight()));
            image.getPixelWriter().setPixels(0, 0, nc, nr, PixelFormat.getIntArgbPreInstance(), premultiply(nc * nr), 0, nc);
            g.save();
            g.beginPath();
            g.rect(ml, mt, w - ml, h - mt);
            g.clip();
            double x0 = ml + c0 * cs - sx, y0 = mt + r0 * cs - sy;
            g.drawImage(image, 0, 0, nc, nr, x0, y0, nc * cs, nr * cs);
            if (cs >= 26) paintValues(g, m, scale, r0, r1, c0, c1, x0, y0, cs);
            if (cs >= 6) {
                // thin separators make single cells countable when zoomed in
                g.setStroke(c.getBackgroundColor().deriveColor(0, 1, 1, 0.6));
                g.setLineWidth(1);
                for (int k = c0; k <= c1; k++) g.strokeLine(ml + k * cs - sx + 0.5, y0, ml + k * cs - sx + 0.5, y0 + nr * cs);
                for (int r = r0; r <= r1; r++) g.strokeLine(x0, mt + r * cs - sy + 0.5, x0 + nc * cs, mt + r * cs - sy + 0.5);
            }
            g.restore();
        }
        paintLabels(g, m, r0, r1, c0, c1, w, h);
    }

    private int[] premultiply(int n) {
        // the colours are opaque except masked ones from a translucent theme colour: premultiply in place
        for (int i = 0; i < n; i++) {
            int p = pixels[i], a = p >>> 24;
            if (a != 255) {
                int r = ((p >> 16) & 255) * a / 255, gg = ((p >> 8) & 255) * a / 255, b = (p & 255) * a / 255;
                pixels[i] = (a << 24) | (r << 16) | (gg << 8) | b;
            }
        }
        return pixels;
    }

    private void paintValues(GraphicsContext g, MatrixSource m, ColorScale scale, int r0, int r1, int c0, int c1, double x0, double y0, double cs) {
        AttentionHeatmap c = getSkinnable();
        g.setFont(Font.font(Math.min(12, cs / 3.2)));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        for (int r = r0; r < r1; r++) {
            for (int k = c0; k < c1; k++) {
                double x = x0 + (k - c0) * cs + cs / 2, y = y0 + (r - r0) * cs + cs / 2;
                if (m.masked(r, k)) {
                    g.setFill(ColorScale.textOn(c.getMaskedColor()));
                    g.fillText(c.maskedTextProperty().get(), x, y, cs - 2);
                } else {
                    double v = m.get(r, k);
                    g.setFill(ColorScale.textOn(scale.color(v)));
                    g.fillText(AttentionHeatmap.format(v), x, y, cs - 2);
                }
            }
        }
    }

    private void paintLabels(GraphicsContext g, MatrixSource m, int r0, int r1, int c0, int c1, double w, double h) {
        AttentionHeatmap c = getSkinnable();
        double cs = cs(), ml = marginLeft(), mt = marginTop(), sx = scrollX(), sy = scrollY();
        g.setFill(c.getBackgroundColor());
        g.fillRect(0, 0, w, mt);
        g.fillRect(0, 0, ml, h);
        g.setFill(c.getTextColor());
        List<String> rows = c.rowLabelsProperty().get(), cols = c.colLabelsProperty().get();
        if (labelsOn()) {
            Font f = font();
            g.setFont(f);
            g.setTextBaseline(VPos.CENTER);
            g.setTextAlign(TextAlignment.RIGHT);
            for (int r = r0; r < r1; r++) {
                double y = mt + r * cs - sy + cs / 2;
                if (y < mt) continue;
                g.fillText(label(rows, r), ml - 5, y);
            }
            g.setTextAlign(TextAlignment.LEFT);
            for (int k = c0; k < c1; k++) {
                double x = ml + k * cs - sx + cs / 2;
                if (x < ml) continue;
                g.save();
                g.translate(x, mt - 5);
                g.rotate(-90);
                g.fillText(label(cols, k), 0, 0);
                g.restore();
            }
        } else {
            // too small for words: position numbers at a readable spacing
            g.setFont(Font.font(10));
            g.setFill(c.getMutedTextColor());
            int step = niceStep(36 / cs);
            g.setTextBaseline(VPos.CENTER);
            g.setTextAlign(TextAlignment.RIGHT);
            for (int r = (r0 / step) * step; r < r1; r += step) {
                double y = mt + r * cs - sy + cs / 2;
                if (y >= mt) g.fillText(Integer.toString(r), ml - 4, y);
            }
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.BOTTOM);
            for (int k = (c0 / step) * step; k < c1; k += step) {
                double x = ml + k * cs - sx + cs / 2;
                if (x >= ml) g.fillText(Integer.toString(k), x, mt - 3);
            }
        }
        // axis names in the corner
        g.setFill(c.getMutedTextColor());
        g.setFont(Font.font(10));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText(c.colNameProperty().get() + " →", 3, 2);
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(c.rowNameProperty().get() + " ↓", 3, mt - 2);
    }

    private static String label(List<String> labels, int i) {
        return i < labels.size() ? TokenText.shorten(TokenText.display(labels.get(i)), 14) : Integer.toString(i);
    }

    static int niceStep(double min) {
        int[] steps = {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000};
        for (int s : steps) if (s >= min) return s;
        return 1000;
    }

    /** The cell under canvas point (x, y), or null. */
    AttentionHeatmap.Cell cellAt(double x, double y) {
        MatrixSource m = getSkinnable().getMatrix();
        if (m == null || x < marginLeft() || y < marginTop()) return null;
        int col = (int) Math.floor((x - marginLeft() + scrollX()) / cs()), row = (int) Math.floor((y - marginTop() + scrollY()) / cs());
        if (row < 0 || col < 0 || row >= m.rows() || col >= m.cols()) return null;
        return new AttentionHeatmap.Cell(row, col);
    }

    @Override
    protected void paintOverlay(GraphicsContext g, double x, double y) {
        AttentionHeatmap c = getSkinnable();
        AttentionHeatmap.Cell cell = x < 0 ? null : cellAt(x, y);
        c.setHovered(cell);
        if (cell == null) return;
        MatrixSource m = c.getMatrix();
        double cs = cs(), ml = marginLeft(), mt = marginTop();
        double cx = ml + cell.col() * cs - scrollX(), cy = mt + cell.row() * cs - scrollY();
        Color hl = c.getHighlightColor();
        // a faint cross through the row and column, and the cell outlined
        g.setFill(hl.deriveColor(0, 1, 1, 0.10));
        g.fillRect(0, cy, overlay.getWidth(), cs);
        g.fillRect(cx, 0, cs, overlay.getHeight());
        g.setStroke(hl);
        g.setLineWidth(2);
        g.strokeRect(cx - 1, cy - 1, cs + 2, cs + 2);
        List<String> rows = c.rowLabelsProperty().get(), cols = c.colLabelsProperty().get();
        String rl = cell.row() < rows.size() ? TokenText.quoted(rows.get(cell.row())) : "";
        String cl = cell.col() < cols.size() ? TokenText.quoted(cols.get(cell.col())) : "";
        String value = m.masked(cell.row(), cell.col()) ? c.maskedTextProperty().get() + " (a later token: not visible)"
                : AttentionHeatmap.precise(m.get(cell.row(), cell.col()));
        showHover(String.format(Locale.ROOT, "%s %d %s → %s %d %s%n%s %s", c.rowNameProperty().get(), cell.row(), rl,
                c.colNameProperty().get(), cell.col(), cl, c.valueNameProperty().get(), value), x, y);
    }

    @Override
    protected void zoom(double factor, double x, double y) {
        AttentionHeatmap c = getSkinnable();
        double old = cs(), ml = marginLeft(), mt = marginTop();
        c.setCellSize(Math.round(old * factor) == Math.round(old) ? old + Math.signum(factor - 1) : Math.round(old * factor));
        double f = cs() / old;
        double nx = (scrollX() + x - ml) * f - (x - ml), ny = (scrollY() + y - mt) * f - (y - mt);
        getSkinnable().layout();
        c.scrollXProperty().set(Math.max(0, Math.min(maxScrollX(), nx)));
        c.scrollYProperty().set(Math.max(0, Math.min(maxScrollY(), ny)));
    }
}

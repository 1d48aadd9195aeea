package dev.llamascope.app.ui.viz;

import java.util.function.Consumer;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Paints a {@link HeadGrid}: all thumbnails are rendered into one pixel buffer (max-pooled from the matrices
 * through the colour lookup table) and drawn as one image; the image is kept until the data, the size or the
 * colours change, so scrolling and hovering only redraw it or the overlay.
 */
public class HeadGridSkin extends VizSkin<HeadGrid> {
    static final double GAP = 8, LEFT = 58, TOP = 22;
    private WritableImage picture;
    private boolean pictureStale = true;

    public HeadGridSkin(HeadGrid c) {
        super(c);
        registerChangeListener(c.matricesProperty(), e -> stale());
        registerChangeListener(c.thumbSizeProperty(), e -> stale());
        registerChangeListener(c.selectedProperty(), e -> repaintOverlay());
        for (javafx.beans.Observable p : c.styleProperties()) registerInvalidationListener(p, e -> stale());
    }

    private void stale() {
        pictureStale = true;
        getSkinnable().requestLayout();
        requestPaint();
    }

    private int layers() {
        MatrixSource[][] m = getSkinnable().getMatrices();
        return m == null ? 0 : m.length;
    }

    private int heads() {
        MatrixSource[][] m = getSkinnable().getMatrices();
        return m == null || m.length == 0 ? 0 : m[0].length;
    }

    private int thumb() {
        return (int) Math.round(getSkinnable().getThumbSize());
    }

    @Override
    protected double contentWidth() {
        return heads() * (thumb() + GAP);
    }

    @Override
    protected double contentHeight() {
        return layers() * (thumb() + GAP);
    }

    @Override
    protected double marginLeft() {
        return LEFT;
    }

    @Override
    protected double marginTop() {
        return TOP;
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        HeadGrid c = getSkinnable();
        g.setFill(c.getBackgroundColor());
        g.fillRect(0, 0, w, h);
        if (layers() == 0) return;
        if (pictureStale || picture == null) {
            picture = render();
            pictureStale = false;
        }
        double sx = scrollX(), sy = scrollY();
        g.save();
        g.beginPath();
        g.rect(LEFT, TOP, w - LEFT, h - TOP);
        g.clip();
        g.drawImage(picture, LEFT - sx, TOP - sy);
        g.restore();
        int t = thumb();
        g.setFill(c.getTextColor());
        g.setFont(Font.font(11));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.BOTTOM);
        for (int hd = 0; hd < heads(); hd++) {
            double x = LEFT + hd * (t + GAP) + t / 2.0 - sx;
            if (x > LEFT) g.fillText("head " + hd, x, TOP - 4);
        }
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (int l = 0; l < layers(); l++) {
            double y = TOP + l * (t + GAP) + t / 2.0 - sy;
            if (y > TOP) g.fillText("layer " + l, LEFT - 6, y);
        }
    }

    /** All thumbnails into one image: per pixel the largest visible weight of the cells it covers. */
    private WritableImage render() {
        HeadGrid c = getSkinnable();
        MatrixSource[][] m = c.getMatrices();
        int t = thumb(), step = t + (int) GAP;
        int W = heads() * step, H = layers() * step;
        int[] px = new int[W * H];
        int bg = ColorScale.toArgb(c.getBackgroundColor()) | 0xff000000;
        java.util.Arrays.fill(px, bg);
        ColorScale scale = c.sequentialScale(0, 1);
        int masked = ColorScale.toArgb(c.getMaskedColor()) | 0xff000000;
        float[] pool = new float[t * t];
        float[] row = new float[m.length == 0 || m[0].length == 0 ? 0 : m[0][0].cols()];
        for (int l = 0; l < m.length; l++) {
            for (int hd = 0; hd < m[l].length; hd++) {
                MatrixSource a = m[l][hd];
                int n = a.rows();
                java.util.Arrays.fill(pool, Float.NaN);
                if (n >= t) {
                    if (row.length < a.cols()) row = new float[a.cols()];
                    for (int q = 0; q < n; q++) {
                        int base = (int) ((long) q * t / n) * t;
                        int kEnd = a.copyRow(q, row);
                        // columns k .. of one pixel: pixel x covers k in [ceil(x n / t), ceil((x+1) n / t))
                        for (int x = 0, k = 0; k < kEnd; x++) {
                            int kNext = (int) (((long) (x + 1) * n + t - 1) / t);
                            float best = pool[base + x];
                            for (; k < kEnd && k < kNext; k++) if (!(best >= row[k])) best = row[k];
                            pool[base + x] = best;
                        }
                    }
                } else {
                    for (int py = 0; py < t; py++) {
                        int q = (int) ((long) py * n / t);
                        for (int x = 0; x < t; x++) {
                            int k = (int) ((long) x * n / t);
                            if (!a.masked(q, k)) pool[py * t + x] = a.get(q, k);
                        }
                    }
                }
                int ox = hd * step, oy = l * step;
                for (int py = 0; py < t; py++) {
                    int line = (oy + py) * W + ox;
                    for (int x = 0; x < t; x++) {
                        float v = pool[py * t + x];
                        px[line + x] = Float.isNaN(v) ? masked : scale.argb(v) | 0xff000000;
                    }
                }
            }
        }
        WritableImage img = new WritableImage(Math.max(1, W), Math.max(1, H));
        img.getPixelWriter().setPixels(0, 0, W, H, PixelFormat.getIntArgbPreInstance(), px, 0, W);
        return img;
    }

    /** The head under canvas point (x, y), or null (also in the gaps). */
    HeadGrid.Head headAt(double x, double y) {
        if (x < LEFT || y < TOP || layers() == 0) return null;
        int t = thumb();
        double cx = x - LEFT + scrollX(), cy = y - TOP + scrollY();
        int hd = (int) (cx / (t + GAP)), l = (int) (cy / (t + GAP));
        if (hd >= heads() || l >= layers() || cx - hd * (t + GAP) > t || cy - l * (t + GAP) > t) return null;
        return new HeadGrid.Head(l, hd);
    }

    @Override
    protected void paintOverlay(GraphicsContext g, double x, double y) {
        HeadGrid c = getSkinnable();
        HeadGrid.Head sel = c.getSelected();
        if (sel != null && sel.layer() < layers() && sel.head() < heads()) outline(g, sel, c.getMidColor(), 3);
        HeadGrid.Head h = x < 0 ? null : headAt(x, y);
        c.setHovered(h);
        if (h == null) return;
        outline(g, h, c.getHighlightColor(), 2);
        int[] kv = c.kvGroupOfProperty().get();
        String group = kv != null && h.head() < kv.length ? " (key/value head " + kv[h.head()] + ")" : "";
        showHover("layer " + h.layer() + " · head " + h.head() + group + "\nclick to enlarge", x, y);
    }

    private void outline(GraphicsContext g, HeadGrid.Head h, javafx.scene.paint.Color color, double width) {
        int t = thumb();
        double x = LEFT + h.head() * (t + GAP) - scrollX(), y = TOP + h.layer() * (t + GAP) - scrollY();
        g.setStroke(color);
        g.setLineWidth(width);
        g.strokeRect(x - width / 2 - 1, y - width / 2 - 1, t + width + 2, t + width + 2);
    }

    @Override
    protected void click(double x, double y, int count) {
        HeadGrid.Head h = headAt(x, y);
        if (h == null) return;
        HeadGrid c = getSkinnable();
        c.setSelected(h);
        Consumer<HeadGrid.Head> open = c.onOpenHeadProperty().get();
        if (open != null) open.accept(h);
    }
}

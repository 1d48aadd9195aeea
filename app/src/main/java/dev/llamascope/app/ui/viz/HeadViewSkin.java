package dev.llamascope.app.ui.viz;

import java.util.List;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * Paints a {@link HeadView}. The token columns are on the main canvas; the lines and the highlighted tokens are
 * on the overlay, so hovering repaints only them. Lines below weight 0.005 are skipped (invisible anyway).
 */
public class HeadViewSkin extends VizSkin<HeadView> {
    private static final double ROW = 20, COL = 130, TOP = 24;

    public HeadViewSkin(HeadView c) {
        super(c);
        registerChangeListener(c.labelsProperty(), e -> changed());
        registerChangeListener(c.headsProperty(), e -> changed());
        registerChangeListener(c.headNamesProperty(), e -> changed());
        registerChangeListener(c.pinnedProperty(), e -> repaintOverlay());
    }

    private void changed() {
        getSkinnable().requestLayout();
        requestPaint();
    }

    private int n() {
        return getSkinnable().labelsProperty().get().size();
    }

    @Override
    protected double contentWidth() {
        return 0;
    }

    @Override
    protected double contentHeight() {
        return n() * ROW + 8;
    }

    @Override
    protected double marginTop() {
        return TOP;
    }

    /** Space between the two token columns: enough for the lines to spread, not so much that they go flat. */
    private static double gap(double w) {
        return Math.max(120, Math.min(360, w - 2 * COL));
    }

    /** Right edge of the query column (the columns are centred). */
    private static double leftX(double w) {
        return Math.max(COL, (w - gap(w)) / 2);
    }

    /** Left edge of the key column. */
    private static double rightX(double w) {
        return leftX(w) + gap(w);
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        HeadView c = getSkinnable();
        g.setFill(c.getBackgroundColor());
        g.fillRect(0, 0, w, h);
        List<String> labels = c.labelsProperty().get();
        int r0 = Math.max(0, (int) (scrollY() / ROW)), r1 = Math.min(labels.size(), (int) Math.ceil((scrollY() + h - TOP) / ROW));
        g.setFont(Font.font(12));
        g.setTextBaseline(VPos.CENTER);
        g.setFill(c.getTextColor());
        for (int i = r0; i < r1; i++) {
            double y = y(i);
            String s = TokenText.shorten(TokenText.display(labels.get(i)), 16);
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(s, leftX(w) - 8, y);
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(s, rightX(w) + 8, y);
        }
        // a header naming the columns and the heads' colours
        g.setFill(c.getBackgroundColor());
        g.fillRect(0, 0, w, TOP);
        g.setFont(Font.font(11));
        g.setFill(c.getMutedTextColor());
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText("query (looks)", leftX(w) - 8, TOP / 2);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("key (is looked at)", rightX(w) + 8, TOP / 2);
        List<String> names = c.headNamesProperty().get();
        double x = leftX(w) + 12;
        for (int i = 0; i < names.size() && x < rightX(w) - 40; i++) {
            g.setFill(c.headColor(i));
            g.fillRect(x, TOP / 2 - 5, 10, 10);
            g.setFill(c.getTextColor());
            g.fillText(names.get(i), x + 14, TOP / 2);
            x += 22 + names.get(i).length() * 6.5;
        }
    }

    private double y(int i) {
        return TOP + i * ROW - scrollY() + ROW / 2;
    }

    /** Token row under canvas y, or -1. */
    private int rowAt(double yy) {
        if (yy < TOP) return -1;
        int i = (int) ((yy - TOP + scrollY()) / ROW);
        return i < n() ? i : -1;
    }

    @Override
    protected void paintOverlay(GraphicsContext g, double mx, double my) {
        HeadView c = getSkinnable();
        int n = n();
        if (n == 0) return;
        double w = overlay.getWidth();
        int hovered = mx < 0 ? -1 : rowAt(my);
        boolean keySide = hovered >= 0 && mx > (leftX(w) + rightX(w)) / 2;
        c.setHoveredToken(hovered);
        int focus = hovered >= 0 ? hovered : (c.pinnedProperty().get() >= 0 && c.pinnedProperty().get() < n ? c.pinnedProperty().get() : n - 1);
        List<MatrixSource> heads = c.headsProperty().get();
        double lx = leftX(w), rx = rightX(w);
        g.save();
        g.beginPath();
        g.rect(0, TOP, w, overlay.getHeight() - TOP);
        g.clip();
        g.setLineWidth(2);
        double[] strongest = new double[n];
        int[] strongestHead = new int[n];
        for (int hi = 0; hi < heads.size(); hi++) {
            MatrixSource m = heads.get(hi);
            Color col = c.headColor(hi);
            if (!keySide) {
                for (int k = 0; k <= focus && k < m.cols(); k++) {
                    double wgt = m.get(focus, k);
                    if (wgt > strongest[k]) { strongest[k] = wgt; strongestHead[k] = hi; }
                    if (wgt < 0.005) continue;
                    g.setStroke(col.deriveColor(0, 1, 1, Math.min(1, wgt)));
                    g.strokeLine(lx, y(focus), rx, y(k));
                }
            } else {
                for (int q = focus; q < m.rows(); q++) {
                    double wgt = m.get(q, focus);
                    if (wgt > strongest[q]) { strongest[q] = wgt; strongestHead[q] = hi; }
                    if (wgt < 0.005) continue;
                    g.setStroke(col.deriveColor(0, 1, 1, Math.min(1, wgt)));
                    g.strokeLine(lx, y(q), rx, y(focus));
                }
            }
        }
        // the other side's tokens shaded by the strongest weight they get, the focus token marked
        g.setFont(Font.font("System", FontWeight.BOLD, 12));
        g.setTextBaseline(VPos.CENTER);
        for (int i = 0; i < n; i++) {
            if (strongest[i] < 0.02) continue;
            double y = y(i);
            if (y < TOP - ROW || y > overlay.getHeight() + ROW) continue;
            g.setFill(c.headColor(strongestHead[i]).deriveColor(0, 1, 1, Math.min(0.6, strongest[i])));
            if (!keySide) g.fillRect(rx + 4, y - ROW / 2 + 1, COL - 8, ROW - 2);
            else g.fillRect(lx - COL + 4, y - ROW / 2 + 1, COL - 8, ROW - 2);
        }
        g.setStroke(c.getHighlightColor());
        g.setLineWidth(1.5);
        if (!keySide) g.strokeRect(lx - COL + 4, y(focus) - ROW / 2 + 1, COL - 8, ROW - 2);
        else g.strokeRect(rx + 4, y(focus) - ROW / 2 + 1, COL - 8, ROW - 2);
        g.restore();
        if (hovered >= 0) {
            String tok = TokenText.quoted(c.labelsProperty().get().get(hovered));
            showHover(keySide ? String.format(Locale.ROOT, "key %d %s: who attends to it", hovered, tok)
                    : String.format(Locale.ROOT, "query %d %s: what it attends to (click to pin)", hovered, tok), mx, my);
        }
    }

    @Override
    protected void click(double x, double y, int count) {
        int r = rowAt(y);
        if (r >= 0) getSkinnable().pinnedProperty().set(r);
    }

    @Override
    protected double computePrefWidth(double height, double top, double right, double bottom, double left) {
        return 520;
    }
}

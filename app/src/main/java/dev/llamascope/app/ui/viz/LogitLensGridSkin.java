package dev.llamascope.app.ui.viz;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/** Paints a {@link LogitLensGrid}: visible columns only, row labels fixed on the left, position headers on top. */
public class LogitLensGridSkin extends VizSkin<LogitLensGrid> {
    private static final double LEFT = 112, TOP = 40;

    public LogitLensGridSkin(LogitLensGrid c) {
        super(c);
        registerChangeListener(c.tableProperty(), e -> changed());
        registerChangeListener(c.cellWidthProperty(), e -> changed());
        registerChangeListener(c.cellHeightProperty(), e -> changed());
    }

    private void changed() {
        getSkinnable().requestLayout();
        requestPaint();
    }

    private double cw() {
        return getSkinnable().cellWidthProperty().get();
    }

    private double ch() {
        return getSkinnable().cellHeightProperty().get();
    }

    @Override
    protected double contentWidth() {
        LensTable t = getSkinnable().getTable();
        return t == null ? 0 : t.cols() * cw();
    }

    @Override
    protected double contentHeight() {
        LensTable t = getSkinnable().getTable();
        return t == null ? 0 : t.rows() * ch();
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
        LogitLensGrid c = getSkinnable();
        g.setFill(c.getBackgroundColor());
        g.fillRect(0, 0, w, h);
        LensTable t = c.getTable();
        if (t == null) return;
        double cw = cw(), ch = ch(), sx = scrollX(), sy = scrollY();
        int c0 = (int) (sx / cw), c1 = Math.min(t.cols(), (int) Math.ceil((sx + w - LEFT) / cw));
        int r0 = (int) (sy / ch), r1 = Math.min(t.rows(), (int) Math.ceil((sy + h - TOP) / ch));
        ColorScale scale = c.currentScale();
        Font plain = Font.font(12), bold = Font.font("System", FontWeight.BOLD, 12);
        g.save();
        g.beginPath();
        g.rect(LEFT, TOP, w - LEFT, h - TOP);
        g.clip();
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        for (int col = c0; col < c1; col++) {
            double x = LEFT + col * cw - sx;
            int settled = t.settledRow(col);
            for (int r = r0; r < r1; r++) {
                double y = TOP + r * ch - sy;
                Color bg = scale.color(t.cellProb(r, col));
                g.setFill(bg);
                g.fillRect(x + 1, y + 1, cw - 2, ch - 2);
                boolean fin = t.isFinal(r, col);
                if (fin) {
                    g.setStroke(c.getFinalColor());
                    double lw = r >= settled ? 2.5 : 1;
                    g.setLineWidth(lw);
                    g.strokeRect(x + 1 + lw / 2, y + 1 + lw / 2, cw - 2 - lw, ch - 2 - lw);
                }
                g.setFill(ColorScale.textOn(bg));
                g.setFont(fin ? bold : plain);
                g.fillText(TokenText.shorten(TokenText.display(t.cellText(r, col)), 9), x + cw / 2, y + ch / 2, cw - 6);
            }
        }
        g.restore();
        // row labels
        g.setFill(c.getBackgroundColor());
        g.fillRect(0, 0, LEFT, h);
        g.setFont(Font.font(12));
        g.setFill(c.getTextColor());
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (int r = r0; r < r1; r++) {
            double y = TOP + r * ch - sy + ch / 2;
            if (y > TOP) g.fillText(t.rowLabel(r), LEFT - 8, y);
        }
        // column headers: position and the input token there
        g.setFill(c.getBackgroundColor());
        g.fillRect(LEFT, 0, w - LEFT, TOP);
        g.setTextAlign(TextAlignment.CENTER);
        for (int col = c0; col < c1; col++) {
            double x = LEFT + col * cw - sx + cw / 2;
            if (x < LEFT) continue;
            g.setFill(c.getMutedTextColor());
            g.setFont(Font.font(10));
            g.fillText(Integer.toString(col), x, 9);
            g.setFill(c.getTextColor());
            g.setFont(bold);
            g.fillText(TokenText.shorten(TokenText.display(t.colLabel(col)), 9), x, 26, cw - 4);
        }
        g.setFill(c.getMutedTextColor());
        g.setFont(Font.font(10));
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("position →", 4, 9);
        g.fillText("input token →", 4, 26);
    }

    @Override
    protected void paintOverlay(GraphicsContext g, double x, double y) {
        LensTable t = getSkinnable().getTable();
        if (t == null || x < LEFT || y < TOP) return;
        int col = (int) ((x - LEFT + scrollX()) / cw()), r = (int) ((y - TOP + scrollY()) / ch());
        if (col >= t.cols() || r >= t.rows()) return;
        double cx = LEFT + col * cw() - scrollX(), cy = TOP + r * ch() - scrollY();
        g.setStroke(getSkinnable().getHighlightColor());
        g.setLineWidth(2);
        g.strokeRect(cx, cy, cw(), ch());
        showHover(t.hover(r, col), x, y);
    }
}

package dev.llamascope.app.ui.viz;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/** Paints a {@link ColorLegend}. */
public class ColorLegendSkin extends VizSkin<ColorLegend> {
    private static final double BAR_W = 180, BAR_H = 12;

    public ColorLegendSkin(ColorLegend c) {
        super(c);
        registerChangeListener(c.scaleProperty(), e -> requestPaint());
        registerChangeListener(c.titleProperty(), e -> requestPaint());
        registerChangeListener(c.maskedTextProperty(), e -> requestPaint());
    }

    @Override
    protected double contentWidth() {
        return 0;
    }

    @Override
    protected double contentHeight() {
        return 0;
    }

    private double titleWidth() {
        String t = getSkinnable().titleProperty().get();
        return t == null || t.isEmpty() ? 0 : 8 + t.length() * 6.6;
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        ColorLegend c = getSkinnable();
        g.clearRect(0, 0, w, h);
        ColorScale s = c.getScale();
        if (s == null) return;
        g.setFont(Font.font(11));
        g.setFill(c.getTextColor());
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.LEFT);
        double x0 = titleWidth();
        g.fillText(c.titleProperty().get(), 0, 4 + BAR_H / 2);
        for (int i = 0; i < BAR_W; i++) {
            g.setFill(s.colorAt(i / (BAR_W - 1)));
            g.fillRect(x0 + i, 4, 1.5, BAR_H);
        }
        g.setStroke(c.getMaskedColor());
        g.strokeRect(x0 + 0.5, 4.5, BAR_W - 1, BAR_H - 1);
        g.setFill(c.getMutedTextColor());
        g.setFont(Font.font(10));
        g.setTextBaseline(VPos.TOP);
        for (int i = 0; i <= 4; i++) {
            double pos = i / 4.0;
            g.setTextAlign(i == 0 ? TextAlignment.LEFT : i == 4 ? TextAlignment.RIGHT : TextAlignment.CENTER);
            g.fillText(AttentionHeatmap.format(s.valueAt(pos)), x0 + pos * BAR_W, 4 + BAR_H + 2);
        }
        String masked = c.maskedTextProperty().get();
        if (masked != null && !masked.isEmpty()) {
            double mx = x0 + BAR_W + 14;
            g.setFill(c.getMaskedColor());
            g.fillRect(mx, 4, BAR_H, BAR_H);
            g.setFill(c.getTextColor());
            g.setFont(Font.font(11));
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(masked, mx + BAR_H + 5, 4 + BAR_H / 2);
        }
    }

    @Override
    protected double computePrefWidth(double height, double top, double right, double bottom, double left) {
        String m = getSkinnable().maskedTextProperty().get();
        return titleWidth() + BAR_W + 6 + (m == null || m.isEmpty() ? 0 : 34 + m.length() * 6.2);
    }

    @Override
    protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
        return 34;
    }

    @Override
    protected double computeMinWidth(double height, double top, double right, double bottom, double left) {
        return computePrefWidth(height, top, right, bottom, left);
    }

    @Override
    protected double computeMinHeight(double width, double top, double right, double bottom, double left) {
        return 34;
    }
}

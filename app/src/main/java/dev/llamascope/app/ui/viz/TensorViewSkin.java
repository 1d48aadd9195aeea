package dev.llamascope.app.ui.viz;

import dev.llamascope.engine.inference.inspect.TensorSummary;
import java.util.List;
import java.util.Locale;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/** Paints a {@link TensorView}: the summary's picture through the colour table, scaled to fill the control. */
public class TensorViewSkin extends VizSkin<TensorView> {
    private WritableImage image;

    public TensorViewSkin(TensorView c) {
        super(c);
        registerChangeListener(c.summaryProperty(), e -> {
            image = null;
            requestPaint();
        });
        for (javafx.beans.Observable p : c.styleProperties()) registerInvalidationListener(p, e -> image = null);
    }

    @Override
    protected double contentWidth() {
        return 0; // fills the control, never scrolls
    }

    @Override
    protected double contentHeight() {
        return 0;
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        TensorView c = getSkinnable();
        g.setFill(c.getBackgroundColor());
        g.fillRect(0, 0, w, h);
        TensorSummary s = c.getSummary();
        if (s == null) return;
        if (image == null) {
            ColorScale scale = c.currentScale();
            int[] px = new int[s.rows() * s.cols()];
            for (int i = 0; i < px.length; i++) px[i] = scale.argb(s.values()[i]) | 0xff000000;
            image = new WritableImage(s.cols(), s.rows());
            image.getPixelWriter().setPixels(0, 0, s.cols(), s.rows(), PixelFormat.getIntArgbPreInstance(), px, 0, s.cols());
        }
        g.drawImage(image, 0, 0, s.cols(), s.rows(), 0, 0, w, h);
        g.setStroke(c.getMaskedColor());
        g.strokeRect(0.5, 0.5, w - 1, h - 1);
    }

    @Override
    protected void paintOverlay(GraphicsContext g, double x, double y) {
        TensorView c = getSkinnable();
        TensorSummary s = c.getSummary();
        if (s == null || x < 0) return;
        double w = canvas.getWidth(), h = canvas.getHeight();
        int col = (int) Math.min(s.cols() - 1, x / w * s.cols()), row = (int) Math.min(s.rows() - 1, y / h * s.rows());
        int srcRow = TensorSummary.sample(row, s.rows(), s.sourceRows()), srcCol = TensorSummary.sample(col, s.cols(), s.sourceCols());
        List<String> labels = c.rowLabelsProperty().get();
        String rl = srcRow < labels.size() ? " " + TokenText.quoted(labels.get(srcRow)) : "";
        showHover(String.format(Locale.ROOT, "%s %d%s, %s %d: %.4f", c.rowNameProperty().get(), srcRow, rl,
                c.colNameProperty().get(), srcCol, s.values()[row * s.cols() + col]), x, y);
    }

    @Override
    protected double computePrefWidth(double height, double top, double right, double bottom, double left) {
        return 360;
    }

    @Override
    protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
        return 240;
    }
}

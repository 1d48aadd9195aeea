package dev.llamascope.app.ui.viz;

import javafx.geometry.Orientation;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.SkinBase;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;

/**
 * The skin every viz control shares: a canvas the size of the visible area (never the size of the content), an
 * overlay canvas on top for hover marks (so moving the mouse repaints a few shapes, not the picture), scroll bars
 * when the content is larger than the view, and a floating label for hover text.
 *
 * <p>Subclasses say how large the content is and paint the visible part; fixed margins (row and column labels)
 * stay in place while the content scrolls under them. Repaints are coalesced to one per layout pass.
 */
public abstract class VizSkin<C extends VizControl> extends SkinBase<C> {
    protected final Canvas canvas = new Canvas();
    protected final Canvas overlay = new Canvas();
    protected final ScrollBar hbar = new ScrollBar(), vbar = new ScrollBar();
    protected final Label hoverLabel = new Label();
    private boolean dirty = true;
    private double lastW = -1, lastH = -1;
    private boolean syncing;

    protected VizSkin(C control) {
        super(control);
        vbar.setOrientation(Orientation.VERTICAL);
        hoverLabel.getStyleClass().add("viz-hover-label");
        hoverLabel.setVisible(false);
        hoverLabel.setMouseTransparent(true);
        hoverLabel.setManaged(false);
        overlay.setMouseTransparent(true);
        getChildren().addAll(canvas, overlay, hbar, vbar, hoverLabel);
        hbar.valueProperty().addListener((o, a, b) -> { if (!syncing) control.scrollXProperty().set(b.doubleValue()); });
        vbar.valueProperty().addListener((o, a, b) -> { if (!syncing) control.scrollYProperty().set(b.doubleValue()); });
        registerChangeListener(control.scrollXProperty(), e -> requestPaint());
        registerChangeListener(control.scrollYProperty(), e -> requestPaint());
        for (javafx.beans.Observable p : control.styleProperties()) registerInvalidationListener(p, e -> requestPaint());
        canvas.addEventHandler(ScrollEvent.SCROLL, this::onScroll);
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, e -> hover(e.getX(), e.getY()));
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> hover(e.getX(), e.getY()));
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hover(-1, -1));
        canvas.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> click(e.getX(), e.getY(), e.getClickCount()));
    }

    /** Width of the scrolling content in pixels (without the fixed margins). */
    protected abstract double contentWidth();

    protected abstract double contentHeight();

    /** Fixed margin on the left (row labels) that does not scroll horizontally. */
    protected double marginLeft() {
        return 0;
    }

    /** Fixed margin on top (column labels) that does not scroll vertically. */
    protected double marginTop() {
        return 0;
    }

    /** Paints everything visible: w x h is the canvas, scroll offsets are in the control. */
    protected abstract void paint(GraphicsContext g, double w, double h);

    /** Paints hover marks on the cleared overlay; (x, y) is the mouse in canvas pixels, or (-1, -1) when outside. */
    protected void paintOverlay(GraphicsContext g, double x, double y) {}

    /** A click in canvas pixels. */
    protected void click(double x, double y, int count) {}

    /** Ctrl + wheel: zoom by a factor around canvas point (x, y); default none. */
    protected void zoom(double factor, double x, double y) {}

    protected double scrollX() {
        return getSkinnable().scrollXProperty().get();
    }

    protected double scrollY() {
        return getSkinnable().scrollYProperty().get();
    }

    private double mouseX = -1, mouseY = -1;

    private void hover(double x, double y) {
        mouseX = x;
        mouseY = y;
        repaintOverlay();
    }

    protected void repaintOverlay() {
        GraphicsContext g = overlay.getGraphicsContext2D();
        g.clearRect(0, 0, overlay.getWidth(), overlay.getHeight());
        hoverLabel.setVisible(false);
        paintOverlay(g, mouseX, mouseY);
    }

    /** Shows the hover label near canvas point (x, y), kept inside the control. */
    protected void showHover(String text, double x, double y) {
        hoverLabel.setText(text);
        hoverLabel.setVisible(true);
        hoverLabel.autosize();
        double lw = hoverLabel.prefWidth(-1), lh = hoverLabel.prefHeight(-1);
        double px = x + 14, py = y + 14;
        if (px + lw > canvas.getWidth()) px = Math.max(0, x - lw - 8);
        if (py + lh > canvas.getHeight()) py = Math.max(0, y - lh - 8);
        hoverLabel.resizeRelocate(snapPositionX(px), snapPositionY(py), lw, lh);
    }

    /** Marks the picture stale; it is repainted once in the next layout pass. */
    public final void requestPaint() {
        dirty = true;
        getSkinnable().requestLayout();
    }

    private void onScroll(ScrollEvent e) {
        if (e.isControlDown()) {
            zoom(e.getDeltaY() > 0 ? 1.25 : 0.8, e.getX(), e.getY());
        } else {
            double dx = e.isShiftDown() ? e.getDeltaY() : e.getDeltaX(), dy = e.isShiftDown() ? 0 : e.getDeltaY();
            scrollBy(-dx, -dy);
        }
        e.consume();
    }

    protected void scrollBy(double dx, double dy) {
        C c = getSkinnable();
        c.scrollXProperty().set(clamp(scrollX() + dx, maxScrollX()));
        c.scrollYProperty().set(clamp(scrollY() + dy, maxScrollY()));
    }

    protected double viewWidth() {
        return Math.max(0, canvas.getWidth() - marginLeft());
    }

    protected double viewHeight() {
        return Math.max(0, canvas.getHeight() - marginTop());
    }

    protected double maxScrollX() {
        return Math.max(0, contentWidth() - viewWidth());
    }

    protected double maxScrollY() {
        return Math.max(0, contentHeight() - viewHeight());
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(max, v));
    }

    @Override
    protected void layoutChildren(double x, double y, double w, double h) {
        double barW = vbar.prefWidth(-1), barH = hbar.prefHeight(-1);
        // decide bars with the full size first, then again with the space the other bar takes
        boolean needH = contentWidth() + marginLeft() > w, needV = contentHeight() + marginTop() > h;
        if (needH && !needV) needV = contentHeight() + marginTop() > h - barH;
        if (needV && !needH) needH = contentWidth() + marginLeft() > w - barW;
        double cw = Math.max(1, w - (needV ? barW : 0)), ch = Math.max(1, h - (needH ? barH : 0));
        if (cw != lastW || ch != lastH) {
            canvas.setWidth(cw);
            canvas.setHeight(ch);
            overlay.setWidth(cw);
            overlay.setHeight(ch);
            lastW = cw;
            lastH = ch;
            dirty = true;
        }
        canvas.relocate(x, y);
        overlay.relocate(x, y);
        hbar.setVisible(needH);
        vbar.setVisible(needV);
        if (needH) hbar.resizeRelocate(x, y + ch, cw, barH);
        if (needV) vbar.resizeRelocate(x + cw, y, barW, ch);
        syncBars();
        if (dirty) {
            dirty = false;
            long t0 = System.nanoTime();
            GraphicsContext g = canvas.getGraphicsContext2D();
            g.setImageSmoothing(false);
            paint(g, cw, ch);
            getSkinnable().reportPaint((System.nanoTime() - t0) / 1e6);
            repaintOverlay();
        }
    }

    private void syncBars() {
        syncing = true;
        try {
            C c = getSkinnable();
            double mx = maxScrollX(), my = maxScrollY();
            if (c.scrollXProperty().get() > mx && !c.scrollXProperty().isBound()) c.scrollXProperty().set(mx);
            if (c.scrollYProperty().get() > my && !c.scrollYProperty().isBound()) c.scrollYProperty().set(my);
            hbar.setMin(0);
            hbar.setMax(mx);
            hbar.setVisibleAmount(mx <= 0 ? 1 : mx * viewWidth() / Math.max(1, contentWidth()));
            hbar.setUnitIncrement(20);
            hbar.setBlockIncrement(Math.max(20, viewWidth() * 0.9));
            hbar.setValue(Math.min(mx, scrollX()));
            vbar.setMin(0);
            vbar.setMax(my);
            vbar.setVisibleAmount(my <= 0 ? 1 : my * viewHeight() / Math.max(1, contentHeight()));
            vbar.setUnitIncrement(20);
            vbar.setBlockIncrement(Math.max(20, viewHeight() * 0.9));
            vbar.setValue(Math.min(my, scrollY()));
        } finally {
            syncing = false;
        }
    }

    @Override
    protected double computePrefWidth(double height, double top, double right, double bottom, double left) {
        return Math.min(900, contentWidth() + marginLeft() + left + right);
    }

    @Override
    protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
        // room for a horizontal scroll bar too, so a wide, short view (the logit lens) needs no vertical one
        return Math.min(700, contentHeight() + marginTop() + top + bottom + (contentWidth() > 0 ? hbar.prefHeight(-1) : 0));
    }

    @Override
    protected double computeMinWidth(double height, double top, double right, double bottom, double left) {
        return 60;
    }

    @Override
    protected double computeMinHeight(double width, double top, double right, double bottom, double left) {
        return 40;
    }
}

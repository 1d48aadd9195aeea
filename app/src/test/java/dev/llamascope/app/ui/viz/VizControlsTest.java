package dev.llamascope.app.ui.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import dev.llamascope.engine.inference.inspect.AttentionMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The viz controls headless (Monocle): what they paint where, what hovering and clicking report, how lazily they paint. */
@ExtendWith(ApplicationExtension.class)
class VizControlsTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        root = new StackPane();
        stage.setScene(new Scene(root, 900, 700));
        // the primary stage is shared by every GUI test in this JVM: undo what earlier tests did to its size
        stage.setMaximized(false);
        stage.setWidth(900);
        stage.setHeight(700);
        stage.show();
    }

    /** A causal attention matrix with random rows that sum to 1. */
    static AttentionMatrix randomAttention(int n, long seed) {
        Random r = new Random(seed);
        AttentionMatrix m = AttentionMatrix.weights(n);
        for (int q = 0; q < n; q++) {
            float[] row = new float[q + 1];
            double sum = 0;
            for (int k = 0; k <= q; k++) sum += row[k] = (float) Math.exp(3 * r.nextGaussian());
            for (int k = 0; k <= q; k++) row[k] /= (float) sum;
            m.setRow(q, row, 0);
        }
        return m;
    }

    static List<String> labels(int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(" tok" + i);
        return l;
    }

    private <T extends Node> T show(FxRobot robot, T node) {
        robot.interact(() -> root.getChildren().setAll(node));
        WaitForAsyncUtils.waitForFxEvents();
        return node;
    }

    private static Canvas canvas(VizControl c) {
        for (Node n : c.getChildrenUnmodifiable()) if (n instanceof Canvas cv) return cv;
        throw new AssertionError("no canvas in " + c);
    }

    /** A mouse event at canvas point (x, y): its coordinates are scene coordinates until delivered to the node. */
    static MouseEvent mouse(javafx.event.EventType<MouseEvent> type, Canvas cv, double x, double y, int clicks) {
        javafx.geometry.Point2D p = cv.localToScene(x, y);
        return new MouseEvent(type, p.getX(), p.getY(), 0, 0, clicks > 0 ? MouseButton.PRIMARY : MouseButton.NONE, clicks,
                false, false, false, false, clicks > 0, false, false, false, false, false, null);
    }

    private static void move(FxRobot robot, VizControl c, double x, double y) {
        robot.interact(() -> Event.fireEvent(canvas(c), mouse(MouseEvent.MOUSE_MOVED, canvas(c), x, y, 0)));
    }

    private static void click(FxRobot robot, VizControl c, double x, double y) {
        robot.interact(() -> Event.fireEvent(canvas(c), mouse(MouseEvent.MOUSE_CLICKED, canvas(c), x, y, 1)));
    }

    private static Color pixel(FxRobot robot, VizControl c, double x, double y) {
        AtomicReference<WritableImage> img = new AtomicReference<>();
        robot.interact(() -> img.set(canvas(c).snapshot(null, null)));
        return img.get().getPixelReader().getColor((int) x, (int) y);
    }

    private static void assertColor(Color want, Color got, String what) {
        assertEquals(want.getRed(), got.getRed(), 0.02, what + " red");
        assertEquals(want.getGreen(), got.getGreen(), 0.02, what + " green");
        assertEquals(want.getBlue(), got.getBlue(), 0.02, what + " blue");
    }

    @Test
    void heatmapPaintsOnlyTheVisibleCellsWithTheRightColours(FxRobot robot) {
        int n = 512;
        AttentionMatrix m = randomAttention(n, 1);
        AttentionHeatmap h = new AttentionHeatmap();
        robot.interact(() -> {
            h.setMatrix(MatrixSource.of(m));
            h.setLabels(labels(n));
            h.setCellSize(12);
        });
        show(robot, h);
        Canvas cv = canvas(h);
        assertTrue(cv.getWidth() <= 900 && cv.getHeight() <= 700, "the canvas is the view, not the 6144-pixel content: " + cv.getWidth());
        ColorScale scale = h.currentScale();
        // find the content origin from the hover: cell (0, 0) sits right of and below the labels
        move(robot, h, 300, 300);
        AttentionHeatmap.Cell c = h.hoveredCellProperty().get();
        assertNotNull(c);
        double cs = 12;
        // cells around the hovered one, one cell size apart on screen: a weight, a weight, a masked cell
        for (int[] rc : new int[][] {{c.row(), c.col()}, {c.row() + 2, c.col() - 3}, {c.row() - 1, c.col() + 40}}) {
            int row = rc[0], col = rc[1];
            Color got = pixel(robot, h, 300 + (col - c.col()) * cs, 300 + (row - c.row()) * cs);
            Color want = col > row ? h.getMaskedColor() : scale.color(m.get(row, col));
            assertColor(want, got, "cell " + row + "," + col);
        }
        Label hover = (Label) h.getChildrenUnmodifiable().stream().filter(x -> x instanceof Label).findFirst().orElseThrow();
        assertTrue(hover.isVisible());
        assertTrue(hover.getText().contains("query " + c.row() + " “ tok" + c.row() + "”"), hover.getText());
        assertTrue(hover.getText().contains("key " + c.col()), hover.getText());
        // scroll 200 cells down and 100 right: the same screen point is now a cell 200 rows, 100 columns further
        robot.interact(() -> {
            h.scrollYProperty().set(200 * cs);
            h.scrollXProperty().set(100 * cs);
        });
        WaitForAsyncUtils.waitForFxEvents();
        move(robot, h, 300, 300);
        AttentionHeatmap.Cell d = h.hoveredCellProperty().get();
        assertEquals(new AttentionHeatmap.Cell(c.row() + 200, c.col() + 100), d);
        Color got = pixel(robot, h, 300, 300);
        assertColor(d.col() > d.row() ? h.getMaskedColor() : scale.color(m.get(d.row(), d.col())), got, "scrolled cell");
        System.out.printf("heatmap 512 x 512 at 12 px: last paint %.1f ms%n", h.lastPaintMillisProperty().get());
        move(robot, h, -1, -1);
        robot.interact(() -> Event.fireEvent(canvas(h), new MouseEvent(MouseEvent.MOUSE_EXITED, 0, 0, 0, 0, MouseButton.NONE, 0,
                false, false, false, false, false, false, false, false, false, false, null)));
        assertNull(h.hoveredCellProperty().get());
    }

    @Test
    void headGridOpensTheClickedHeadAndIsTimed(FxRobot robot) {
        int layers = 8, heads = 8, n = 256; // the stories42M shape at 256 tokens
        MatrixSource[][] m = new MatrixSource[layers][heads];
        for (int l = 0; l < layers; l++) for (int h = 0; h < heads; h++) m[l][h] = MatrixSource.of(randomAttention(n, l * 8 + h));
        HeadGrid g = new HeadGrid();
        AtomicReference<HeadGrid.Head> opened = new AtomicReference<>();
        robot.interact(() -> {
            g.setThumbSize(72);
            g.setOnOpenHead(opened::set);
        });
        show(robot, g);
        double[] times = new double[15];
        for (int i = 0; i < times.length; i++) {
            robot.interact(() -> {
                g.setMatrices(null);
                g.layout();
                g.setMatrices(m);
                g.layout();
            });
            times[i] = g.lastPaintMillisProperty().get();
        }
        double first = times[0];
        java.util.Arrays.sort(times);
        System.out.printf("head grid 8 x 8 heads x 256 tokens, 72 px thumbnails: first paint %.1f ms, median of %d %.1f ms [headless sw]%n",
                first, times.length, times[times.length / 2]);
        // thumbnail of layer 3, head 5: left margin 58, top 22, stride 72 + 8
        double x = 58 + 5 * 80 + 30, y = 22 + 3 * 80 + 30;
        move(robot, g, x, y);
        assertEquals(new HeadGrid.Head(3, 5), g.hoveredProperty().get());
        move(robot, g, 58 + 5 * 80 + 75, y); // in the gap between thumbnails
        assertNull(g.hoveredProperty().get());
        click(robot, g, x, y);
        assertEquals(new HeadGrid.Head(3, 5), opened.get());
        assertEquals(new HeadGrid.Head(3, 5), g.getSelected());
        // a thumbnail's top-right corner is above the diagonal: masked colour; its bottom-left corner is a weight
        Color masked = pixel(robot, g, 58 + 2 + 70 - 3, 22 + 2);
        assertColor(g.getMaskedColor(), masked, "masked corner of layer 0 head 0");
        double[] perMove = new double[1];
        robot.interact(() -> {
            Canvas cv = canvas(g);
            long t0 = System.nanoTime();
            for (int i = 0; i < 400; i++) {
                Event.fireEvent(cv, mouse(MouseEvent.MOUSE_MOVED, cv, 60 + (i * 37) % 600, 30 + (i * 23) % 600, 0));
            }
            perMove[0] = (System.nanoTime() - t0) / 1e6 / 400;
        });
        System.out.printf("head grid hover: %.3f ms per mouse move (event, hit test, overlay repaint, label)%n", perMove[0]);
    }

    @Test
    void headViewFollowsTheHoveredTokenAndPinsOnClick(FxRobot robot) {
        int n = 40;
        HeadView v = new HeadView();
        robot.interact(() -> {
            v.setLabels(labels(n));
            v.setHeads(List.of(MatrixSource.of(randomAttention(n, 3)), MatrixSource.of(randomAttention(n, 4))));
            v.headNamesProperty().set(List.of("h0", "h1"));
        });
        show(robot, v);
        double w = canvas(v).getWidth();
        // rows are 20 px under a 24 px header; the query column is left of the middle
        move(robot, v, w / 2 - 200, 24 + 7 * 20 + 10);
        assertEquals(7, v.hoveredTokenProperty().get());
        move(robot, v, w / 2 + 200, 24 + 9 * 20 + 10);
        assertEquals(9, v.hoveredTokenProperty().get());
        click(robot, v, w / 2 - 200, 24 + 12 * 20 + 10);
        assertEquals(12, v.pinnedProperty().get());
        assertEquals(Color.web("#4258c9"), v.headColor(0), "chart colour 5 of the Primer theme for the first head");
    }

    @Test
    void lensGridHoverNamesTheCell(FxRobot robot) {
        LogitLensGrid g = new LogitLensGrid();
        LensTable t = new LensTable() {
            public int rows() { return 4; }
            public int cols() { return 100; }
            public String rowLabel(int r) { return "layer " + r; }
            public String colLabel(int c) { return "in" + c; }
            public String cellText(int r, int c) { return "t" + r + "_" + c; }
            public float cellProb(int r, int c) { return (r + 1) / 4f; }
            public boolean isFinal(int r, int c) { return r >= 2; }
            public int settledRow(int c) { return 2; }
            public String hover(int r, int c) { return "cell " + r + "," + c; }
        };
        robot.interact(() -> g.setTable(t));
        show(robot, g);
        assertTrue(canvas(g).getWidth() < 100 * 76, "lazy: the canvas is not the whole table");
        move(robot, g, 112 + 76 * 2 + 10, 40 + 26 * 1 + 10);
        Label hover = (Label) g.getChildrenUnmodifiable().stream().filter(x -> x instanceof Label).findFirst().orElseThrow();
        assertTrue(hover.isVisible());
        assertEquals("cell 1,2", hover.getText());
        Color bg = pixel(robot, g, 112 + 76 * 2 + 4, 40 + 26 * 1 + 4);
        assertColor(g.currentScale().color(0.5), bg, "probability 0.5 cell");
    }
}

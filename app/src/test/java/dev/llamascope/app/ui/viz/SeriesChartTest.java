package dev.llamascope.app.ui.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.image.WritableImage;
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

/** The canvas line chart headless: a lone spike among 20,000 points survives decimation; hover, x axes and log y. */
@ExtendWith(ApplicationExtension.class)
class SeriesChartTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        root = new StackPane();
        stage.setScene(new Scene(root, 900, 500));
        stage.setMaximized(false);
        stage.setWidth(900);
        stage.setHeight(500);
        stage.show();
    }

    private static Canvas canvas(SeriesChart c) {
        for (Node n : c.getChildrenUnmodifiable()) if (n instanceof Canvas cv) return cv;
        throw new AssertionError("no canvas");
    }

    /** 20,000 points at 1.0 with one at 100 (step 15,001); x dimensions step, tokens (1,000 per step), seconds. */
    private static SeriesChart spiky() {
        SeriesChart c = new SeriesChart(List.of("step", "tokens", "time"));
        ChartSeries s = new ChartSeries("loss", ChartSeries.Look.LINE, 3);
        for (int i = 0; i < 20_000; i++) s.add(new double[]{i + 1, (i + 1) * 1000.0, (i + 1) * 0.5}, i == 15_000 ? 100 : 1.0);
        c.addSeries(s);
        c.titleProperty().set("Loss");
        return c;
    }

    private SeriesChart show(FxRobot robot, SeriesChart c) {
        robot.interact(() -> root.getChildren().setAll(c));
        WaitForAsyncUtils.waitForFxEvents();
        return c;
    }

    private static WritableImage picture(FxRobot robot, SeriesChart c) {
        AtomicReference<WritableImage> img = new AtomicReference<>();
        robot.interact(() -> img.set(canvas(c).snapshot(null, null)));
        return img.get();
    }

    private static boolean accent(Color p) {
        return p.getBlue() > p.getRed() + 0.25; // Primer's accent blue; background, grid and text are grey
    }

    @Test
    void aLoneSpikeAmongTwentyThousandPointsIsDrawn(FxRobot robot) {
        SeriesChart c = show(robot, spiky());
        WritableImage img = picture(robot, c);
        double w = img.getWidth(), h = img.getHeight();
        double plotW = w - SeriesChartSkin.LEFT - SeriesChartSkin.RIGHT, plotH = h - SeriesChartSkin.TOP - SeriesChartSkin.BOTTOM;
        int spikeX = (int) (SeriesChartSkin.LEFT + 15_000.0 / 19_999 * plotW);
        boolean high = false;
        for (int x = spikeX - 1; x <= spikeX + 1; x++)
            for (int y = (int) SeriesChartSkin.TOP; y < SeriesChartSkin.TOP + plotH * 0.15; y++) high |= accent(img.getPixelReader().getColor(x, y));
        assertTrue(high, "the spike's column reaches the top of the plot");
        boolean elsewhere = false;
        for (int x = (int) SeriesChartSkin.LEFT + 5; x < spikeX - 5; x++)
            for (int y = (int) SeriesChartSkin.TOP; y < SeriesChartSkin.TOP + plotH * 0.15; y++) elsewhere |= accent(img.getPixelReader().getColor(x, y));
        assertTrue(!elsewhere, "nothing else is that high");
    }

    @Test
    void hoverShowsTheNearestPointInTheChosenXAxis(FxRobot robot) {
        SeriesChart c = show(robot, spiky());
        Canvas cv = canvas(c);
        double plotW = cv.getWidth() - SeriesChartSkin.LEFT - SeriesChartSkin.RIGHT;
        double x = SeriesChartSkin.LEFT + 4_999.0 / 19_999 * plotW; // step 5,000
        robot.interact(() -> Event.fireEvent(cv, VizControlsTest.mouse(MouseEvent.MOUSE_MOVED, cv, x, 100, 0)));
        Label hover = (Label) c.getChildrenUnmodifiable().stream().filter(n -> n instanceof Label).findFirst().orElseThrow();
        assertTrue(hover.isVisible());
        String text = hover.getText();
        assertTrue(text.startsWith("step 5000") || text.startsWith("step 4999") || text.startsWith("step 5001"), text);
        assertTrue(text.contains("loss: 1"), text);

        robot.interact(() -> c.xDimensionProperty().set(1));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> Event.fireEvent(cv, VizControlsTest.mouse(MouseEvent.MOUSE_MOVED, cv, x, 100, 0)));
        assertTrue(hover.getText().startsWith("tokens 5"), hover.getText());

        robot.interact(() -> c.xDimensionProperty().set(2));
        robot.interact(() -> Event.fireEvent(cv, VizControlsTest.mouse(MouseEvent.MOUSE_MOVED, cv, x, 100, 0)));
        assertTrue(hover.getText().startsWith("time 41m"), hover.getText()); // step 5,000 at 0.5 s per step
    }

    @Test
    void logYSkipsValuesItCannotShowAndAnEmptyChartSaysSo(FxRobot robot) {
        SeriesChart c = new SeriesChart(List.of("step"));
        c.emptyTextProperty().set("nothing yet");
        ChartSeries s = c.addSeries(new ChartSeries("grad", ChartSeries.Look.MARKERS, 1));
        show(robot, c);
        long before = c.revision();
        robot.interact(() -> {
            s.add(new double[]{1}, 0);
            s.add(new double[]{2}, -3);
            s.add(new double[]{3}, Double.NaN);
            s.add(new double[]{4}, 10);
            s.add(new double[]{5}, 1000);
            c.logYProperty().set(true);
            c.refresh();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(c.revision() > before);
        assertEquals(0, s.nearest(0, 1.2));
        assertEquals(1, s.nearest(0, 1.6));
        assertEquals(4, s.nearest(0, 99));
        picture(robot, c); // paints without failing on 0, negative and NaN values
        assertEquals("1.2e-05", SeriesChart.number(1.2e-5));
        assertEquals("12.3k", SeriesChart.number(12_345));
        assertEquals("2.5", SeriesChart.number(2.5));
        assertEquals("3m05s", SeriesChartSkin.duration(185));
    }
}

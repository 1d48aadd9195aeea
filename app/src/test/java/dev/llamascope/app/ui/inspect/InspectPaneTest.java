package dev.llamascope.app.ui.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import dev.llamascope.app.ui.viz.HeadGrid;
import dev.llamascope.app.ui.viz.MatrixSource;
import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.inference.inspect.AttentionMatrix;
import dev.llamascope.engine.inference.inspect.Inspection;
import dev.llamascope.engine.inference.inspect.ModelPart;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tensor.ComputePool;
import javafx.application.Application;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Inspect pane on stories260K, headless, with the engine work run in line (a direct executor) so every step is
 * deterministic: each view shows what the inspection recorded, clicks move between views, errors say what is wrong.
 */
@ExtendWith(ApplicationExtension.class)
class InspectPaneTest {
    static LoadedModel lm;
    static ComputePool pool;
    InspectPane pane;

    @BeforeAll
    static void load() throws Exception {
        lm = ModelLoader.load(SharedData.file("models/stories260K/stories260K.bin"), SharedData.file("models/stories260K/tok512.bin"));
        pool = new ComputePool(2);
    }

    @AfterAll
    static void close() {
        if (pool != null) pool.close();
        if (lm != null) lm.close();
    }

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        pane = new InspectPane(Runnable::run, Runnable::run, pool);
        stage.setScene(new Scene(pane, 1200, 780));
        // the primary stage is shared by every GUI test in this JVM: undo what earlier tests did to its size
        stage.setMaximized(false);
        stage.setWidth(1200);
        stage.setHeight(780);
        stage.show();
    }

    private Inspection inspect(FxRobot robot, String text) {
        robot.interact(() -> {
            pane.setModel(lm);
            pane.inspect(text);
        });
        WaitForAsyncUtils.waitForFxEvents();
        return pane.state().getInspection();
    }

    private static void click(FxRobot robot, Node canvasOwner, double x, double y) {
        Canvas cv = null;
        for (Node n : ((javafx.scene.Parent) canvasOwner).getChildrenUnmodifiable()) if (n instanceof Canvas c) { cv = c; break; }
        Canvas target = cv;
        // a MouseEvent's x, y are scene coordinates until it is delivered to the node
        javafx.geometry.Point2D p = target.localToScene(x, y);
        robot.interact(() -> Event.fireEvent(target, new MouseEvent(MouseEvent.MOUSE_CLICKED, p.getX(), p.getY(), 0, 0, MouseButton.PRIMARY, 1,
                false, false, false, false, true, false, false, false, false, false, null)));
    }

    @Test
    void everyViewShowsWhatTheInspectionRecorded(FxRobot robot) {
        Inspection in = inspect(robot, "Lily and Tom went to the park. They saw a big dog.");
        assertEquals(InspectModel.State.DONE, pane.state().getState(), pane.state().messageProperty().get());
        assertNotNull(pane.state().getLens());
        int n = in.positions();
        assertEquals(lm.tokenizer().encode("Lily and Tom went to the park. They saw a big dog.", true, false).length, n);
        assertTrue(pane.state().messageProperty().get().contains(n + " tokens"), pane.state().messageProperty().get());
        AttentionView av = pane.attention;

        // one head: the heatmap holds layer 0 head 0
        MatrixSource shown = av.heatmap.getMatrix();
        assertEquals(n, shown.rows());
        assertEquals(in.attention()[0][0].get(n - 1, 3), shown.get(n - 1, 3));
        assertEquals(in.pieces(), av.heatmap.rowLabelsProperty().get());

        // all heads: 5 layers x 8 heads; clicking layer 2 head 5 opens it in the heatmap
        robot.interact(() -> av.setMode(AttentionView.Mode.GRID));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(5, av.grid.getMatrices().length);
        assertEquals(8, av.grid.getMatrices()[0].length);
        double t = av.grid.getThumbSize();
        click(robot, av.grid, 58 + 5 * (t + 8) + t / 2, 22 + 2 * (t + 8) + t / 2);
        assertEquals(AttentionView.Mode.HEATMAP, av.getMode());
        assertEquals(new HeadGrid.Head(2, 5), av.grid.getSelected());
        assertEquals(2, pane.state().layerProperty().get());
        assertEquals(5, pane.state().headProperty().get());
        AttentionMatrix l2h5 = in.attention()[2][5];
        for (int q = 0; q < n; q++) for (int k = 0; k < n; k++) assertEquals(l2h5.get(q, k), av.heatmap.getMatrix().get(q, k));

        // the steps of that head: softmax panel = the recorded weights, mask panel = the recorded scores
        robot.interact(() -> av.setMode(AttentionView.Mode.STEPS));
        WaitForAsyncUtils.waitForFxEvents();
        MatrixSource soft = av.steps[2].getMatrix(), masked = av.steps[1].getMatrix(), raw = av.steps[0].getMatrix();
        assertNotNull(soft);
        for (int q = 0; q < n; q++) {
            for (int k = 0; k < n; k++) {
                assertEquals(l2h5.get(q, k), soft.get(q, k), 1e-6, "softmax " + q + "," + k);
                if (k <= q) assertEquals(in.scores()[2][5].get(q, k), masked.get(q, k), 1e-5);
                else assertTrue(masked.masked(q, k) && Float.isFinite(raw.get(q, k)));
            }
        }

        // mean over heads
        robot.interact(() -> {
            av.setMode(AttentionView.Mode.HEATMAP);
            pane.state().combineProperty().set(InspectModel.Combine.MEAN);
        });
        AttentionMatrix mean = in.aggregate(2, Inspection.Aggregate.MEAN);
        assertEquals(mean.get(n - 1, 0), av.heatmap.getMatrix().get(n - 1, 0), 1e-7);

        // head view with every head of the layer
        robot.interact(() -> av.setMode(AttentionView.Mode.HEAD_VIEW));
        assertEquals(1, av.headView.headsProperty().get().size());
        assertEquals(n, av.headView.labelsProperty().get().size());

        // probabilities: one row per position; the logit lens: embedding + 5 layers
        assertEquals(n, pane.probabilities.list.getItems().size());
        assertEquals(6, pane.lens.grid.getTable().rows());
        assertEquals(n, pane.lens.grid.getTable().cols());
        assertEquals(in.predictions()[4].top() == pane.state().getLens().finalToken(4), true);

        // architecture: W2 of layer 3 has 64 x 172 weights; its output for the text is n x 64
        robot.interact(() -> {
            pane.showTab("Architecture");
            pane.state().layerProperty().set(3);
            pane.state().partProperty().set(ModelPart.W2);
        });
        WaitForAsyncUtils.waitForFxEvents();
        var w = pane.architecture.weights.getSummary();
        assertEquals(64, w.sourceRows());
        assertEquals(172, w.sourceCols());
        float[] row = new float[172];
        lm.model().layers().get(3).w2().readRow(10, row, 0);
        assertEquals(row[100], w.values()[10 * w.cols() + 100]);
        var act = pane.architecture.activations.getSummary();
        assertEquals(n, act.sourceRows());
        assertEquals(64, act.sourceCols());
        assertEquals(3, pane.architecture.map.layerProperty().get());
    }

    @Test
    void errorsSayWhatIsWrong(FxRobot robot) {
        robot.interact(() -> pane.inspect("no model yet"));
        assertEquals(InspectModel.State.ERROR, pane.state().getState());
        assertTrue(pane.state().messageProperty().get().contains("No model is loaded"), pane.state().messageProperty().get());
        assertTrue(pane.inspectButton.isDisabled(), "nothing to inspect with");
        inspect(robot, "Once upon a time ".repeat(150));
        assertEquals(InspectModel.State.ERROR, pane.state().getState());
        assertTrue(pane.state().messageProperty().get().contains("at most 512"), pane.state().messageProperty().get());
        // and a good text afterwards works
        inspect(robot, "Once upon a time");
        assertEquals(InspectModel.State.DONE, pane.state().getState());
        assertTrue(!pane.inspectButton.isDisabled());
    }
}

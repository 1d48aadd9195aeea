package dev.llamascope.app.ui.train;

import static dev.llamascope.app.ui.AppDriver.fx;
import static dev.llamascope.app.ui.AppDriver.onFx;
import static dev.llamascope.app.ui.AppDriver.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.app.ui.AppDriver;
import dev.llamascope.app.ui.TestData;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.app.ui.viz.SeriesChart;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.train.StepMetrics;
import dev.llamascope.engine.train.TrainListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Train pane in the window, with real runs of stories260K on a few stories of the sample text: the charts hold
 * exactly what the trainer reported, pause/resume/stop work, bad values and bad data are one message each and leave
 * the pane usable, a hand-off selects the dataset, and "Open in Generate" opens the checkpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainPaneGuiTest {
    @TempDir
    static Path config;
    @TempDir
    static Path tmp;
    private AppDriver app;
    private Path data;

    /** Every event of the runs, as the trainer reported them on its thread. */
    static final class Recorder implements TrainListener {
        final List<StepMetrics> steps = new CopyOnWriteArrayList<>();
        final List<double[]> evals = new CopyOnWriteArrayList<>();
        final List<Long> samples = new CopyOnWriteArrayList<>(), checkpoints = new CopyOnWriteArrayList<>();

        @Override
        public void step(StepMetrics m) {
            steps.add(m);
        }

        @Override
        public void evaluated(long step, double loss) {
            evals.add(new double[]{step, loss});
        }

        @Override
        public void sample(long step, String text) {
            samples.add(step);
        }

        @Override
        public void checkpoint(long step, Path model, Path folder) {
            checkpoints.add(step);
        }
    }

    private final Recorder recorder = new Recorder();

    @BeforeAll
    void start() throws Exception {
        Path sample = TestData.file("data/tinystories-sample.txt");
        List<String> lines = Files.readAllLines(sample, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).limit(30).toList();
        data = Files.write(tmp.resolve("few-stories.txt"), lines, StandardCharsets.UTF_8);
        app = new AppDriver(config, "--size", "1280x800");
        app.load(TestData.stories260K(), TestData.tok512());
        fx(() -> app.app().context().navigation().show(TrainAppPane.ID));
        controller().setTap(recorder);
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) app.close();
    }

    @BeforeEach
    void smallRun() {
        recorder.steps.clear();
        recorder.evals.clear();
        recorder.samples.clear();
        recorder.checkpoints.clear();
        TrainForm f = form();
        fx(() -> {
            f.startProperty().set(TrainForm.Start.LOADED_MODEL);
            f.dataProperty().set(data);
            f.formatProperty().set(DataFormat.AUTO);
            f.outputDirProperty().set(tmp.resolve("runs").toString());
            f.saveProperty().set(true);
            f.threadsProperty().set(2);
            set(TrainForm.Knob.BATCH, "4");
            set(TrainForm.Knob.SEQ, "32");
            set(TrainForm.Knob.STEPS, "6");
            set(TrainForm.Knob.WARMUP, "1");
            set(TrainForm.Knob.EVAL_EVERY, "2");
            set(TrainForm.Knob.SAMPLE_EVERY, "3");
            set(TrainForm.Knob.SAVE_EVERY, "3");
            set(TrainForm.Knob.HOLD_OUT, "10");
        });
    }

    private void set(TrainForm.Knob k, String v) {
        form().text(k).set(v);
    }

    private TrainAppPane pane() {
        return onFx(() -> app.app().window().pane(TrainAppPane.ID, TrainAppPane.class));
    }

    private TrainController controller() {
        return pane().controller();
    }

    private TrainForm form() {
        return controller().form();
    }

    private TrainModel model() {
        return controller().model();
    }

    private void waitForEnd(int seconds) {
        waitUntil(() -> !model().state().isBusy(), seconds);
    }

    @Test
    @Order(1)
    void aRealRunPutsExactlyTheReportedLossesOnTheCharts() throws Exception {
        ModelHandle loaded = onFx(() -> app.app().context().session().current());
        assertTrue(onFx(() -> form().isValid()));
        app.robot.clickOn("#trainStart");
        waitForEnd(120);
        assertEquals(RunState.COMPLETED, onFx(() -> model().state()), () -> onFx(() -> model().errorProperty().get()));

        TrainCurves curves = controller().curves();
        assertEquals(6, recorder.steps.size());
        assertEquals(6, onFx(() -> curves.rawLoss().size()));
        for (int i = 0; i < 6; i++) {
            int k = i;
            assertEquals(recorder.steps.get(i).loss(), onFx(() -> curves.rawLoss().y(k)), 0.0, "loss of step " + (i + 1));
            assertEquals(i + 1.0, onFx(() -> curves.rawLoss().x(0, k)), 0.0);
            assertEquals(recorder.steps.get(i).lr(), onFx(() -> curves.learningRate().y(k)), 0.0);
            assertEquals(recorder.steps.get(i).gradNorm(), onFx(() -> curves.gradNorm().y(k)), 0.0);
        }
        // eval: the baseline before step 1, then after steps 2, 4, 6
        assertEquals(List.of(0.0, 2.0, 4.0, 6.0), recorder.evals.stream().map(e -> e[0]).toList());
        assertEquals(4, onFx(() -> curves.evalLoss().size()));
        for (int i = 0; i < 4; i++) {
            int k = i;
            assertEquals(recorder.evals.get(i)[1], onFx(() -> curves.evalLoss().y(k)), 0.0);
        }
        SeriesChart chart = app.robot.lookup("#trainLossChart").queryAs(SeriesChart.class);
        assertEquals(List.of(curves.rawLoss(), curves.smoothLoss(), curves.evalLoss()), onFx(chart::series));

        // samples after steps 3 and 6, newest first; checkpoints of steps 3 and 6, kept as files of their own
        assertEquals(List.of(6L, 3L), onFx(() -> model().samples().stream().map(TrainModel.Sample::step).toList()));
        assertFalse(onFx(() -> model().samples().getFirst().text()).isBlank());
        assertEquals(List.of(3L, 6L), recorder.checkpoints);
        List<TrainModel.Checkpoint> cps = onFx(() -> new ArrayList<>(model().checkpoints()));
        assertEquals(List.of(6L, 3L), cps.stream().map(TrainModel.Checkpoint::step).toList());
        for (TrainModel.Checkpoint c : cps) assertTrue(Files.size(c.path()) > 100_000, c.path().toString());
        assertEquals("step-000003.bin", cps.get(1).path().getFileName().toString());
        assertEquals(recorder.steps.get(5).loss(), cps.getFirst().loss(), 0.0);
        assertTrue(onFx(() -> model().progressTextProperty().get()).startsWith("done after step 6 / 6"));
        assertEquals(1.0, onFx(() -> model().progressProperty().get()), 0.0);

        // the model brought its tokenizer: the run wrote it beside its checkpoints, to open them with
        Path tokBeside = cps.getFirst().path().resolveSibling("tokenizer.bin");
        assertTrue(Files.size(tokBeside) > 1000);
        assertEquals(tokBeside, onFx(() -> controller().tokenizerForCheckpoints()));

        // the window's model is the one loaded before, open and unchanged
        assertSame(loaded, onFx(() -> app.app().context().session().current()));
        assertFalse(loaded.isClosed());
    }

    @Test
    @Order(2)
    void pauseResumeAndStop() {
        fx(() -> {
            set(TrainForm.Knob.STEPS, "100000");
            set(TrainForm.Knob.BATCH, "1");
            set(TrainForm.Knob.SEQ, "16");
            set(TrainForm.Knob.EVAL_EVERY, "0");
            set(TrainForm.Knob.SAMPLE_EVERY, "0");
            set(TrainForm.Knob.SAVE_EVERY, "0");
        });
        app.robot.clickOn("#trainStart");
        waitUntil(() -> model().step() >= 3, 60);
        app.robot.clickOn("#trainPause");
        waitUntil(() -> model().state() == RunState.PAUSED, 30);
        assertEquals("Resume", app.robot.lookup("#trainPause").queryAs(Button.class).getText());
        int seen = recorder.steps.size();
        WaitForAsyncUtils.sleep(600, TimeUnit.MILLISECONDS);
        assertEquals(seen, recorder.steps.size(), "no step while paused");
        assertEquals(seen, onFx(() -> controller().curves().rawLoss().size()));

        app.robot.clickOn("#trainPause");
        waitUntil(() -> recorder.steps.size() >= seen + 3, 60);
        assertEquals(RunState.RUNNING, onFx(() -> model().state()));
        app.robot.clickOn("#trainStop");
        waitForEnd(60);
        assertEquals(RunState.STOPPED, onFx(() -> model().state()));
        int steps = recorder.steps.size();
        assertTrue(steps < 100000);
        assertEquals(steps, onFx(() -> controller().curves().rawLoss().size()), "every step reached the chart before the run ended");
        // stopping saves a final checkpoint (checkpoints are on)
        assertEquals(List.of((long) steps), recorder.checkpoints);
        assertEquals(steps, onFx(() -> model().checkpoints().getFirst().step()));
        assertTrue(Files.exists(onFx(() -> model().checkpoints().getFirst().path())));
        assertFalse(app.robot.lookup("#trainStart").queryAs(Button.class).isDisabled(), "a new run can start");
    }

    @Test
    @Order(3)
    void badHyperparametersDisableStartWithAMessageBesideTheField() {
        TextField lr = app.robot.lookup("#train-lr").queryAs(TextField.class);
        fx(() -> lr.setText("fast"));
        Label error = app.robot.lookup("#train-lr-error").queryAs(Label.class);
        assertTrue(onFx(error::isVisible));
        assertEquals("'fast' is not a number: a positive number, e.g. 5e-4", onFx(error::getText));
        assertTrue(app.robot.lookup("#trainStart").queryAs(Button.class).isDisabled());
        fx(() -> app.robot.lookup("#train-steps").queryAs(TextField.class).setText("0"));
        assertEquals("must be at least 1", onFx(() -> app.robot.lookup("#train-steps-error").queryAs(Label.class).getText()));
        fx(() -> {
            lr.setText("5e-4");
            app.robot.lookup("#train-steps").queryAs(TextField.class).setText("6");
        });
        assertFalse(onFx(error::isVisible));
        assertFalse(app.robot.lookup("#trainStart").queryAs(Button.class).isDisabled());
    }

    @Test
    @Order(3)
    void theDeviceListHasTheCpuAndSaysWhyAGpuCannotBeUsed() {
        waitUntil(() -> controller().devices().size() >= 2, 30); // probed when the pane was first shown
        List<dev.llamascope.engine.train.TrainDevice> devices = onFx(() -> List.copyOf(controller().devices()));
        assertEquals("cpu", devices.getFirst().id());
        assertTrue(devices.getFirst().usable());
        for (var d : devices) assertTrue(d.usable() || !d.reason().isBlank(), d.toString());
        assertEquals("cpu", onFx(() -> form().deviceProperty().get()));
        @SuppressWarnings("unchecked")
        var box = (javafx.scene.control.ComboBox<dev.llamascope.engine.train.TrainDevice>) app.robot.lookup("#trainDevice").query();
        assertEquals("cpu", onFx(() -> box.getValue().id()));
    }

    @Test
    @Order(4)
    void aBadDataFileIsOneErrorLineAndThePaneStaysUsable() throws Exception {
        Path bad = Files.writeString(tmp.resolve("odd.json"), "[{\"foo\": 1}, {\"foo\": 2}]");
        fx(() -> form().dataProperty().set(bad));
        app.robot.clickOn("#trainStart");
        waitForEnd(60);
        assertEquals(RunState.ERROR, onFx(() -> model().state()));
        String err = onFx(() -> model().errorProperty().get());
        assertTrue(err.contains("cannot tell the data format") && !err.contains("\n"), err);
        assertNotNull(app.robot.lookup("#trainError").query());
        waitUntil(() -> model().previewMessageProperty().get() != null && !model().previewMessageProperty().get().startsWith("Reading"), 30);
        assertTrue(onFx(() -> app.robot.lookup("#trainPreviewSummary").queryAs(Label.class).getText()).contains("cannot tell the data format"));

        // fixed: a run starts and completes; the error line goes
        fx(() -> form().dataProperty().set(data));
        app.robot.clickOn("#trainStart");
        waitForEnd(120);
        assertEquals(RunState.COMPLETED, onFx(() -> model().state()));
        assertEquals(null, onFx(() -> model().errorProperty().get()));
        assertTrue(app.robot.lookup("#trainError").tryQuery().isEmpty());
    }

    @Test
    @Order(7)
    void theHandOffSelectsTheFileAndFormatAndShowsThePane() throws Exception {
        Path alpaca = Files.writeString(tmp.resolve("instructions.json"),
                "[{\"instruction\": \"Say hi.\", \"input\": \"\", \"output\": \"Hi there!\"},"
                        + " {\"instruction\": \"Name a colour.\", \"input\": \"\", \"output\": \"Blue.\"}]");
        fx(() -> app.app().context().navigation().show("generate"));
        fx(() -> app.app().context().links().train(alpaca, "alpaca", TestData.tok512()));
        assertEquals(TrainAppPane.ID, onFx(() -> app.app().context().navigation().current()));
        assertEquals(alpaca, onFx(() -> form().dataProperty().get()));
        assertEquals(DataFormat.ALPACA, onFx(() -> form().formatProperty().get()));
        assertEquals(TestData.tok512(), onFx(() -> form().tokenizerProperty().get()));
        assertEquals("instructions.json", app.robot.lookup("#trainData").queryAs(Label.class).getText());
        // the preview shows the prompt apart from the trained answer
        waitUntil(() -> model().previewProperty().get() != null, 30);
        var item = onFx(() -> model().previewProperty().get().items().getFirst());
        assertEquals("### Instruction:\nSay hi.\n\n### Response:\n", item.segments().get(0).text());
        assertFalse(item.segments().get(0).trained());
        assertEquals("Hi there!</s>", item.segments().get(1).text());
        assertTrue(item.segments().get(1).trained());
        fx(() -> form().tokenizerProperty().set(null));
    }

    @Test
    @Order(5)
    void aNewModelOfACustomShapeTrainsFromScratch() throws Exception {
        ModelHandle loaded = onFx(() -> app.app().context().session().current());
        fx(() -> {
            form().startProperty().set(TrainForm.Start.NEW_SHAPE);
            form().shapeProperty().set("dim=16,hidden=32,layers=1,heads=2,kv=2,vocab=512,seq=64");
            form().tokenizerProperty().set(null);
        });
        assertFalse(onFx(() -> form().isValid()), "text data and a new model: a tokenizer is needed");
        assertTrue(onFx(() -> form().error(TrainForm.Choice.TOKENIZER).get()).contains("needs a tokenizer file"));
        fx(() -> form().tokenizerProperty().set(TestData.tok512()));
        assertTrue(onFx(() -> form().isValid()));
        app.robot.clickOn("#trainStart");
        waitForEnd(120);
        assertEquals(RunState.COMPLETED, onFx(() -> model().state()), () -> onFx(() -> model().errorProperty().get()));
        assertEquals(6, recorder.steps.size());
        assertTrue(recorder.steps.getFirst().loss() > 5.5, "random weights start near ln(512) = 6.24: " + recorder.steps.getFirst().loss());
        assertTrue(onFx(() -> model().runInfoProperty().get()).contains("parameters"));
        assertSame(loaded, onFx(() -> app.app().context().session().current()));
        fx(() -> {
            form().startProperty().set(TrainForm.Start.LOADED_MODEL);
            form().tokenizerProperty().set(null);
        });
    }

    @Test
    @Order(8)
    void openInGenerateOpensTheCheckpointThroughTheModelOpener() {
        assertFalse(onFx(() -> model().checkpoints().isEmpty()), "the runs above saved checkpoints");
        TrainModel.Checkpoint newest = onFx(() -> model().checkpoints().getFirst());
        List<Path[]> opened = new CopyOnWriteArrayList<>();
        fx(() -> app.app().context().links().setModelOpener((m, t) -> {
            opened.add(new Path[]{m, t});
            return CompletableFuture.completedFuture(null);
        }));
        fx(() -> app.app().context().navigation().show(TrainAppPane.ID));
        fx(() -> app.robot.lookup(".train-tabs").queryAs(javafx.scene.control.TabPane.class).getSelectionModel().select(2));
        fx(() -> app.robot.lookup("#trainCheckpoints").queryListView().getSelectionModel().select(0));
        app.robot.clickOn("#trainOpenCheckpoint");
        waitUntil(() -> "generate".equals(app.app().context().navigation().current()), 10);
        assertEquals(1, opened.size());
        assertEquals(newest.path(), opened.getFirst()[0]);
        assertEquals(TestData.tok512(), opened.getFirst()[1], "the tokenizer file that run was given");
    }
}

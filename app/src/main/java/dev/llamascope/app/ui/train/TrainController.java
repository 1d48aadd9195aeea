package dev.llamascope.app.ui.train;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.concurrent.EngineExecutor;
import dev.llamascope.app.ui.concurrent.EngineJob;
import dev.llamascope.app.ui.concurrent.ErrorText;
import dev.llamascope.app.ui.concurrent.FrameDrain;
import dev.llamascope.app.ui.concurrent.PooledEngineExecutor;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataPreview;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.train.StepMetrics;
import dev.llamascope.engine.train.TrainDevice;
import dev.llamascope.engine.train.TrainDevices;
import dev.llamascope.engine.train.TrainListener;
import dev.llamascope.engine.train.Trainer;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

/**
 * The Train pane's commands: start, pause, resume, stop; the data preview; the device list; opening a checkpoint in
 * Generate. A run goes on a training thread of its own (so it never holds one of the app's engine threads, which
 * loads, generations and inspections need), and its events come through a {@link FrameDrain}: queued by the training
 * thread, applied at most every {@value #UPDATE_INTERVAL_MS} ms in one batch, never a runLater per step. The run ends
 * on the FX thread only after the queue is empty, so the last step is always on the charts first. FX thread only.
 */
public final class TrainController {
    static final int UPDATE_INTERVAL_MS = 50;
    /** Examples shown in the data preview. */
    static final int PREVIEW_ITEMS = 4;

    private final AppContext ctx;
    private final TrainForm form;
    private final TrainModel model = new TrainModel();
    private final TrainCurves curves = new TrainCurves();
    private final FrameDrain<TrainEvent> drain = new FrameDrain<>(8192, UPDATE_INTERVAL_MS, this::onEvents);
    private final EngineExecutor trainThread = new PooledEngineExecutor(1);
    private final ObservableList<TrainDevice> devices = FXCollections.observableArrayList(
            new TrainDevice("cpu", "CPU", true, null));
    private TrainListener tap;
    private TrainJob job;
    private Trainer.Result result;
    private long startStep, lastStepSeen;
    private double lastLoss = Double.NaN, lastEval = Double.NaN;
    private int previewGeneration;

    public TrainController(AppContext ctx, TrainForm form) {
        this.ctx = ctx;
        this.form = form;
    }

    public TrainForm form() {
        return form;
    }

    public TrainModel model() {
        return model;
    }

    public TrainCurves curves() {
        return curves;
    }

    /** CPU and GPUs (unusable ones with their reason); filled by {@link #refreshDevices()}. */
    public ObservableList<TrainDevice> devices() {
        return devices;
    }

    /** A listener that hears every event of the next runs on the training thread, besides the pane (tests). */
    public void setTap(TrainListener tap) {
        this.tap = tap;
    }

    // ---- the run

    /** Starts a run with the form as it is (nothing happens while the form is invalid or a run is on). */
    public void start() {
        if (!form.isValid() || model.state().isBusy()) return;
        Path runDir = form.saveProperty().get() ? form.outputFolder().resolve(runName()) : null;
        RunRequest req;
        try {
            req = form.request(runDir);
        } catch (RuntimeException e) {
            model.setError(ErrorText.describe(e));
            model.setState(RunState.ERROR);
            return;
        }
        model.clearRun();
        curves.clear();
        result = null;
        lastJobTokenizer = null;
        lastLoss = lastEval = Double.NaN;
        startStep = lastStepSeen = 0;
        model.setRunFolder(runDir);
        model.setProgress(0, req.config().steps(), "preparing the data…");
        model.setState(RunState.PREPARING);
        TrainJob mine = new TrainJob(req, drain::offer, tap);
        job = mine;
        drain.clear();
        drain.start();
        EngineJob<Trainer.Result> running = trainThread.submit("train", cancel -> mine.run());
        running.result().whenComplete((r, err) -> ctx.fxThread().execute(() -> finished(mine, r, err)));
    }

    private static String runName() {
        return "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
    }

    /** Holds the run after the current step. */
    public void pause() {
        if (job == null || (model.state() != RunState.RUNNING && model.state() != RunState.PREPARING)) return;
        job.pause();
        model.setState(RunState.PAUSING);
    }

    public void resume() {
        if (job == null || (model.state() != RunState.PAUSED && model.state() != RunState.PAUSING)) return;
        job.resume();
        model.setState(RunState.RUNNING);
    }

    /** Ends the run after the current step; with checkpoints on, the trainer saves a final one. */
    public void stop() {
        if (job == null || !model.state().isBusy() || model.state() == RunState.STOPPING) return;
        job.stop();
        model.setState(RunState.STOPPING);
    }

    private void finished(TrainJob which, Trainer.Result r, Throwable err) {
        if (which != job) return;
        while (drain.drain() > 0) {
            // the events still queued belong on the charts before the run is called done
        }
        drain.stop();
        job = null;
        if (err != null) {
            model.setError(ErrorText.describe(err));
            model.setState(RunState.ERROR);
            return;
        }
        Trainer.Result res = r != null ? r : result;
        if (res == null) {
            model.setState(RunState.STOPPED);
            return;
        }
        model.setProgress(res.steps(), model.totalSteps(), endText(res)); // before the state: its watchers read it
        switch (res.status()) {
            case COMPLETED -> model.setState(RunState.COMPLETED);
            case STOPPED -> model.setState(RunState.STOPPED);
            case DIVERGED, FAILED -> {
                model.setError(res.message() == null ? "the run failed" : res.message());
                model.setState(RunState.ERROR);
            }
        }
    }

    private String endText(Trainer.Result r) {
        String what = switch (r.status()) {
            case COMPLETED -> "done";
            case STOPPED -> "stopped";
            case DIVERGED -> "diverged";
            case FAILED -> "failed";
        };
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s after step %d / %d", what, r.steps(), model.totalSteps()));
        if (Double.isFinite(lastLoss)) sb.append(String.format(Locale.ROOT, " · loss %.4f", lastLoss));
        if (Double.isFinite(lastEval)) sb.append(String.format(Locale.ROOT, " · eval %.4f", lastEval));
        return sb.toString();
    }

    private void onEvents(List<TrainEvent> batch) {
        StepMetrics last = null;
        for (TrainEvent e : batch) {
            switch (e) {
                case TrainEvent.Started s -> {
                    startStep = s.info().startStep();
                    lastStepSeen = startStep;
                    model.setRunInfo(String.format(Locale.ROOT, "%s · %,d parameters · %s%s", s.info().device(), s.info().parameters(),
                            s.info().trainData(), s.info().evalData() == null ? "" : " · eval: " + s.info().evalData()));
                    if (job != null && job.tokenizerFile() != null) lastJobTokenizer = job.tokenizerFile();
                    if (model.state() == RunState.PREPARING) model.setState(RunState.RUNNING);
                    model.setProgress(startStep, s.info().config().steps(), "measuring the eval loss before the first step…");
                }
                case TrainEvent.Eval ev -> {
                    if (ev.step() == startStep) curves.addBaselineEval(ev.step(), 0, ev.loss());
                    lastEval = ev.loss();
                }
                case TrainEvent.Step s -> {
                    curves.add(s.metrics());
                    last = s.metrics();
                    lastLoss = last.loss();
                    lastStepSeen = last.step();
                }
                case TrainEvent.Sample s -> model.addSample(new TrainModel.Sample(s.step(), s.text()));
                case TrainEvent.Checkpoint c -> model.addCheckpoint(new TrainModel.Checkpoint(c.step(), c.kept(),
                        c.step() == lastStepSeen ? lastLoss : Double.NaN, lastEval));
                case TrainEvent.Paused p -> {
                    if (p.paused() && model.state() == RunState.PAUSING) model.setState(RunState.PAUSED);
                }
                case TrainEvent.Finished f -> result = f.result();
            }
        }
        if (last != null) model.setProgress(last.step(), last.totalSteps(), progressText(last));
        if (model.state() == RunState.PAUSED) model.setProgress(model.step(), model.totalSteps(), "paused after step " + model.step() + " / " + model.totalSteps());
        curves.changed();
    }

    private String progressText(StepMetrics m) {
        long done = m.step() - startStep, left = m.totalSteps() - m.step();
        String eta = done > 0 && m.seconds() > 0 ? " · ETA " + clock(m.seconds() / done * left) : "";
        return String.format(Locale.ROOT, "step %d / %d · loss %.4f · %,.0f tok/s%s", m.step(), m.totalSteps(), m.loss(), m.tokensPerSecond(), eta);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    // ---- checkpoints

    /** Opens a checkpoint as the window's model (through the Models pane) and shows Generate once it is loaded. */
    public void openInGenerate(TrainModel.Checkpoint c) {
        Path tok = tokenizerForCheckpoints();
        ctx.links().openModel(c.path(), tok).whenComplete((v, err) -> ctx.fxThread().execute(() -> {
            if (err == null) ctx.navigation().show("generate");
            else model.setError("Could not open " + c.path().getFileName() + ": " + ErrorText.describe(err));
        }));
    }

    /** The tokenizer file of the last run's checkpoints (the chosen file, or tokenizer.bin written into the run folder). */
    Path tokenizerForCheckpoints() {
        if (lastJobTokenizer != null) return lastJobTokenizer;
        return form.tokenizerProperty().get();
    }

    private Path lastJobTokenizer;

    /** Puts a checkpoint's path on the clipboard. */
    public void copyPath(TrainModel.Checkpoint c) {
        ClipboardContent content = new ClipboardContent();
        content.putString(c.path().toAbsolutePath().toString());
        Clipboard.getSystemClipboard().setContent(content);
        model.setNotice("Copied " + c.path().toAbsolutePath());
    }

    // ---- the data preview and the devices

    /** Recomputes the preview of the chosen data off the FX thread (a newer request makes an older result void). */
    public void refreshPreview() {
        int gen = ++previewGeneration;
        Path data = form.dataProperty().get();
        if (data == null || !java.nio.file.Files.isRegularFile(data)) {
            model.setPreview(null, data == null ? "Choose a data file to see what the model will be trained on." : null);
            return;
        }
        DataFormat format = form.formatProperty().get();
        var template = form.templateProperty().get();
        Path tokFile = form.tokenizerProperty().get();
        ModelHandle h = form.startProperty().get() == TrainForm.Start.LOADED_MODEL ? form.loadedProperty().get() : null;
        ModelConfig shape = form.modelShape();
        model.setPreview(null, "Reading " + data.getFileName() + "…");
        ctx.engine().submit("train preview", cancel -> {
            Tokenizer tok = null;
            if (tokFile != null) tok = ModelLoader.TokenizerLoader.read(tokFile);
            else if (h != null && h.acquire()) {
                try {
                    tok = h.loaded().tokenizer();
                } finally {
                    h.release();
                }
            }
            int vocab = shape != null ? shape.vocabSize() : tok != null ? tok.size() : 65536;
            return DataPreview.of(data, format, tok, vocab, template, PREVIEW_ITEMS);
        }).result().whenComplete((p, err) -> ctx.fxThread().execute(() -> {
            if (gen != previewGeneration) return;
            if (err != null) model.setPreview(null, ErrorText.describe(err));
            else model.setPreview(p, null);
        }));
    }

    /** Lists the training devices off the FX thread (probing GPUs can take seconds). */
    public void refreshDevices() {
        ctx.engine().submit("train devices", cancel -> TrainDevices.list()).result().whenComplete((list, err) -> ctx.fxThread().execute(() -> {
            if (err == null && !list.isEmpty()) devices.setAll(list);
        }));
    }

    // ---- the Data pane's hand-off

    /** Shows a dataset chosen elsewhere: the file, its format and (when given) its tokenizer. */
    public void select(Path data, String format, Path tokenizer) {
        DataFormat f;
        try {
            f = format == null ? DataFormat.AUTO : DataFormat.parse(format);
        } catch (IllegalArgumentException e) {
            f = DataFormat.AUTO;
        }
        form.formatProperty().set(f);
        if (tokenizer != null) form.tokenizerProperty().set(tokenizer);
        form.dataProperty().set(data);
    }

    /** Stops a run and the training thread (at exit). */
    public void dispose() {
        if (job != null) job.stop();
        drain.stop();
        trainThread.shutdown();
    }
}

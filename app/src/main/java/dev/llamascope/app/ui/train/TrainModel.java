package dev.llamascope.app.ui.train;

import dev.llamascope.engine.data.DataPreview;
import java.nio.file.Path;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Train pane's state: where the run stands, its progress, the one-line error, the samples and checkpoints so far,
 * and the data preview. Read-only outside; {@link TrainController} changes it. FX thread only.
 */
public final class TrainModel {
    /** A story the model wrote after {@code step} steps. */
    public record Sample(long step, String text) {}

    /** A saved checkpoint: the model file kept for this step, the train loss of the step and the last eval loss. */
    public record Checkpoint(long step, Path path, double loss, double evalLoss) {}

    private final ReadOnlyObjectWrapper<RunState> state = new ReadOnlyObjectWrapper<>(this, "state", RunState.IDLE);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper(this, "progressText", "");
    private final ReadOnlyStringWrapper runInfo = new ReadOnlyStringWrapper(this, "runInfo", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice");
    private final ObservableList<Sample> samples = FXCollections.observableArrayList();
    private final ObservableList<Checkpoint> checkpoints = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<DataPreview> preview = new ReadOnlyObjectWrapper<>(this, "preview");
    private final ReadOnlyStringWrapper previewMessage = new ReadOnlyStringWrapper(this, "previewMessage");
    private final ReadOnlyObjectWrapper<Path> runFolder = new ReadOnlyObjectWrapper<>(this, "runFolder");
    private long step, totalSteps;

    public ReadOnlyObjectProperty<RunState> stateProperty() { return state.getReadOnlyProperty(); }
    public RunState state() { return state.get(); }
    /** 0..1: steps done of the run's steps. */
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }
    /** "step 40 / 200 · 1,234 tok/s · ETA 0:35" */
    public ReadOnlyStringProperty progressTextProperty() { return progressText.getReadOnlyProperty(); }
    /** What is being trained, on what, from which data. */
    public ReadOnlyStringProperty runInfoProperty() { return runInfo.getReadOnlyProperty(); }
    /** The run's failure as one line, or null. */
    public ReadOnlyStringProperty errorProperty() { return error.getReadOnlyProperty(); }
    /** A passing remark ("Copied …"), or null. */
    public ReadOnlyStringProperty noticeProperty() { return notice.getReadOnlyProperty(); }
    /** Newest first. */
    public ObservableList<Sample> samples() { return FXCollections.unmodifiableObservableList(samples); }
    /** Newest first. */
    public ObservableList<Checkpoint> checkpoints() { return FXCollections.unmodifiableObservableList(checkpoints); }
    /** The chosen data as the run will see it, or null (not computed, or failed: see the message). */
    public ReadOnlyObjectProperty<DataPreview> previewProperty() { return preview.getReadOnlyProperty(); }
    /** "Reading …", or why there is no preview. */
    public ReadOnlyStringProperty previewMessageProperty() { return previewMessage.getReadOnlyProperty(); }
    /** The folder of the current (or last) run's checkpoints, or null. */
    public ReadOnlyObjectProperty<Path> runFolderProperty() { return runFolder.getReadOnlyProperty(); }

    public long step() {
        return step;
    }

    public long totalSteps() {
        return totalSteps;
    }

    void setState(RunState s) { state.set(s); }
    void setError(String e) { error.set(e); }
    void setNotice(String n) { notice.set(n); }
    void setRunInfo(String s) { runInfo.set(s); }
    void setRunFolder(Path p) { runFolder.set(p); }
    void setPreview(DataPreview p, String message) {
        preview.set(p);
        previewMessage.set(message);
    }

    void setProgress(long step, long total, String text) {
        this.step = step;
        this.totalSteps = total;
        progress.set(total <= 0 ? 0 : (double) step / total);
        progressText.set(text);
    }

    void addSample(Sample s) { samples.addFirst(s); }
    void addCheckpoint(Checkpoint c) { checkpoints.addFirst(c); }

    void clearRun() {
        samples.clear();
        checkpoints.clear();
        error.set(null);
        notice.set(null);
        runInfo.set("");
        setProgress(0, 0, "");
    }
}

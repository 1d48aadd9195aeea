package dev.llamascope.app.ui.data;

import dev.llamascope.app.ui.concurrent.CancelToken;
import dev.llamascope.app.ui.concurrent.EngineExecutor;
import dev.llamascope.app.ui.concurrent.EngineJob;
import dev.llamascope.app.ui.concurrent.ErrorText;
import dev.llamascope.app.ui.concurrent.FxLatest;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The long work of one Data tab (building prompts, writing stories, training a tokenizer, ...): runs on the app's
 * engine executor, publishes progress to the FX thread at most one update at a time ({@link FxLatest}), and ends
 * with the result handed to the tab, "Stopped" after a cancel, or one line of error. A tab runs one piece of work
 * at a time; each tab has its own, so a long story run does not block looking at a report. FX thread only, except
 * the {@link Progress} given to the work.
 */
final class DataTask {

    /** The work: no JavaFX; polls the token (or is stopped through its own handle) to end early. */
    @FunctionalInterface
    interface Work<T> {
        T run(Progress progress, CancelToken cancel) throws Exception;
    }

    /** Progress from the work, any thread. */
    @FunctionalInterface
    interface Progress {
        /** @param fraction 0..1, or negative for "busy, unknown how long" */
        void report(double fraction, String text);
    }

    private record Update(long run, double fraction, String text) {}

    private final EngineExecutor engine;
    private final Executor fxThread;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final StringProperty status = new SimpleStringProperty(this, "status", "");
    private final StringProperty error = new SimpleStringProperty(this, "error");
    private EngineJob<?> job;
    private Runnable onCancel;
    private long runId;

    DataTask(EngineExecutor engine, Executor fxThread) {
        this.engine = engine;
        this.fxThread = fxThread;
    }

    /**
     * Starts the work unless some is running.
     *
     * @param onCancel what else stops it (a run's own cancel method), or null
     * @param done     gets the result on the FX thread; what it throws becomes the error line
     */
    <T> boolean start(String name, String startText, Work<T> work, Runnable onCancel, Consumer<T> done) {
        if (running.get()) return false;
        long id = ++runId;
        error.set(null);
        status.set(startText);
        progress.set(-1);
        running.set(true);
        this.onCancel = onCancel;
        FxLatest<Update> updates = new FxLatest<>(fxThread, u -> {
            if (u.run() != runId || !running.get()) return; // late news from a finished run
            progress.set(u.fraction());
            if (u.text() != null) status.set(u.text());
        });
        Progress p = (fraction, text) -> updates.set(new Update(id, fraction, text));
        EngineJob<T> j;
        try {
            j = engine.submit(name, cancel -> work.run(p, cancel));
        } catch (RuntimeException e) { // the executor is shut down (the window is closing)
            running.set(false);
            error.set(ErrorText.describe(e));
            return false;
        }
        job = j;
        j.result().whenComplete((result, failure) -> fxThread.execute(() -> {
            if (id != runId) return;
            job = null;
            this.onCancel = null;
            // The outcome is shown before running turns false, so whoever waits for the end sees it.
            try {
                if (failure != null) {
                    progress.set(0);
                    if (ErrorText.isCancellation(failure)) status.set("Stopped.");
                    else fail(failure);
                } else {
                    progress.set(1);
                    done.accept(result);
                }
            } catch (RuntimeException e) {
                fail(e);
            } finally {
                running.set(false);
            }
        }));
        return true;
    }

    private void fail(Throwable t) {
        status.set("");
        error.set(ErrorText.describe(t).replace('\n', ' '));
    }

    /** Asks the running work to stop; it ends with what it has done (FX thread). */
    void cancel() {
        if (job != null) job.cancel();
        if (onCancel != null) onCancel.run();
    }

    /** Shows a one-line error that did not come from running work (a bad field). */
    void error(String message) {
        error.set(message);
    }

    void clearError() {
        error.set(null);
    }

    ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    boolean isRunning() {
        return running.get();
    }

    DoubleProperty progressProperty() {
        return progress;
    }

    StringProperty statusProperty() {
        return status;
    }

    StringProperty errorProperty() {
        return error;
    }
}

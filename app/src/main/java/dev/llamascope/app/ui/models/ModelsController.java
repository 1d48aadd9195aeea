package dev.llamascope.app.ui.models;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.concurrent.EngineJob;
import dev.llamascope.app.ui.concurrent.ErrorText;
import dev.llamascope.app.ui.concurrent.FxLatest;
import dev.llamascope.app.ui.concurrent.WorkState;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.app.ui.settings.RecentModel;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * Commands of the Models pane: open a model (in the background, with progress, cancellable), choose a tokenizer,
 * forget a recent entry. A failed load leaves the previous model loaded and shows one line saying why.
 * FX thread only; the loading itself runs on the engine executor.
 */
public final class ModelsController {
    private final AppContext ctx;
    private final ModelsModel model;
    private final ModelOpener opener;
    private EngineJob<ModelHandle> job;
    private java.nio.file.Path needsTokenizer; // a model that failed only for want of a tokenizer

    public ModelsController(AppContext ctx, ModelsModel model, ModelOpener opener) {
        this.ctx = ctx;
        this.model = model;
        this.opener = opener;
        model.setRecent(ctx.settings().recentModels());
        model.setCard(ctx.session().current() == null ? null : ctx.session().current().summary());
        ctx.session().currentProperty().addListener((o, a, b) -> model.setCard(b == null ? null : b.summary()));
    }

    public ModelsModel model() {
        return model;
    }

    /** Opens a model with the chosen tokenizer (or its own when none is chosen). */
    public void open(Path path) {
        open(path, model.tokenizerProperty().get());
    }

    /**
     * Opens a model; {@code tokenizer} null means the model's own (or tokenizer.bin beside it).
     *
     * @return completes on the FX thread when the model is loaded; fails with the one-line reason (or a
     *         CancellationException) when it is not, at once when another load is running
     */
    public CompletableFuture<Void> open(Path path, Path tokenizer) {
        if (model.state().isBusy())
            return CompletableFuture.failedFuture(new java.io.IOException("another model is being opened; wait for it or cancel it"));
        if (pending != null) pending.completeExceptionally(new CancellationException());
        CompletableFuture<Void> result = new CompletableFuture<>();
        pending = result;
        Path modelPath = path.toAbsolutePath().normalize();
        Path tokPath = tokenizer == null ? null : tokenizer.toAbsolutePath().normalize();
        lastOpened = modelPath;
        needsTokenizer = null;
        model.setError(null);
        model.setNotice(null);
        model.setState(WorkState.LOADING);
        model.setProgress(-1, "Opening " + modelPath.getFileName() + "…");
        FxLatest<double[]> progress = new FxLatest<>(ctx.fxThread(), p -> {
            if (model.state() == WorkState.LOADING) model.setProgress(p[0], lastMessage);
        });
        job = ctx.engine().submit("load " + modelPath.getFileName(), cancel -> {
            var loaded = opener.open(modelPath, tokPath, (fraction, message) -> {
                lastMessage = message;
                progress.set(new double[]{fraction});
            }, cancel);
            return new ModelHandle(loaded, modelPath, tokPath);
        });
        EngineJob<ModelHandle> mine = job;
        job.result().whenComplete((handle, failure) -> ctx.fxThread().execute(() -> finish(mine, handle, failure)));
        return result;
    }

    private CompletableFuture<Void> pending; // the caller's view of the running load

    private Path lastOpened;

    private static boolean isMissingTokenizer(Throwable t) {
        Throwable e = ErrorText.unwrap(t);
        return e instanceof dev.llamascope.engine.model.ModelFormatException && e.getMessage() != null && e.getMessage().contains(": no tokenizer");
    }

    // Written by the loading thread, read with the progress value on the FX thread; a stale message is harmless.
    private volatile String lastMessage = "";

    private void finish(EngineJob<ModelHandle> which, ModelHandle handle, Throwable failure) {
        if (which != job) {
            if (failure == null && handle != null) handle.retire(); // a load nobody waits for any more: close it
            return;
        }
        job = null;
        CompletableFuture<Void> caller = pending;
        pending = null;
        try {
            show(handle, failure);
        } finally {
            if (caller != null) {
                if (failure == null) caller.complete(null);
                else caller.completeExceptionally(ErrorText.isCancellation(failure) ? new CancellationException()
                        : new java.io.IOException(model.errorProperty().get() != null ? model.errorProperty().get() : ErrorText.describe(failure)));
            }
        }
    }

    private void show(ModelHandle handle, Throwable failure) {
        if (failure == null) {
            ctx.session().install(handle);
            RecentModel r = new RecentModel(handle.modelPath(), handle.tokenizerPath());
            ctx.settings().addRecent(r);
            model.setRecent(ctx.settings().recentModels());
            model.setProgress(1, "");
            model.setState(WorkState.DONE);
        } else if (ErrorText.isCancellation(failure)) {
            model.setProgress(-1, "");
            model.setNotice("Loading cancelled" + (ctx.session().current() != null ? "; " + ctx.session().current().summary().name() + " stays loaded" : ""));
            model.setState(WorkState.IDLE);
        } else if (isMissingTokenizer(failure)) {
            // The engine's message speaks of the command line's -z; here the answer is a button away.
            needsTokenizer = lastOpened;
            model.setProgress(-1, "");
            model.setError(lastOpened + ": this model has no tokenizer beside it. Choose its tokenizer (e.g. tokenizer.bin or tok512.bin); the model opens with it.");
            model.setState(WorkState.ERROR);
        } else {
            model.setProgress(-1, "");
            String kept = ctx.session().current() != null ? " (" + ctx.session().current().summary().name() + " stays loaded)" : "";
            model.setError(ErrorText.describe(failure) + kept);
            model.setState(WorkState.ERROR);
        }
    }

    /** Asks the running load to stop; the pane shows "cancelling" until it has. */
    public void cancel() {
        if (job != null && model.state() == WorkState.LOADING) {
            model.setState(WorkState.CANCELLING);
            model.setProgress(-1, "Cancelling…");
            job.cancel();
        }
    }

    /** Sets the tokenizer for the next load; when the last load failed for want of one, opens that model with it. */
    public void chooseTokenizer(Path tokenizer) {
        model.setTokenizer(tokenizer == null ? null : tokenizer.toAbsolutePath().normalize());
        if (tokenizer != null && needsTokenizer != null && !model.state().isBusy()) {
            Path retry = needsTokenizer;
            needsTokenizer = null;
            open(retry, tokenizer);
        }
    }

    public void openRecent(RecentModel r) {
        chooseTokenizer(r.tokenizer());
        open(r.model(), r.tokenizer());
    }

    public void forgetRecent(RecentModel r) {
        ctx.settings().removeRecent(r);
        model.setRecent(ctx.settings().recentModels());
    }

    public void dismissMessages() {
        model.setError(null);
        model.setNotice(null);
    }

    /** Stops a load in progress (at exit). */
    public void dispose() {
        if (job != null) job.cancel();
    }
}

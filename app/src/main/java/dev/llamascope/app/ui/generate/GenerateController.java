package dev.llamascope.app.ui.generate;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.concurrent.EngineJob;
import dev.llamascope.app.ui.concurrent.ErrorText;
import dev.llamascope.app.ui.concurrent.FrameDrain;
import dev.llamascope.app.ui.concurrent.WorkState;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.engine.inference.Generator;
import dev.llamascope.engine.util.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

/**
 * Commands of the Generate pane: generate, stop, branch, copy, save, presets, new seed. Engine work runs on the
 * app's executor; its tokens arrive through a {@link FrameDrain} (one batch per frame, never a runLater per token)
 * and are appended to the story. FX thread only.
 */
public final class GenerateController {
    /** Tokens handed to the view per frame at most: a burst is spread over frames rather than stalling one. */
    static final int MAX_EVENTS_PER_FRAME = 4096;
    /** The story is updated at most this often (ms): fewer, larger updates when tokens come faster than frames. */
    static final int MIN_UPDATE_INTERVAL_MS = Integer.getInteger("llamascope.updateIntervalMs", 33);

    private final AppContext ctx;
    private final GenerateModel model;
    private final GenerationEngine engine;
    private final FrameDrain<StreamEvent> drain;
    private final ReadOnlyBooleanWrapper canBranch = new ReadOnlyBooleanWrapper(this, "canBranch");
    private final ReadOnlyBooleanWrapper warmingUp = new ReadOnlyBooleanWrapper(this, "warmingUp");
    private EngineJob<Void> job;
    private EngineJob<Void> warmUp;
    private ModelHandle storyModel; // the model that wrote the story on screen (branching needs the same one)

    // live statistics of the running generation
    private long startNanos, firstNanos, lastNanos;
    private int sampledThisRun, promptTokens, context;

    public GenerateController(AppContext ctx, GenerateModel model) {
        this.ctx = ctx;
        this.model = model;
        this.engine = new GenerationEngine(ctx.session().compute());
        this.drain = new FrameDrain<>(MAX_EVENTS_PER_FRAME, MIN_UPDATE_INTERVAL_MS, this::onEvents);
        ctx.session().currentProperty().addListener((o, a, b) -> {
            stop();
            updateCanBranch();
            if (b != null) warmUp(b);
        });
        model.stateProperty().addListener((o, a, b) -> updateCanBranch());
    }

    public GenerateModel model() {
        return model;
    }

    /** Whether the story on screen can be branched now (idle, and written by the loaded model). */
    public ReadOnlyBooleanProperty canBranchProperty() {
        return canBranch.getReadOnlyProperty();
    }

    /** Whether the engine is warming up after a model was loaded (a generation started now cancels it). */
    public ReadOnlyBooleanProperty warmingUpProperty() {
        return warmingUp.getReadOnlyProperty();
    }

    private void updateCanBranch() {
        canBranch.set(!model.state().isBusy() && storyModel != null && storyModel == ctx.session().current());
    }

    /** Writes a new story from the prompt with the knobs as they are. */
    public void generate() {
        ModelHandle h = ctx.session().current();
        if (h == null || model.state().isBusy()) return;
        SamplingKnobs k = model.knobs();
        GenerationRequest req;
        try {
            req = GenerationRequest.story(model.promptProperty().get(), k.maxTokens.get(), k.toSettings(), threads());
        } catch (IllegalArgumentException e) {
            model.setError(e.getMessage());
            model.setState(WorkState.ERROR);
            return;
        }
        ctx.settings().setGeneration(k.toPrefs(threads(), model.promptProperty().get()));
        model.story().clear();
        promptTokens = 0;
        start(h, req);
    }

    /** Replaces the token at a story index by another and continues from there (the text before is kept). */
    public void branch(int tokenIndex, int alternativeId) {
        ModelHandle h = ctx.session().current();
        if (!canBranch.get() || h == null || tokenIndex < 0 || tokenIndex >= model.story().tokenCount()) return;
        StoryToken t = model.story().token(tokenIndex);
        if (t.odds() == null) return;
        SamplingKnobs k = model.knobs();
        GenerationRequest req = GenerationRequest.branch(t.pos(), alternativeId, t.odds(), k.maxTokens.get(), k.toSettings(), threads());
        model.story().truncate(tokenIndex);
        start(h, req);
    }

    /** Positions of the throw-away story that warms the JIT up after a model is loaded. */
    static final int WARM_UP_POSITIONS = 256;

    private void warmUp(ModelHandle h) {
        if (Boolean.getBoolean("llamascope.noWarmUp")) return;
        if (warmUp != null) warmUp.cancel();
        int threads = threads();
        model.setNotice("Warming up the engine…");
        EngineJob<Void> mine = ctx.engine().submit("warm up", cancel -> {
            engine.warmUp(h, threads, WARM_UP_POSITIONS, cancel);
            return null;
        });
        warmUp = mine;
        warmingUp.set(true);
        mine.result().whenComplete((v, err) -> ctx.fxThread().execute(() -> {
            if (warmUp == mine) {
                warmUp = null;
                warmingUp.set(false);
                if ("Warming up the engine…".equals(model.noticeProperty().get())) model.setNotice(null);
            }
        }));
    }

    private void start(ModelHandle h, GenerationRequest req) {
        if (warmUp != null) {
            warmUp.cancel(); // the user's story comes first; the engine takes it as soon as the warm-up stops
            warmUp = null;
            warmingUp.set(false);
            if ("Warming up the engine…".equals(model.noticeProperty().get())) model.setNotice(null);
        }
        model.setError(null);
        model.setNotice(null);
        storyModel = h;
        startNanos = System.nanoTime();
        firstNanos = 0;
        lastNanos = 0;
        sampledThisRun = 0;
        model.setState(WorkState.GENERATING);
        drain.clear();
        drain.start();
        job = ctx.engine().submit("generate", cancel -> {
            engine.run(h, req, drain::offer, cancel);
            return null;
        });
    }

    /** Stops the running generation at the next token. */
    public void stop() {
        if (job != null && model.state() == WorkState.GENERATING) {
            model.setState(WorkState.CANCELLING);
            job.cancel();
        }
    }

    private void onEvents(List<StreamEvent> batch) {
        List<StoryToken> tokens = new ArrayList<>();
        for (StreamEvent e : batch) {
            switch (e) {
                case StreamEvent.Token t -> {
                    tokens.add(t.token());
                    if (t.token().odds() != null && !t.token().prompt()) {
                        if (sampledThisRun++ == 0) firstNanos = t.nanos();
                        lastNanos = t.nanos();
                    }
                }
                case StreamEvent.Started s -> {
                    if (s.promptTokens() >= 0) promptTokens = s.promptTokens();
                    context = s.context();
                }
                case StreamEvent.Finished f -> {
                    model.story().append(tokens);
                    tokens.clear();
                    model.story().appendToLast(f.trailingText());
                    finish(f.result());
                }
                case StreamEvent.Failed f -> {
                    model.story().append(tokens);
                    tokens.clear();
                    fail(f.error());
                }
            }
        }
        model.story().append(tokens);
        if (model.state().isBusy()) model.setStats(liveStats());
    }

    private GenerationStats liveStats() {
        double tps = sampledThisRun > 1 && lastNanos > firstNanos ? (sampledThisRun - 1) * 1e9 / (lastNanos - firstNanos) : 0;
        double ttft = sampledThisRun > 0 ? (firstNanos - startNanos) / 1e6 : Double.NaN;
        return new GenerationStats(promptTokens, generatedInStory(), tps, ttft, model.story().tokenCount(), context, null);
    }

    private int generatedInStory() {
        return Math.max(0, model.story().tokenCount() - Math.max(0, promptTokens - 1));
    }

    private void finish(Generator.Result r) {
        drain.stop();
        job = null;
        model.setStats(new GenerationStats(promptTokens, generatedInStory(), r.decodeTokensPerSecond(),
                r.generatedTokens() > 0 ? r.firstTokenNanos() / 1e6 : Double.NaN, model.story().tokenCount(), context,
                describe(r.stopReason())));
        model.setState(WorkState.DONE);
    }

    private void fail(Throwable t) {
        drain.stop();
        job = null;
        storyModel = null;
        model.setError(ErrorText.describe(t));
        model.setStats(new GenerationStats(promptTokens, generatedInStory(), 0, Double.NaN, model.story().tokenCount(), context, "error"));
        model.setState(WorkState.ERROR);
    }

    static String describe(Generator.StopReason r) {
        return switch (r) {
            case LENGTH -> "length limit";
            case EOS -> "end of story (EOS)";
            case BOS -> "new story began (BOS)";
            case CANCELLED -> "stopped";
        };
    }

    /**
     * Opens the Inspect pane on the shown text (prompt and story; the prompt alone before a story is written). The
     * Inspect pane cuts it to the tokens it takes and says so.
     */
    public void inspect() {
        String text = model.story().tokenCount() > 0 ? model.story().text() : model.promptProperty().get();
        if (text == null || text.isBlank() || model.state().isBusy()) return;
        ctx.links().inspect(text);
    }

    /** Puts the shown text (prompt and story) on the clipboard. */
    public void copy() {
        ClipboardContent c = new ClipboardContent();
        c.putString(model.story().text());
        Clipboard.getSystemClipboard().setContent(c);
        model.setNotice("Copied " + String.format(Locale.ROOT, "%,d", model.story().length()) + " characters");
    }

    /** Saves the shown text to a file (atomically, off the FX thread). */
    public void save(Path file) {
        String text = model.story().text();
        ctx.engine().submit("save story", cancel -> {
            AtomicFiles.writeString(file, text);
            return null;
        }).result().whenComplete((v, err) -> ctx.fxThread().execute(() -> {
            if (err == null) model.setNotice("Saved to " + file);
            else model.setError("Could not save: " + ErrorText.describe(err));
        }));
    }

    public void applyPreset(Preset p) {
        model.knobs().apply(p);
    }

    public void newSeed() {
        model.knobs().newSeed();
    }

    private int threads() {
        return ctx.session().threadsProperty().get();
    }

    /** Stops work and lets go of the model (at exit). */
    public void dispose() {
        ctx.settings().setGeneration(model.knobs().toPrefs(threads(), model.promptProperty().get()));
        if (job != null) job.cancel();
        if (warmUp != null) warmUp.cancel();
        drain.stop();
        ctx.engine().submit("close generation engine", cancel -> {
            engine.close();
            return null;
        });
    }
}

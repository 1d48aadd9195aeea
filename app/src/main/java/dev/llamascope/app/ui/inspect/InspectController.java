package dev.llamascope.app.ui.inspect;

import dev.llamascope.engine.inference.Probe;
import dev.llamascope.engine.inference.inspect.AttentionSteps;
import dev.llamascope.engine.inference.inspect.Inspection;
import dev.llamascope.engine.inference.inspect.Inspector;
import dev.llamascope.engine.inference.inspect.LogitLens;
import dev.llamascope.engine.inference.inspect.ModelPart;
import dev.llamascope.engine.inference.inspect.RecordOptions;
import dev.llamascope.engine.inference.inspect.TensorSummary;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.tensor.ComputePool;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the engine work of the Inspect pane off the FX thread and hands results back on it: the inspection itself,
 * then its logit lens, and on demand a head's QKᵀ → mask → softmax steps, a part's weights and its activations.
 * A newer request makes older results stale: they are dropped when they arrive, so a slow long text never
 * overwrites the short one typed after it. A new model makes everything shown stale too (its tokens and shapes
 * belong to the old one): the results are cleared.
 */
public final class InspectController {
    /** Longest text the pane inspects (memory: layers x heads x n²/2 floats, twice). */
    public static final int MAX_TOKENS = 512;
    /** Pixels of weight and activation pictures (larger tensors are sampled down to this). */
    static final int PICTURE = 256;

    private final InspectModel model;
    private final Executor background;
    private final Consumer<Runnable> fx;
    private final ModelAccess access;
    private final AtomicLong generation = new AtomicLong();

    /**
     * @param background where engine work runs (one thread is enough; work is queued behind other inference)
     * @param fx         how results reach the FX thread ({@code Platform::runLater} in the app)
     * @param pool       the compute pool the forward passes use (this pane's alone)
     */
    public InspectController(InspectModel model, Executor background, Consumer<Runnable> fx, ComputePool pool) {
        this(model, background, fx, ModelAccess.direct(pool));
    }

    /** @param access how work keeps the model open and gets a compute pool (the app's session and lane) */
    public InspectController(InspectModel model, Executor background, Consumer<Runnable> fx, ModelAccess access) {
        this.model = model;
        this.background = background;
        this.fx = fx;
        this.access = access;
        model.modelProperty().addListener((o, a, b) -> modelChanged(b));
    }

    private void modelChanged(LoadedModel now) {
        generation.incrementAndGet(); // whatever is still computing belongs to the old model
        model.setResult(null);
        model.setNote(null);
        model.setState(InspectModel.State.IDLE, now == null ? "No model is loaded: load one first." : "Press Inspect to look inside the model.");
    }

    /** Inspects the model's current text; a text longer than the limit is an error. */
    public void inspect() {
        inspect(false);
    }

    /**
     * Inspects the model's current text.
     *
     * @param cutToLimit when the text has more tokens than the pane takes, inspect its first {@link #limit} tokens,
     *                   put their text in the box and say so in the note (instead of refusing it)
     */
    public void inspect(boolean cutToLimit) {
        LoadedModel lm = model.getModel();
        if (lm == null) {
            model.setState(InspectModel.State.ERROR, "No model is loaded: load one first.");
            return;
        }
        String text = model.textProperty().get();
        int k = model.topKProperty().get();
        long gen = generation.incrementAndGet();
        model.setNote(null);
        String running = "Running the text through the model with probes on …";
        model.setState(InspectModel.State.RUNNING, running);
        AtomicBoolean waited = new AtomicBoolean();
        CompletableFuture.supplyAsync(() -> {
            int[] all = lm.tokenizer().encode(text == null ? "" : text, true, false);
            int limit = limit(lm);
            int[] tokens = all;
            String cutText = null;
            if (all.length > limit) {
                if (!cutToLimit)
                    throw new IllegalArgumentException("the text has " + all.length + " tokens; the Inspect view takes at most " + limit);
                tokens = Arrays.copyOf(all, limit);
                cutText = lm.tokenizer().decode(tokens);
            }
            int[] input = tokens;
            return access.withCompute(lm, pool -> {
                if (waited.get()) fx.accept(() -> {
                    if (gen == generation.get()) model.setState(InspectModel.State.RUNNING, running);
                });
                long t0 = System.nanoTime();
                Inspection in = Inspector.inspect(lm.model(), lm.tokenizer(), input, RecordOptions.all(k), pool);
                return new Timed<>(in, System.nanoTime() - t0);
            }, () -> {
                waited.set(true);
                fx.accept(() -> {
                    if (gen == generation.get())
                        model.setState(InspectModel.State.RUNNING, "Waiting for the compute threads (a story is being written) …");
                });
            }, () -> gen != generation.get()).withCut(all.length, cutText);
        }, background).whenComplete((r, e) -> fx.accept(() -> {
            if (gen != generation.get()) return;
            if (e != null) {
                model.setResult(null);
                model.setState(InspectModel.State.ERROR, "Could not inspect: " + message(e));
                return;
            }
            if (r.cutText() != null) {
                model.textProperty().set(r.cutText());
                model.setNote(String.format(Locale.ROOT, "The text has %,d tokens; the Inspect view takes at most %d, so it shows the first %d "
                        + "(the rest was cut from the box).", r.allTokens(), r.value().positions(), r.value().positions()));
            }
            model.setResult(r.value());
            model.setState(InspectModel.State.RUNNING, String.format(Locale.ROOT, "%d tokens recorded in %.0f ms; computing the logit lens …",
                    r.value().positions(), r.nanos() / 1e6));
            lens(lm, r.value(), gen);
        }));
    }

    /** Most tokens the pane inspects with this model: {@link #MAX_TOKENS}, or the model's context when shorter. */
    public static int limit(LoadedModel lm) {
        return Math.min(MAX_TOKENS, lm.model().config().seqLen());
    }

    private void lens(LoadedModel lm, Inspection in, long gen) {
        CompletableFuture.supplyAsync(() -> access.withCompute(lm, pool -> {
            long t0 = System.nanoTime();
            return new Timed<>(LogitLens.compute(lm.model(), in.residuals(), in.positions(), 5, pool), System.nanoTime() - t0);
        }, () -> {}, () -> gen != generation.get()), background).whenComplete((r, e) -> fx.accept(() -> {
            if (gen != generation.get()) return;
            if (e != null) {
                model.setState(InspectModel.State.ERROR, "Could not compute the logit lens: " + message(e));
                return;
            }
            model.setLens(r.value());
            var c = in.config();
            model.setState(InspectModel.State.DONE, String.format(Locale.ROOT, "%d tokens · %d layers × %d heads (%d key/value heads) · logit lens in %.0f ms",
                    in.positions(), c.nLayers(), c.nHeads(), c.nKvHeads(), r.nanos() / 1e6));
        }));
    }

    /** The three steps of a head's attention, computed from the queries and keys of its layer. */
    public void steps(int layer, int head, Consumer<AttentionSteps> done, Consumer<String> failed) {
        Inspection in = model.getInspection();
        LoadedModel lm = model.getModel();
        if (in == null || lm == null) return;
        long gen = generation.get();
        run(gen, () -> access.withCompute(lm, pool -> {
            Map<Probe.Site, float[][]> qk = Inspector.activations(lm.model(), in.tokens(), layer, EnumSet.of(Probe.Site.Q_ROPE, Probe.Site.K_ROPE), pool);
            return AttentionSteps.of(in.config(), qk.get(Probe.Site.Q_ROPE), qk.get(Probe.Site.K_ROPE), head);
        }, () -> {}, () -> gen != generation.get()), done, failed);
    }

    /** A part's weights in a layer, sampled to a picture, with statistics over all of them (null for no weights). */
    public void weights(ModelPart part, int layer, Consumer<TensorSummary> done, Consumer<String> failed) {
        LoadedModel lm = model.getModel();
        if (lm == null) return;
        // Reading weights needs the model open but no compute pool: it does not wait for a running generation.
        run(generation.get(), () -> access.withModel(lm, () -> part.weights(lm.model(), layer, PICTURE, PICTURE)), done, failed);
    }

    /** A part's output for the current text (rows = positions), or null when it has no probe site. */
    public void activations(ModelPart part, int layer, Consumer<TensorSummary> done, Consumer<String> failed) {
        Inspection in = model.getInspection();
        LoadedModel lm = model.getModel();
        if (in == null || lm == null || part.site() == null) {
            fx.accept(() -> done.accept(null));
            return;
        }
        long gen = generation.get();
        run(gen, () -> access.withCompute(lm, pool -> TensorSummary.of(
                Inspector.activations(lm.model(), in.tokens(), part.site(), part.perLayer() ? layer : -1, pool), PICTURE, PICTURE),
                () -> {}, () -> gen != generation.get()), done, failed);
    }

    private <T> void run(long gen, Supplier<T> work, Consumer<T> done, Consumer<String> failed) {
        CompletableFuture.supplyAsync(work, background).whenComplete((r, e) -> fx.accept(() -> {
            if (gen != generation.get()) return;
            if (e != null) failed.accept(message(e));
            else done.accept(r);
        }));
    }

    private static String message(Throwable e) {
        while (e.getCause() != null && (e instanceof java.util.concurrent.CompletionException || e.getMessage() == null)) e = e.getCause();
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** A result and how long it took; for an inspection, also the text's full length and the cut text (or null). */
    private record Timed<T>(T value, long nanos, int allTokens, String cutText) {
        Timed(T value, long nanos) {
            this(value, nanos, -1, null);
        }

        Timed<T> withCut(int all, String cut) {
            return new Timed<>(value, nanos, all, cut);
        }
    }
}

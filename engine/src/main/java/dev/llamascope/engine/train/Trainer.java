package dev.llamascope.engine.train;

import dev.llamascope.engine.data.Batch;
import dev.llamascope.engine.data.BatchLoader;
import dev.llamascope.engine.inference.Generator;
import dev.llamascope.engine.inference.SamplerSettings;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.Llama2cCheckpoint;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.tokenizer.Utf8Stream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training run: the loop over optimizer steps around a {@link TrainBackend}. Per step: the learning rate from
 * the schedule, {@code accum} micro-batches forward and backward (gradients averaged), the gradient norm, clipping,
 * AdamW; then, when due, an eval loss on held-out batches, a sample story, and a checkpoint (llama2.c v0 model plus
 * a training-state folder to resume from). Events go to a {@link TrainListener}.
 *
 * <p>{@link #run()} blocks; a UI calls it on a background thread and controls it from another with {@link #pause()},
 * {@link #resume()} and {@link #stop()}, which take effect between steps. A stopped run saves a checkpoint when it
 * has somewhere to save.
 */
public final class Trainer {

    /** How the run ended. */
    public enum Status { COMPLETED, STOPPED, DIVERGED, FAILED }

    /** What the listener hears before the first step. */
    public record RunInfo(String device, TrainConfig config, long startStep, long parameters, String trainData, String evalData,
                          int trainUnits) {}

    /** The end of a run. */
    public record Result(Status status, long steps, double lastLoss, double lastEvalLoss, Path savedModel, String message) {}

    /** A story from the current weights every {@code every} steps (0 = never). */
    public record Sampling(int every, String prompt, int maxTokens, float temperature, long seed) {
        public static final Sampling OFF = new Sampling(0, "", 0, 0f, 0);

        public Sampling {
            if (every < 0 || maxTokens < 0) throw new IllegalArgumentException("sampling needs every >= 0 and max tokens >= 0");
        }
    }

    /** Where checkpoints go (null model = nowhere) and where step 0's gradients are dumped (null = not). */
    public record Outputs(Path model, Path dumpGradients) {
        public static final Outputs NONE = new Outputs(null, null);
    }

    private final TrainConfig cfg;
    private final TrainBackend backend;
    private final BatchLoader train, eval;
    private final Tokenizer tokenizer;
    private final Sampling sampling;
    private final Outputs outputs;
    private final TrainListener listener;
    private final Map<String, Object> dataMeta = new LinkedHashMap<>();

    private long step, microBatches, tokens;
    private volatile boolean stopRequested, pauseRequested;
    private final Object pauseLock = new Object();

    /**
     * @param eval      held-out batches, or null for no eval loss
     * @param tokenizer for samples (null = no samples)
     */
    public Trainer(TrainConfig cfg, TrainBackend backend, BatchLoader train, BatchLoader eval, Tokenizer tokenizer,
                   Sampling sampling, Outputs outputs, TrainListener listener) {
        this.cfg = cfg;
        this.backend = backend;
        this.train = train;
        this.eval = eval;
        this.tokenizer = tokenizer;
        this.sampling = sampling == null ? Sampling.OFF : sampling;
        this.outputs = outputs == null ? Outputs.NONE : outputs;
        this.listener = listener == null ? new TrainListener() {} : listener;
        dataMeta.put("description", train.set().description());
        dataMeta.put("tokens", train.set().tokenCount());
        dataMeta.put("units", train.units());
    }

    /** Continues from a saved state: weights, moments, step and data position (see {@link #checkResume}). */
    public void restore(TrainState s) {
        if (!s.weights().config().equals(backend.config()))
            throw new IllegalArgumentException("the saved state is of another model (" + s.weights().config() + ", not " + backend.config() + ")");
        if (s.step() > cfg.steps())
            throw new IllegalArgumentException("the saved state is at step " + s.step() + ", past --steps " + cfg.steps());
        backend.writeState(s.weights().data(), s.m(), s.v());
        step = s.step();
        microBatches = s.microBatches();
        tokens = s.tokens();
    }

    /** Differences between a saved state's run and this one that change what resuming means (empty = none). */
    public java.util.List<String> checkResume(TrainState s) {
        java.util.List<String> diffs = new java.util.ArrayList<>();
        Map<String, Object> run = runMeta();
        if (s.meta().get("run") instanceof Map<?, ?> saved) {
            for (Map.Entry<String, Object> e : run.entrySet()) {
                Object old = saved.get(e.getKey());
                if (old != null && !String.valueOf(old).equals(String.valueOf(e.getValue())))
                    diffs.add(e.getKey() + " was " + old + ", now " + e.getValue());
            }
        }
        if (s.meta().get("data") instanceof Map<?, ?> data) {
            Object t = data.get("tokens"), u = data.get("units");
            if (t != null && !String.valueOf(t).equals(String.valueOf(dataMeta.get("tokens"))))
                diffs.add("the training data had " + t + " tokens, now " + dataMeta.get("tokens"));
            else if (u != null && !String.valueOf(u).equals(String.valueOf(dataMeta.get("units"))))
                diffs.add("the training data had " + u + " units, now " + dataMeta.get("units"));
        }
        return diffs;
    }

    public long step() {
        return step;
    }

    /** Ends the run after the current step (it saves a checkpoint when it has somewhere to). */
    public void stop() {
        stopRequested = true;
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
    }

    /** Holds the run after the current step until {@link #resume()} or {@link #stop()}. */
    public void pause() {
        pauseRequested = true;
    }

    public void resume() {
        pauseRequested = false;
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
    }

    public boolean isPaused() {
        return pauseRequested;
    }

    /**
     * Runs to the last step (or until stopped, or until the loss is not finite). An error (a checkpoint that cannot be
     * written, a backend failure) reaches the listener as a FAILED result and is then thrown.
     */
    public Result run() throws IOException {
        try {
            return loop();
        } catch (IOException | RuntimeException | Error e) {
            listener.finished(new Result(Status.FAILED, step, Double.NaN, Double.NaN, null, String.valueOf(e.getMessage())));
            throw e;
        }
    }

    private Result loop() throws IOException {
        long t0 = System.nanoTime();
        listener.started(new RunInfo(backend.description(), cfg, step, backend.config().parameterCount(),
                train.set().description(), eval == null ? null : eval.set().description(), train.units()));
        double loss = Double.NaN, evalLoss = Double.NaN;
        Status status = Status.COMPLETED;
        String message = null;
        Path saved = null;
        boolean dumped = false;
        if (eval != null && step < cfg.steps()) listener.evaluated(step, evaluate());
        while (step < cfg.steps()) {
            if (pauseRequested && !stopRequested) waitWhilePaused();
            if (stopRequested) {
                status = Status.STOPPED;
                break;
            }
            long s0 = System.nanoTime();
            double lr = cfg.schedule().at(step);
            backend.zeroGradients();
            double sum = 0;
            for (int k = 0; k < cfg.accum(); k++) {
                Batch b = train.batch(microBatches);
                sum += backend.forwardBackward(b, 1f / cfg.accum(), Dropout.key(cfg.seed(), microBatches));
                microBatches++;
            }
            loss = sum / cfg.accum();
            double norm = backend.gradientNorm();
            if (!dumped && outputs.dumpGradients() != null) {
                float[] g = new float[(int) backend.config().parameterCount()];
                backend.readGradients(g);
                Llama2cCheckpoint.writeV0(outputs.dumpGradients(), new FlatWeights(backend.config(), g));
                dumped = true;
            }
            if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                status = Status.DIVERGED;
                message = "the loss diverged at step " + (step + 1) + " (loss " + loss + ", gradient norm " + norm
                        + "); try a lower learning rate";
                break;
            }
            backend.adamwStep(cfg.optimizer(), lr, AdamW.clipCoefficient(norm, cfg.gradClip()), step + 1);
            step++;
            tokens += cfg.tokensPerStep();
            double stepSeconds = (System.nanoTime() - s0) / 1e9;
            evalLoss = Double.NaN;
            if (eval != null && ((cfg.evalEvery() > 0 && step % cfg.evalEvery() == 0) || step == cfg.steps())) {
                evalLoss = evaluate();
                listener.evaluated(step, evalLoss);
            }
            listener.step(new StepMetrics(step, cfg.steps(), loss, norm, lr, tokens, cfg.tokensPerStep() / stepSeconds,
                    evalLoss, (System.nanoTime() - t0) / 1e9));
            if (sampling.every() > 0 && tokenizer != null && step % sampling.every() == 0) listener.sample(step, sample());
            if (outputs.model() != null && ((cfg.saveEvery() > 0 && step % cfg.saveEvery() == 0) || step == cfg.steps())) {
                saved = checkpoint();
            }
        }
        if (status == Status.STOPPED && outputs.model() != null && step > 0) saved = checkpoint();
        Result r = new Result(status, step, loss, evalLoss, saved, message);
        listener.finished(r);
        return r;
    }

    private void waitWhilePaused() {
        listener.paused(step, true);
        synchronized (pauseLock) {
            while (pauseRequested && !stopRequested) {
                try {
                    pauseLock.wait(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopRequested = true;
                }
            }
        }
        listener.paused(step, false);
    }

    /** Mean loss over the first eval batches of the held-out data (the same batches every time). */
    public double evaluate() {
        int batches = Math.max(1, Math.min(cfg.evalBatches(), eval.units() / cfg.batch()));
        double sum = 0;
        for (int i = 0; i < batches; i++) sum += backend.loss(eval.batch(i));
        return sum / batches;
    }

    /** The weights as they are now (a copy). */
    public FlatWeights snapshot() {
        float[] w = new float[(int) backend.config().parameterCount()];
        backend.readWeights(w);
        return new FlatWeights(backend.config(), w);
    }

    /** Writes the model and the training state; returns the model path. */
    public Path checkpoint() throws IOException {
        FlatWeights w = snapshot();
        Llama2cCheckpoint.writeV0(outputs.model(), w);
        float[] m = new float[w.data().length], v = new float[w.data().length];
        backend.readOptimizerState(m, v);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("run", runMeta());
        meta.put("data", dataMeta);
        meta.put("rng", Map.of("seed", cfg.seed(), "micro_batches", microBatches));
        Path dir = TrainState.folderFor(outputs.model());
        TrainState.save(dir, new TrainState(w, m, v, step, microBatches, tokens, meta));
        listener.checkpoint(step, outputs.model(), dir);
        return outputs.model();
    }

    private Map<String, Object> runMeta() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("batch", cfg.batch());
        r.put("seq", cfg.seq());
        r.put("accum", cfg.accum());
        r.put("steps", cfg.steps());
        r.put("lr", cfg.schedule().lr());
        r.put("lr_schedule", cfg.schedule().kind().name().toLowerCase(java.util.Locale.ROOT));
        r.put("warmup", cfg.schedule().warmup());
        r.put("min_lr", cfg.schedule().minLr());
        r.put("weight_decay", cfg.optimizer().weightDecay());
        r.put("beta1", cfg.optimizer().beta1());
        r.put("beta2", cfg.optimizer().beta2());
        r.put("eps", cfg.optimizer().eps());
        r.put("grad_clip", (double) cfg.gradClip());
        r.put("dropout", (double) cfg.dropout());
        r.put("order", cfg.order().name().toLowerCase(java.util.Locale.ROOT));
        r.put("seed", cfg.seed());
        return r;
    }

    /** A story from the current weights: the prompt, then up to maxTokens sampled tokens (stops at EOS or BOS). */
    public String sample() {
        FlatWeights w = snapshot();
        LlamaModel model = w.toModel("training snapshot", null);
        try (ComputePool pool = new ComputePool(1)) {
            Generator g = new Generator(new Transformer(model, pool), tokenizer);
            int[] prompt = tokenizer.encode(sampling.prompt(), true, false);
            int steps = Math.min(backend.config().seqLen(), prompt.length + sampling.maxTokens());
            StringBuilder sb = new StringBuilder();
            Utf8Stream utf8 = new Utf8Stream();
            g.generate(prompt, steps, SamplerSettings.runC(sampling.temperature(), 0.9f, sampling.seed() + step), true,
                    (pos, token, piece, logits) -> {
                        if (token != tokenizer.eos()) sb.append(utf8.feed(piece));
                    }, () -> stopRequested);
            return sb.append(utf8.finish()).toString();
        }
    }
}

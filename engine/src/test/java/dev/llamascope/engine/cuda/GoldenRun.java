package dev.llamascope.engine.cuda;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.data.BatchLoader;
import dev.llamascope.engine.data.DataOrder;
import dev.llamascope.engine.data.TokenStream;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.train.AdamW;
import dev.llamascope.engine.train.LrSchedule;
import dev.llamascope.engine.train.TrainBackend;
import dev.llamascope.engine.train.TrainConfig;
import dev.llamascope.engine.train.Trainer;
import dev.llamascope.engine.util.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The golden fine-tune (shared/golden/stories260K-finetune): its hyperparameters, data order and expected losses,
 * run on any accelerator through {@link CudaTrainer#step} or on any backend through the {@link Trainer} loop. Compares
 * every step's loss and gradient norm, the first step's gradients and the final weights.
 */
final class GoldenRun {
    record Outcome(float[] losses, float[] norms, double maxLossErr, double maxNormRelErr, double gradsStep0MaxErr,
                   double gradsStep0Scale, double finalWeightsMaxErr, String table) {}

    final Map<String, Object> golden;
    final Map<String, Object> hyper;
    final int batch, seq, steps;
    final float[] goldenLoss, goldenNorm;
    final int[] tokens;
    final Path dir;

    @SuppressWarnings("unchecked")
    GoldenRun() throws Exception {
        dir = SharedData.file("golden/stories260K-finetune/golden.json").getParent();
        golden = Json.parseObject(Files.readString(dir.resolve("golden.json")));
        hyper = (Map<String, Object>) golden.get("hyper");
        batch = (int) Json.integer(hyper, "batch", 0);
        seq = (int) Json.integer(hyper, "seq", 0);
        steps = (int) Json.integer(hyper, "steps", 0);
        List<Object> log = (List<Object>) golden.get("log");
        goldenLoss = new float[log.size()];
        goldenNorm = new float[log.size()];
        for (int i = 0; i < log.size(); i++) {
            Map<String, Object> e = (Map<String, Object>) log.get(i);
            goldenLoss[i] = (float) Json.number(e, "loss", Double.NaN);
            goldenNorm[i] = (float) Json.number(e, "grad_norm", Double.NaN);
        }
        byte[] raw = Files.readAllBytes(SharedData.file("data/tinystories-sample.tok512.u16"));
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        tokens = new int[raw.length / 2];
        for (int i = 0; i < tokens.length; i++) tokens[i] = bb.getShort(2 * i) & 0xffff;
    }

    StepSettings settings() {
        return new StepSettings((float) Json.number(hyper, "weight_decay", 0), (float) Json.number(hyper, "beta1", 0),
                (float) Json.number(hyper, "beta2", 0), (float) Json.number(hyper, "eps", 0), (float) Json.number(hyper, "grad_clip", 0),
                (float) Json.number(hyper, "dropout", 0), 0);
    }

    static FlatWeights load(Path p) throws Exception {
        try (LlamaModel m = ModelLoader.loadWeights(p)) {
            return FlatWeights.of(m);
        }
    }

    /** Sequential order: row r of step s uses window (s * B + r) mod W of the token stream. */
    void batch(int step, int[] x, int[] y) {
        int windows = (tokens.length - 1) / seq;
        for (int r = 0; r < batch; r++) {
            int j = (step * batch + r) % windows;
            for (int t = 0; t < seq; t++) {
                x[r * seq + t] = tokens[j * seq + t];
                y[r * seq + t] = tokens[j * seq + t + 1];
            }
        }
    }

    /**
     * The golden run through {@link CudaTrainer#step} directly (the benchmark's path): one call per optimizer step.
     */
    Outcome run(Accelerator acc, int stepsToRun) throws Exception {
        FlatWeights init = load(SharedData.file("models/stories260K/stories260K.bin"));
        float lr = (float) Json.number(hyper, "lr", 0);
        StepSettings s = settings();
        float[] losses = new float[stepsToRun], norms = new float[stepsToRun];
        float[] g0 = new float[init.data().length], wts = null;
        try (CudaTrainer tr = new CudaTrainer(acc, init)) {
            int[] x = new int[batch * seq], y = new int[batch * seq];
            for (int st = 0; st < stepsToRun; st++) {
                batch(st, x, y);
                StepResult r = tr.step(x, y, null, batch, seq, lr, s);
                losses[st] = r.loss();
                norms[st] = r.gradNorm();
                if (st == 0) tr.downloadGradients(g0);
            }
            if (stepsToRun == steps) {
                wts = new float[init.data().length];
                tr.downloadWeights(wts);
            }
        }
        return compare(losses, norms, g0, wts);
    }

    /** The golden hyperparameters as a training run (constant learning rate, sequential order, no eval). */
    TrainConfig trainConfig() {
        double lr = Json.number(hyper, "lr", 0);
        return new TrainConfig(batch, seq, steps, 1, new LrSchedule(LrSchedule.Kind.CONSTANT, lr, 0, 0, steps),
                new AdamW(Json.number(hyper, "beta1", 0), Json.number(hyper, "beta2", 0), Json.number(hyper, "eps", 0),
                        Json.number(hyper, "weight_decay", 0)),
                (float) Json.number(hyper, "grad_clip", 0), (float) Json.number(hyper, "dropout", 0), DataOrder.SEQUENTIAL, 0, 0, 1, 0);
    }

    /** The golden data in the golden order (BatchLoader's sequential order is golden/'s windows). */
    BatchLoader loader() {
        return new BatchLoader(new TokenStream(tokens, "golden tokens"), batch, seq, DataOrder.SEQUENTIAL, 0);
    }

    FlatWeights initial() throws Exception {
        return load(SharedData.file("models/stories260K/stories260K.bin"));
    }

    TrainBackend.Spec spec(boolean tf32) throws Exception {
        return new TrainBackend.Spec(initial().config(), batch, seq, (float) Json.number(hyper, "dropout", 0), 1, tf32);
    }

    /**
     * The golden run through the real {@link dev.llamascope.engine.train.Trainer} loop on a backend (closed after):
     * the losses and norms its listener hears, step 1's gradients from its --dump-grads-step0 file, the final weights
     * from the checkpoint it saves into {@code out}.
     */
    Outcome runTrainer(TrainBackend backend, Path out) throws Exception {
        Path model = out.resolve("golden-finetune.bin"), grads = out.resolve("golden-grads0.bin");
        TrainerRun r = TrainerRun.run(backend, new TrainerRun.Setup(trainConfig(), loader()).withOutputs(new Trainer.Outputs(model, grads)));
        if (r.result().status() != Trainer.Status.COMPLETED) throw new AssertionError("the run ended " + r.result());
        float[] losses = new float[r.steps().size()], norms = new float[losses.length];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = (float) r.steps().get(i).loss();
            norms[i] = (float) r.steps().get(i).gradNorm();
        }
        float[] saved = load(model).data();
        if (TrainerRun.maxAbsDiff(saved, r.weights()) != 0) throw new AssertionError("the saved checkpoint is not the backend's weights");
        return compare(losses, norms, load(grads).data(), losses.length == steps ? saved : null);
    }

    /** Every step against the golden log; step 1's gradients; the final weights when the whole run was made (else null). */
    private Outcome compare(float[] losses, float[] norms, float[] grads0, float[] finalWeights) throws Exception {
        double maxLoss = 0, maxNorm = 0, g0 = 0, g0scale = 0, wErr = Double.NaN;
        StringBuilder table = new StringBuilder("step  loss        golden      |diff|     grad norm   golden\n");
        for (int st = 0; st < losses.length; st++) {
            maxLoss = Math.max(maxLoss, Math.abs(losses[st] - goldenLoss[st]));
            maxNorm = Math.max(maxNorm, Math.abs(norms[st] - goldenNorm[st]) / goldenNorm[st]);
            table.append(String.format(Locale.ROOT, "%4d  %.7f  %.7f  %.2e   %.6f    %.6f%n", st + 1, losses[st], goldenLoss[st],
                    Math.abs(losses[st] - goldenLoss[st]), norms[st], goldenNorm[st]));
        }
        float[] want = load(dir.resolve("grads_step0.bin")).data();
        for (int i = 0; i < grads0.length; i++) {
            g0 = Math.max(g0, Math.abs(grads0[i] - want[i]));
            g0scale = Math.max(g0scale, Math.abs(want[i]));
        }
        if (finalWeights != null) wErr = TrainerRun.maxAbsDiff(finalWeights, load(dir.resolve("weights_final.bin")).data());
        return new Outcome(losses, norms, maxLoss, maxNorm, g0, g0scale, wErr, table.toString());
    }

    static List<String> summary(Outcome o) {
        List<String> l = new ArrayList<>();
        l.add(String.format(Locale.ROOT, "max |loss - golden| = %.3e, max relative grad-norm error = %.3e", o.maxLossErr(), o.maxNormRelErr()));
        l.add(String.format(Locale.ROOT, "step-1 gradients: max abs error %.3e (largest gradient %.3e)", o.gradsStep0MaxErr(), o.gradsStep0Scale()));
        if (!Double.isNaN(o.finalWeightsMaxErr())) l.add(String.format(Locale.ROOT, "final weights: max abs error %.3e", o.finalWeightsMaxErr()));
        return l;
    }
}

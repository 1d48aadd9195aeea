package dev.llamascope.engine.cuda;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.ModelLoader;
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
 * run on any accelerator through {@link CudaTrainer}. Compares every step's loss and gradient norm, the first step's
 * gradients and the final weights.
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

    Outcome run(Accelerator acc, int stepsToRun) throws Exception {
        FlatWeights init = load(SharedData.file("models/stories260K/stories260K.bin"));
        float lr = (float) Json.number(hyper, "lr", 0);
        StepSettings s = settings();
        float[] losses = new float[stepsToRun], norms = new float[stepsToRun];
        double maxLoss = 0, maxNorm = 0, g0 = Double.NaN, g0scale = 0, wErr = Double.NaN;
        StringBuilder table = new StringBuilder("step  loss        golden      |diff|     grad norm   golden\n");
        try (CudaTrainer tr = new CudaTrainer(acc, init)) {
            int[] x = new int[batch * seq], y = new int[batch * seq];
            for (int st = 0; st < stepsToRun; st++) {
                batch(st, x, y);
                StepResult r = tr.step(x, y, null, batch, seq, lr, s);
                losses[st] = r.loss();
                norms[st] = r.gradNorm();
                maxLoss = Math.max(maxLoss, Math.abs(r.loss() - goldenLoss[st]));
                maxNorm = Math.max(maxNorm, Math.abs(r.gradNorm() - goldenNorm[st]) / goldenNorm[st]);
                table.append(String.format(Locale.ROOT, "%4d  %.7f  %.7f  %.2e   %.6f    %.6f%n", st + 1, r.loss(), goldenLoss[st],
                        Math.abs(r.loss() - goldenLoss[st]), r.gradNorm(), goldenNorm[st]));
                if (st == 0) {
                    float[] g = new float[init.data().length];
                    tr.downloadGradients(g);
                    float[] want = load(dir.resolve("grads_step0.bin")).data();
                    g0 = 0;
                    for (int i = 0; i < g.length; i++) {
                        g0 = Math.max(g0, Math.abs(g[i] - want[i]));
                        g0scale = Math.max(g0scale, Math.abs(want[i]));
                    }
                }
            }
            if (stepsToRun == steps) {
                float[] wts = new float[init.data().length];
                tr.downloadWeights(wts);
                float[] want = load(dir.resolve("weights_final.bin")).data();
                wErr = 0;
                for (int i = 0; i < wts.length; i++) wErr = Math.max(wErr, Math.abs(wts[i] - want[i]));
            }
        }
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

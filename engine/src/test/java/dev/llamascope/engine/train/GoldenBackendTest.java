package dev.llamascope.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.data.Batch;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.Llama2cCheckpoint;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.util.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The golden fine-tune through the backend directly (the CLI path is tested in the app module). */
class GoldenBackendTest {
    static int TRACE1 = Integer.getInteger("t1", 0), TRACE2 = Integer.getInteger("t2", 0);
    @Test
    void reproducesGoldenRun() throws Exception {
        Path dir = SharedData.file("golden/stories260K-finetune");
        Map<String, Object> golden = Json.parseObject(Files.readString(dir.resolve("golden.json")));
        @SuppressWarnings("unchecked") List<Map<String, Object>> log = (List<Map<String, Object>>) golden.get("log");
        FlatWeights w;
        try (LlamaModel m = Llama2cCheckpoint.read(SharedData.file("models/stories260K/stories260K.bin"))) {
            w = FlatWeights.of(m);
        }
        FlatWeights gradsGolden, finalGolden;
        try (LlamaModel m = Llama2cCheckpoint.read(dir.resolve("grads_step0.bin"))) {
            gradsGolden = FlatWeights.of(m);
        }
        try (LlamaModel m = Llama2cCheckpoint.read(dir.resolve("weights_final.bin"))) {
            finalGolden = FlatWeights.of(m);
        }
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(SharedData.file("data/tinystories-sample.tok512.u16"))).order(ByteOrder.LITTLE_ENDIAN);
        int[] tokens = new int[bb.remaining() / 2];
        for (int i = 0; i < tokens.length; i++) tokens[i] = bb.getShort() & 0xffff;
        int B = 4, T = 64, W = (tokens.length - 1) / T;
        AdamW opt = new AdamW(0.9, 0.95, 1e-8, 0.1);
        try (CpuTrainBackend be = new CpuTrainBackend(w, new TrainBackend.Spec(w.config(), B, T, 0f, 2))) {
            for (int s = 0; s < 10; s++) {
                int[] x = new int[B * T], y = new int[B * T];
                for (int r = 0; r < B; r++) {
                    int j = (s * B + r) % W;
                    System.arraycopy(tokens, j * T, x, r * T, T);
                    System.arraycopy(tokens, j * T + 1, y, r * T, T);
                }
                be.zeroGradients();
                double loss = be.forwardBackward(new Batch(B, T, x, y), 1f, 0);
                double norm = be.gradientNorm();
                double gl = Json.number(log.get(s), "loss", 0), gn = Json.number(log.get(s), "grad_norm", 0);
                System.out.printf("step %d loss %.7f (golden %.7f, diff %.2e) norm %.6f (golden %.6f, rel %.2e)%n", s + 1, loss, gl, loss - gl, norm, gn, Math.abs(norm - gn) / gn);
                if (s == 0) {
                    float[] g = new float[w.data().length];
                    be.readGradients(g);
                    report("grads step0", w, g, gradsGolden.data());
                }
                float[] gg = new float[w.data().length]; be.readGradients(gg);
                float[] ww = w.data().clone();
                be.adamwStep(opt, 1e-3, AdamW.clipCoefficient(norm, 1f), s + 1);
                for (int idx : new int[]{TRACE1, TRACE2}) System.out.printf("  trace %d step %d: w %.9g g %.9g -> %.9g%n", idx, s+1, ww[idx], gg[idx], w.data()[idx]);
            }
            report("final weights", w, w.data(), finalGolden.data());
        }
    }

    static final java.util.List<Integer> WORST = new java.util.ArrayList<>();
    static void report(String what, FlatWeights layout, float[] a, float[] b) {
        for (FlatWeights.Kind k : FlatWeights.Kind.values()) {
            for (int l = 0; l < layout.count(k); l++) {
                int o = layout.offset(k, l), n = layout.numel(k);
                double max = 0, diff = 0;
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, Math.abs(b[o + i]));
                    diff = Math.max(diff, Math.abs(a[o + i] - b[o + i]));
                }
                System.out.printf("%s %s[%d]: max |diff| / max = %.3e%n", what, k, l, diff / max);
                if (diff / max > 2e-5) {
                    int worst = 0; double wd = 0;
                    for (int i = 0; i < n; i++) if (Math.abs(a[o + i] - b[o + i]) > wd) { wd = Math.abs(a[o + i] - b[o + i]); worst = i; }
                    System.out.printf("   worst at %d (abs " + (o + worst) + "): ours %.9g golden %.9g init-grad? max %.4g%n", worst, a[o + worst], b[o + worst], max);
                    WORST.add(o + worst);
                }
            }
        }
    }
}

package dev.llamascope.engine.cuda;

import dev.llamascope.engine.data.Batch;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelShapes;
import dev.llamascope.engine.train.AdamW;
import dev.llamascope.engine.train.TrainBackend;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training throughput on a GPU for a model shape with random weights and random tokens (speed depends only on the
 * shape): warm-up steps, then timed steps; prints tokens per second and a JSON line. Run by bench/run-gpu-bench.sh
 * beside the PyTorch eager reference (bench/torch_bench.py) on the same GPU:
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp llamascope-engine.jar \
 *     dev.llamascope.engine.cuda.GpuTrainBench --shape stories110M --batch 32 --seq 256 --steps 20 [--tf32] [--no-cublas] [--backend]</pre>
 * By default a step is one {@link CudaTrainer#step} (queued at once, one wait). With {@code --backend} it is what
 * {@code llamascope train --device cuda} does per step through {@link CudaTrainBackend}: zero the gradients, forward and
 * backward (waits for the loss), the gradient norm (waits), AdamW with the clipping coefficient uploaded.
 */
public final class GpuTrainBench {
    private GpuTrainBench() {}

    public static void main(String[] argv) {
        String shape = "stories15M";
        int batch = 32, seq = 256, steps = 20, warmup = 3, device = 0;
        boolean tf32 = false, cublas = true, viaBackend = false;
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--shape" -> shape = argv[++i];
                case "--batch" -> batch = Integer.parseInt(argv[++i]);
                case "--seq" -> seq = Integer.parseInt(argv[++i]);
                case "--steps" -> steps = Integer.parseInt(argv[++i]);
                case "--warmup" -> warmup = Integer.parseInt(argv[++i]);
                case "--device" -> device = Integer.parseInt(argv[++i]);
                case "--tf32" -> tf32 = true;
                case "--no-cublas" -> cublas = false;
                case "--backend" -> viaBackend = true;
                default -> {
                    System.err.println("usage: GpuTrainBench [--shape NAME|SPEC] [--batch B] [--seq T] [--steps N] [--warmup N] [--device I] [--tf32] [--no-cublas] [--backend]");
                    System.exit(2);
                }
            }
        }
        ModelConfig c = ModelShapes.parse(shape);
        if (seq > c.seqLen()) c = c.withSeqLen(seq);
        HostSystem host = HostSystem.current();
        GpuReport report = CudaDevices.probe(host);
        if (!report.usable()) {
            System.err.println("GpuTrainBench: " + report.unusableReason());
            System.exit(1);
        }
        CudaAccelerator acc = null;
        try {
            acc = new CudaAccelerator(CudaDriver.load(host), new CudaAccelerator.Options(device, cublas, tf32), host);
            run(acc, c, shape, batch, seq, steps, warmup, tf32, viaBackend);
        } catch (CudaException e) {
            System.err.println("GpuTrainBench: " + e.getMessage());
            System.exit(1);
        } finally {
            if (acc != null && !viaBackend) acc.close();  // a backend closes its accelerator itself
        }
    }

    private static void run(CudaAccelerator acc, ModelConfig c, String shape, int batch, int seq, int steps, int warmup, boolean tf32,
                            boolean viaBackend) {
        TrainBackend.Spec spec = new TrainBackend.Spec(c, batch, seq, 0f, 1, tf32);
        try (CudaTrainer tr = viaBackend ? null : new CudaTrainer(acc, FlatWeights.random(c, 1));
             CudaTrainBackend be = viaBackend ? new CudaTrainBackend(acc, FlatWeights.random(c, 1), spec, "GPU") : null) {
            SplittableRandom rng = new SplittableRandom(2);
            int n = batch * seq;
            int[] x = new int[n], y = new int[n];
            StepSettings s = StepSettings.llama2c();
            AdamW opt = new AdamW(s.beta1(), s.beta2(), s.eps(), s.weightDecay());
            long[] free = acc.memoryInfo();
            double[] ms = new double[steps];
            float loss = 0;
            for (int i = 0; i < warmup + steps; i++) {
                for (int j = 0; j < n; j++) {
                    x[j] = rng.nextInt(c.vocabSize());
                    y[j] = rng.nextInt(c.vocabSize());
                }
                long t0 = System.nanoTime();
                if (tr != null) {
                    loss = tr.step(x, y, null, batch, seq, 1e-4f, s).loss();  // waits for the step (it downloads the loss)
                } else {
                    be.zeroGradients();
                    loss = (float) be.forwardBackward(new Batch(batch, seq, x, y), 1f, 0);
                    double norm = be.gradientNorm();
                    be.adamwStep(opt, 1e-4, AdamW.clipCoefficient(norm, s.gradClip()), i + 1);
                    acc.synchronize();
                }
                if (i >= warmup) ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            double median = sorted[steps / 2], mean = Arrays.stream(ms).average().orElse(0);
            double tokS = n / (median / 1000);
            long used = free[1] - acc.memoryInfo()[0];
            System.out.printf(Locale.ROOT, "llamascope %s %s%s: %d params, batch %d x %d, %s%n", shape, tf32 ? "tf32" : "fp32",
                    viaBackend ? " (through CudaTrainBackend)" : "", c.parameterCount(), batch, seq, acc.description());
            System.out.printf(Locale.ROOT, "  step median %.1f ms (mean %.1f), %.0f tokens/s, loss %.3f, GPU memory in use %.2f GiB%n", median, mean,
                    tokS, loss, used / (double) (1L << 30));
            System.out.printf(Locale.ROOT, "RESULT {\"impl\":\"%s\",\"shape\":\"%s\",\"precision\":\"%s\",\"matmul\":\"%s\",\"batch\":%d,"
                            + "\"seq\":%d,\"median_ms\":%.2f,\"tokens_per_s\":%.0f}%n", viaBackend ? "llamascope-train" : "llamascope", shape,
                    tf32 ? "tf32" : "fp32", acc.matmul().name(), batch, seq, median, tokS);
        }
    }
}

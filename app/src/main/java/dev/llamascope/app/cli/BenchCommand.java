package dev.llamascope.app.cli;

import dev.llamascope.engine.inference.KvCache;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tensor.Kernels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bench}: decode and prefill speed. Each round runs a prefill of P random prompt tokens into an empty
 * cache, ending with the logits of the last one, from which the first token is chosen (so that time is the time
 * to first token of a P-token prompt), then S greedy decode steps from position 0.
 * The first round of the fresh JVM is the cold figure (JIT warm-up included). Then uncounted warm-up rounds run
 * for {@code --warmup} seconds, and the warm figures are medians of the R rounds after them. Why the warm-up: C2
 * compiles the kernels in the background, on the same two cores, for a second or two; for stories15M, whose round
 * takes 0.1 s, the three rounds after the cold one ran at 3,200-3,600 prefill tok/s and the later ones at
 * 5,100-8,300, so a median over rounds 1-8 measured the compiler more than the engine. llama-bench, the peer's tool,
 * likewise runs an uncounted warm-up round. Weight loading is outside every timer.
 */
public final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure decode and prefill tokens/s, cold and warm";
    }

    @Override
    public String usage() {
        return "llamascope bench [CHECKPOINT|NAME] [--threads N] [--prompt-tokens P=256] [--steps S=128] [--runs R=5] [--warmup SECONDS=3] [--quantize q8_0] [--context N] [--json]";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("--threads", "--prompt-tokens", "--steps", "--runs", "--warmup", "--quantize", "--context"),
                List.of("--json", "-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            return 0;
        }
        Path p = ModelArgument.resolve(a.positional().isEmpty() ? null : a.positional().getFirst(), "bench MODEL.bin");
        a.maxPositional(1);
        int threads = a.integer("--threads", ComputePool.defaultThreads());
        int promptTokens = a.integer("--prompt-tokens", 256);
        int steps = a.integer("--steps", 128);
        int runs = a.integer("--runs", 5);
        int warmupSeconds = a.integer("--warmup", 3);
        if (threads < 1 || promptTokens < 1 || steps < 1 || runs < 1)
            throw new Args.UsageException("--threads, --prompt-tokens, --steps and --runs must be at least 1");
        if (warmupSeconds < 0) throw new Args.UsageException("--warmup must be 0 or more seconds");
        try (LlamaModel m = ModelLoader.loadWeights(p, GenerateCommand.loadOptions(a)); ComputePool pool = new ComputePool(threads)) {
            ModelConfig c = m.config();
            if (promptTokens > c.seqLen() || steps > c.seqLen())
                throw new IllegalArgumentException("the context of " + c.seqLen() + " tokens is too short for --prompt-tokens "
                        + promptTokens + " / --steps " + steps);
            Transformer t = new Transformer(m, pool);
            int[] prompt = new SplittableRandom(42).ints(promptTokens, 3, c.vocabSize()).toArray();
            prompt[0] = 1;
            double[] decode = new double[runs + 1], prefill = new double[runs + 1], ttft = new double[runs + 1];
            // With one thread, the rates by the thread's CPU time too: they hold on a busy machine, where wall time does not.
            double[] decodeCpu = new double[runs + 1], prefillCpu = new double[runs + 1];
            int warmupRounds = 0;
            for (int r = 0; r <= runs; r++) {
                if (r == 1) {
                    long end = System.nanoTime() + warmupSeconds * 1_000_000_000L;
                    while (System.nanoTime() < end) {
                        Round w = round(t, c, prompt, steps);
                        warmupRounds++;
                        System.err.printf(Locale.ROOT, "warm-up round %d (not counted): decode %.1f tok/s, prefill %.1f tok/s%n",
                                warmupRounds, w.decode, w.prefill);
                    }
                }
                Round measured = round(t, c, prompt, steps);
                decode[r] = measured.decode;
                prefill[r] = measured.prefill;
                ttft[r] = measured.ttftMs;
                decodeCpu[r] = measured.decodeCpu;
                prefillCpu[r] = measured.prefillCpu;
                System.err.printf(Locale.ROOT, "round %d%s: decode %.1f tok/s, prefill %.1f tok/s, ttft %.1f ms%n",
                        r, r == 0 ? " (cold)" : "", decode[r], prefill[r], ttft[r]);
            }
            double dW = median(decode), pW = median(prefill), tW = median(ttft);
            var out = Cli.utf8Stdout();
            out.printf(Locale.ROOT, "model %s (%s, %s), %d threads%n", p, c, m.weightTypes(), threads);
            out.printf(Locale.ROOT, "decode  %d tokens:  warm %.1f tok/s (median of %d, after %d warm-up rounds), cold %.1f tok/s%n",
                    steps, dW, runs, warmupRounds, decode[0]);
            out.printf(Locale.ROOT, "prefill %d tokens:  warm %.1f tok/s, cold %.1f tok/s%n", promptTokens, pW, prefill[0]);
            out.printf(Locale.ROOT, "time to first token: warm %.1f ms, cold %.1f ms%n", tW, ttft[0]);
            if (threads == 1)
                out.printf(Locale.ROOT, "by CPU time (1 thread): decode %.1f tok/s, prefill %.1f tok/s (medians)%n", median(decodeCpu), median(prefillCpu));
            if (a.flag("--json")) {
                out.printf(Locale.ROOT, "{\"model\":\"%s\",\"threads\":%d,\"prompt_tokens\":%d,\"steps\":%d,\"runs\":%d,\"warmup_rounds\":%d,"
                                + "\"decode_tok_s_warm\":%.2f,\"decode_tok_s_cold\":%.2f,\"prefill_tok_s_warm\":%.2f,"
                                + "\"prefill_tok_s_cold\":%.2f,\"ttft_ms\":%.3f,\"ttft_ms_cold\":%.3f,\"decode_tok_s_runs\":%s,\"prefill_tok_s_runs\":%s}%n",
                        p.toString().replace("\\", "\\\\").replace("\"", "\\\""), threads, promptTokens, steps, runs, warmupRounds,
                        dW, decode[0], pW, prefill[0], tW, ttft[0], json(decode), json(prefill));
            }
            out.flush();
        }
        return 0;
    }

    /** One round's rates: tok/s by wall time and by this thread's CPU time, and the prefill's time to first token. */
    private record Round(double decode, double prefill, double ttftMs, double decodeCpu, double prefillCpu) {}

    /** A prefill of the prompt into an empty cache up to the first token's choice, then S greedy steps from position 0. */
    private static Round round(Transformer t, ModelConfig c, int[] prompt, int steps) {
        var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        int promptTokens = prompt.length;
        KvCache cache = new KvCache(c);
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        float[] logits = t.prefill(cache, prompt, 0, promptTokens, 0, true);
        Kernels.argmax(logits, c.vocabSize());
        long t1 = System.nanoTime();
        double prefillCpu = promptTokens * 1e9 / Math.max(1, cpu.getCurrentThreadCpuTime() - c0);
        cache = new KvCache(c);
        int token = 1;
        long c3 = cpu.getCurrentThreadCpuTime();
        long t3 = System.nanoTime();
        for (int pos = 0; pos < steps; pos++) {
            float[] l = t.forward(cache, token, pos);
            token = Kernels.argmax(l, c.vocabSize());
        }
        long t4 = System.nanoTime();
        double decodeCpu = steps * 1e9 / Math.max(1, cpu.getCurrentThreadCpuTime() - c3);
        return new Round(steps * 1e9 / (t4 - t3), promptTokens * 1e9 / (t1 - t0), (t1 - t0) / 1e6, decodeCpu, prefillCpu);
    }

    /** Median of the warm rounds (all but the first). */
    static double median(double[] v) {
        double[] w = Arrays.copyOfRange(v, 1, v.length);
        Arrays.sort(w);
        int n = w.length;
        return n % 2 == 1 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;
    }

    private static String json(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", v[i]));
        return sb.append(']').toString();
    }
}

package dev.llamascope.app.cli;

import dev.llamascope.engine.train.StepMetrics;
import dev.llamascope.engine.train.TrainListener;
import dev.llamascope.engine.train.Trainer;
import dev.llamascope.engine.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code train} prints: one line per step on stdout (text, or one JSON object with --log-json: step, loss,
 * grad_norm before clipping, lr, tokens, tok_per_s, eval_loss on eval steps, elapsed_s), everything else on stderr.
 */
final class TrainConsole implements TrainListener {
    private final PrintStream out, err;
    private final boolean json;
    private final List<Double> speeds = new ArrayList<>(), cpuSeconds = new ArrayList<>();
    private long startStep;
    private double lastCpu = cpu();

    TrainConsole(PrintStream out, PrintStream err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    @Override
    public void started(Trainer.RunInfo info) {
        startStep = info.startStep();
        err.printf(Locale.ROOT, "llamascope: %s, steps %d..%d, %d tokens per step%n", info.device(), info.startStep() + 1,
                info.config().steps(), info.config().tokensPerStep());
    }

    @Override
    public void step(StepMetrics m) {
        speeds.add(m.tokensPerSecond());
        double now = cpu();
        cpuSeconds.add(now - lastCpu);
        lastCpu = now;
        out.println(json ? jsonLine(m) : textLine(m));
        out.flush();
    }

    @Override
    public void evaluated(long step, double evalLoss) {
        if (step == startStep) err.printf(Locale.ROOT, "llamascope: eval loss before step %d: %.4f%n", step + 1, evalLoss);
    }

    @Override
    public void sample(long step, String text) {
        err.printf(Locale.ROOT, "llamascope: sample at step %d: %s%n", step, text.replace("\n", " "));
    }

    @Override
    public void checkpoint(long step, Path model, Path folder) {
        err.printf(Locale.ROOT, "llamascope: step %d saved %s (resume with --resume %s)%n", step, model, folder);
    }

    /** The median tokens/s of the steps after the first (which warms the JIT up). */
    double medianTokensPerSecond() {
        return median(speeds);
    }

    /**
     * The median CPU time of the process per step (all threads; after the first step): unlike tokens/s it hardly
     * depends on what else the machine runs, so it compares runs on a busy machine. 0 where the OS does not say.
     */
    double medianCpuSecondsPerStep() {
        return median(cpuSeconds);
    }

    private static double median(List<Double> v) {
        if (v.isEmpty()) return 0;
        List<Double> s = new ArrayList<>(v.size() > 2 ? v.subList(1, v.size()) : v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double cpu() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    static String jsonLine(StepMetrics m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("step", m.step());
        o.put("loss", m.loss());
        o.put("grad_norm", m.gradNorm());
        o.put("lr", m.lr());
        o.put("tokens", m.tokens());
        o.put("tok_per_s", Math.round(m.tokensPerSecond() * 10) / 10.0);
        if (m.hasEval()) o.put("eval_loss", m.evalLoss());
        o.put("elapsed_s", Math.round(m.seconds() * 1000) / 1000.0);
        return Json.write(o);
    }

    static String textLine(StepMetrics m) {
        return String.format(Locale.ROOT, "step %d/%d | loss %.4f%s | lr %.3e | grad norm %.4f | %.0f tok/s",
                m.step(), m.totalSteps(), m.loss(), m.hasEval() ? String.format(Locale.ROOT, " | eval %.4f", m.evalLoss()) : "",
                m.lr(), m.gradNorm(), m.tokensPerSecond());
    }
}

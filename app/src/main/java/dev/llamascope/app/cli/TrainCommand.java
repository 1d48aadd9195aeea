package dev.llamascope.app.cli;

import dev.llamascope.engine.cuda.CudaException;
import dev.llamascope.engine.cuda.CudaTrainBackend;
import dev.llamascope.engine.cuda.CudaTrainer;
import dev.llamascope.engine.data.BatchLoader;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataOrder;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.data.TrainData;
import dev.llamascope.engine.data.TrainingSet;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.train.AdamW;
import dev.llamascope.engine.train.CpuTrainBackend;
import dev.llamascope.engine.train.LrSchedule;
import dev.llamascope.engine.train.TrainBackend;
import dev.llamascope.engine.train.TrainBackends;
import dev.llamascope.engine.train.TrainConfig;
import dev.llamascope.engine.train.TrainInit;
import dev.llamascope.engine.train.TrainSetup;
import dev.llamascope.engine.train.TrainState;
import dev.llamascope.engine.train.Trainer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code train}: fine-tune a checkpoint or train a shape from scratch, on the CPU or an NVIDIA GPU ({@code --device}).
 * One line per step on stdout (human-readable, or one JSON object with {@code --log-json}); what is being trained,
 * checkpoints and samples on stderr. A GPU that cannot be used is one line saying why, exit code 1.
 */
public final class TrainCommand implements Command {
    private final PrintStream out, err;

    public TrainCommand() {
        this(null, System.err);
    }

    /** With explicit streams (tests); a null out means UTF-8 stdout. */
    public TrainCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "fine-tune a checkpoint or train a model from scratch";
    }

    @Override
    public String usage() {
        return "llamascope train --init CKPT|SHAPE --data FILE [-z TOKENIZER]"
                + " [--format auto|tokens|text|jsonl|alpaca|belle|sharegpt|moss|dolly] --batch B --seq T --steps N --lr LR"
                + " [--lr-schedule constant|cosine] [--warmup W] [--min-lr M] [--weight-decay 0.1] [--beta1 0.9] [--beta2 0.95]"
                + " [--eps 1e-8] [--grad-clip 1.0] [--dropout 0] [--accum K] [--order sequential|shuffle] [--seed S]"
                + " [--eval-every E] [--eval-data FILE] [--eval-batches 8] [--save OUT.bin] [--save-every K] [--resume DIR]"
                + " [--device cpu|cuda|cuda:N|auto] [--tf32] [--threads N] [--log-json] [--dump-grads-step0 FILE]"
                + " [--template alpaca|chat] [--sample-every K] [--sample-prompt TEXT] [--sample-tokens 64]";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("--init", "--data", "-z|--tokenizer", "--format", "--batch", "--seq", "--steps", "--lr",
                "--lr-schedule", "--warmup", "--min-lr", "--weight-decay", "--beta1", "--beta2", "--eps", "--grad-clip", "--dropout",
                "--accum", "--order", "--seed", "--eval-every", "--eval-data", "--eval-batches", "--save", "--save-every", "--resume",
                "--device", "--threads", "--dump-grads-step0", "--template", "--sample-every", "--sample-prompt", "--sample-tokens"),
                List.of("--log-json", "--tf32", "-h|--help"));
        if (a.flag("-h")) {
            err.println("usage: " + usage());
            return 0;
        }
        a.maxPositional(0);
        PrintStream stdout = out != null ? out : Cli.utf8Stdout();
        Path resume = a.path("--resume");
        String init = a.string("--init", null);
        if (init == null && resume == null) throw new Args.UsageException("missing --init CKPT|SHAPE (or --resume DIR)");
        Path dataPath = a.path("--data");
        if (dataPath == null) throw new Args.UsageException("missing --data FILE");
        int batch = required(a, "--batch"), seq = required(a, "--seq");
        if (!a.has("--steps")) throw new Args.UsageException("missing --steps N");
        long steps = a.longValue("--steps", 0);
        if (!a.has("--lr")) throw new Args.UsageException("missing --lr LR");
        double lr = doubleOpt(a, "--lr", 0);
        LrSchedule.Kind kind;
        DataOrder order;
        DataFormat format;
        PromptTemplate template;
        try {
            kind = LrSchedule.Kind.parse(a.string("--lr-schedule", "constant"));
            order = DataOrder.parse(a.string("--order", "sequential"));
            format = DataFormat.parse(a.string("--format", "auto"));
            template = PromptTemplate.named(a.string("--template", "alpaca"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        int warmup = a.integer("--warmup", 0);
        double minLr = doubleOpt(a, "--min-lr", 0);
        AdamW opt = new AdamW(doubleOpt(a, "--beta1", 0.9), doubleOpt(a, "--beta2", 0.95), doubleOpt(a, "--eps", 1e-8),
                doubleOpt(a, "--weight-decay", 0.1));
        float clip = a.number("--grad-clip", 1.0f), dropout = a.number("--dropout", 0f);
        int accum = a.integer("--accum", 1);
        long seed = a.longValue("--seed", 1337);
        int evalEvery = a.integer("--eval-every", 0), evalBatches = a.integer("--eval-batches", 8);
        Path evalData = a.path("--eval-data");
        Path save = a.path("--save");
        int saveEvery = a.integer("--save-every", 0);
        if (saveEvery > 0 && save == null) throw new Args.UsageException("--save-every needs --save OUT.bin");
        int threads = a.integer("--threads", ComputePool.defaultThreads());
        if (threads < 1 || threads > 1024) throw new Args.UsageException("--threads must be between 1 and 1024");
        int sampleEvery = a.integer("--sample-every", 0);
        Trainer.Sampling sampling = new Trainer.Sampling(sampleEvery, a.string("--sample-prompt", "Once upon a time"),
                a.integer("--sample-tokens", 64), 0.8f, seed);
        boolean json = a.flag("--log-json");
        TrainConfig cfg;
        try {
            cfg = new TrainConfig(batch, seq, steps, accum, new LrSchedule(kind, lr, warmup, minLr, Math.max(1, steps)), opt, clip,
                    dropout, order, seed, evalEvery, evalBatches, saveEvery);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        boolean tf32 = a.flag("--tf32");
        TrainBackends.Selection device;
        try {
            device = TrainBackends.select(a.string("--device", "cpu"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());  // an unknown name; an unusable GPU is an IllegalStateException
        }
        TrainBackend.Factory factory = device.factory();
        if (device.note() != null) err.println("llamascope: " + device.note());
        if (tf32 && factory instanceof CpuTrainBackend.Factory)
            err.println("llamascope: note: --tf32 changes GPU matrix multiplies only; the CPU trains in fp32");

        // the model: a saved training state, a checkpoint, or a shape with random weights
        Path tokPath = a.path("-z");
        TrainInit start;
        if (resume != null) {
            start = TrainInit.resume(resume);
            if (init != null) err.println("llamascope: note: --resume takes the weights from " + resume + "; --init is not used");
        } else {
            start = TrainInit.parse(init, tokPath == null && TrainInit.needsTokenizer(format, dataPath, sampleEvery > 0), seed);
        }
        TrainState state = start.state();
        ModelConfig c = start.config();
        if (seq > c.seqLen()) throw new Args.UsageException("--seq " + seq + " is longer than the model's context of " + c.seqLen());

        TrainSetup setup = TrainSetup.prepare(start, tokPath,
                new TrainSetup.DataChoice(dataPath, format, template, evalData, evalEvery > 0 ? TrainData.EVAL_FRACTION : 0), cfg, threads, tf32);
        TrainingSet trainSet = setup.trainLoader().set();
        BatchLoader trainLoader = setup.trainLoader();
        TrainingSet evalSet = setup.evalLoader() == null ? null : setup.evalLoader().set();
        if (sampleEvery > 0 && setup.tokenizer() == null) throw new Args.UsageException("--sample-every needs a tokenizer (-z TOKENIZER)");

        TrainBackend.Spec spec = setup.spec();
        err.printf(Locale.ROOT, "llamascope: training %s%n", start.origin());
        err.printf(Locale.ROOT, "llamascope: %,d parameters; data %s (%d %s)%s%n", c.parameterCount(), trainSet.description(),
                trainLoader.units(), trainSet instanceof dev.llamascope.engine.data.TokenStream ? "windows" : "examples",
                evalSet == null ? "" : "; eval " + evalSet.description());
        if (factory instanceof CpuTrainBackend.Factory)
            err.printf(Locale.ROOT, "llamascope: about %,d MB of training buffers for %d x %d batches%n",
                    CpuTrainBackend.memoryBytes(spec) >> 20, batch, seq);
        else if (factory instanceof CudaTrainBackend.Factory)
            err.printf(Locale.ROOT, "llamascope: about %,d MB of GPU memory for %d x %d batches%n",
                    CudaTrainer.estimateBytes(c, batch, seq) >> 20, batch, seq);
        long started = System.nanoTime();
        try (TrainBackend backend = factory.create(start.weights(), spec)) {
            TrainConsole console = new TrainConsole(stdout, err, json);
            Trainer trainer = setup.trainer(backend, sampling, new Trainer.Outputs(save, a.path("--dump-grads-step0")), console);
            if (state != null) {
                for (String d : trainer.checkResume(state)) err.println("llamascope: note: resuming with changed settings: " + d);
                trainer.restore(state);
            }
            Trainer.Result r = trainer.run();
            double secs = (System.nanoTime() - started) / 1e9;
            double med = console.medianTokensPerSecond();
            err.printf(Locale.ROOT, "llamascope: %s after %d steps in %.1f s; median %.0f tok/s (%.1f GFLOP/s at 6N FLOP per token),"
                            + " %.2f CPU-s per step%s%s%n",
                    r.status().name().toLowerCase(Locale.ROOT), r.steps(), secs, med, med * 6.0 * c.parameterCount() / 1e9,
                    console.medianCpuSecondsPerStep(),
                    Double.isNaN(r.lastLoss()) ? "" : String.format(Locale.ROOT, "; last loss %.4f", r.lastLoss()), peakMemory());
            if (r.status() == Trainer.Status.DIVERGED) {
                err.println("llamascope: " + r.message());
                return 1;
            }
        } catch (CudaException e) {
            throw new IllegalStateException(e.getMessage());  // a GPU failure is one line, not a stack trace
        }
        return 0;
    }

    private static int required(Args a, String key) throws Args.UsageException {
        if (!a.has(key)) throw new Args.UsageException("missing " + key);
        return a.integer(key, 0);
    }

    private static double doubleOpt(Args a, String key, double dflt) throws Args.UsageException {
        String v = a.string(key, null);
        if (v == null) return dflt;
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isNaN(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new Args.UsageException(key + " wants a number, got '" + v + "'");
        }
    }

    /** "; peak memory N MB" from /proc where there is one (Linux), else "". */
    private static String peakMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "; peak memory %,d MB", kb >> 10);
                }
            }
        } catch (Exception e) {
            // not Linux: no figure
        }
        return "";
    }
}

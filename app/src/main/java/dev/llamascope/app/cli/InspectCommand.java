package dev.llamascope.app.cli;

import dev.llamascope.engine.inference.inspect.AttentionMatrix;
import dev.llamascope.engine.inference.inspect.Inspection;
import dev.llamascope.engine.inference.inspect.InspectionJson;
import dev.llamascope.engine.inference.inspect.Inspector;
import dev.llamascope.engine.inference.inspect.LogitLens;
import dev.llamascope.engine.inference.inspect.Prediction;
import dev.llamascope.engine.inference.inspect.RecordOptions;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code inspect}: runs a prompt through the model with probes on and prints what they saw: the tokens, the top-k
 * next-token candidates and entropy at every position, the logit lens (the final norm and classifier applied to
 * every layer's residual stream), and every head's attention. {@code --json} writes all of it as one JSON object
 * (see {@link InspectionJson}); without it a short report for reading in a terminal.
 */
public final class InspectCommand implements Command {
    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "look inside: attention, next-token probabilities, logit lens";
    }

    @Override
    public String usage() {
        return "llamascope inspect CHECKPOINT [-z TOKENIZER] -i PROMPT [--json] [--top-k K=5] [--scores] [--no-lens] [--threads N]";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("-z|--tokenizer", "-i|--prompt", "-k|--top-k", "--threads"),
                List.of("--json", "--scores", "--no-lens", "-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            return 0;
        }
        Path checkpoint = Path.of(a.positional(0, "CHECKPOINT"));
        a.maxPositional(1);
        if (!a.has("-i")) throw new Args.UsageException("missing -i PROMPT (the text to look at)");
        String prompt = a.string("-i", "");
        int k = a.integer("-k", 5);
        if (k < 1 || k > 100) throw new Args.UsageException("--top-k must be between 1 and 100");
        int threads = a.integer("--threads", ComputePool.defaultThreads());
        if (threads < 1 || threads > 1024) throw new Args.UsageException("--threads must be between 1 and 1024");
        boolean json = a.flag("--json"), lensWanted = !a.flag("--no-lens");

        try (LoadedModel lm = ModelLoader.load(checkpoint, a.path("-z")); ComputePool pool = new ComputePool(threads)) {
            int[] tokens = lm.tokenizer().encode(prompt, true, false);
            ModelConfig c = lm.model().config();
            if (tokens.length > c.seqLen())
                throw new IllegalArgumentException("the prompt has " + tokens.length + " tokens, more than the context of " + c.seqLen());
            RecordOptions options = new RecordOptions(true, a.flag("--scores"), k, lensWanted, false);
            Inspection in = Inspector.inspect(lm.model(), lm.tokenizer(), tokens, options, pool);
            LogitLens lens = lensWanted ? LogitLens.compute(lm.model(), in.residuals(), in.positions(), Math.min(k, 5), pool) : null;
            PrintStream out = Cli.utf8Stdout();
            if (json) {
                StringBuilder sb = new StringBuilder(1 << 16);
                InspectionJson.write(sb, in, lens, lm.tokenizer());
                out.print(sb);
            } else {
                report(out, checkpoint, in, lens, lm.tokenizer());
            }
            out.flush();
        }
        return 0;
    }

    private static void report(PrintStream out, Path checkpoint, Inspection in, LogitLens lens, Tokenizer tok) {
        ModelConfig c = in.config();
        int n = in.positions();
        out.printf(Locale.ROOT, "%s: %d layers x %d heads (%d key/value heads), %d tokens%n", checkpoint, c.nLayers(), c.nHeads(), c.nKvHeads(), n);
        out.println();
        out.println("Next-token predictions (softmax of the logits; entropy in bits; the token that follows in the text marked *):");
        out.printf(Locale.ROOT, "%4s  %-14s %-14s %7s %5s %8s  %s%n", "pos", "token", "next", "p(next)", "rank", "entropy", "top candidates");
        for (int p = 0; p < n; p++) {
            Prediction pr = in.predictions()[p];
            StringBuilder cands = new StringBuilder();
            for (int j = 0; j < pr.ids().length; j++) {
                cands.append(j == 0 ? "" : "  ").append(pr.ids()[j] == pr.chosen() ? "*" : "").append(show(Inspector.label(tok, pr.ids()[j])))
                        .append(String.format(Locale.ROOT, " %.3f", pr.probs()[j]));
            }
            out.printf(Locale.ROOT, "%4d  %-14s %-14s %7s %5s %8.2f  %s%n", p, show(in.pieces().get(p)),
                    pr.chosen() < 0 ? "" : show(Inspector.label(tok, pr.chosen())),
                    pr.chosen() < 0 ? "" : String.format(Locale.ROOT, "%.3f", pr.chosenProb()),
                    pr.chosen() < 0 ? "" : Integer.toString(pr.chosenRank()), pr.entropyBits(), cands);
        }
        if (lens != null) {
            out.println();
            out.println("Logit lens: the top token if the model stopped after each layer (its probability); * = the final prediction:");
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%4s  %-14s", "pos", "token"));
            for (int r = 0; r < lens.rows(); r++) head.append(String.format(Locale.ROOT, " %-16s", InspectionJson.rowName(r)));
            out.println(head);
            for (int p = 0; p < n; p++) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%4d  %-14s", p, show(in.pieces().get(p))));
                for (int r = 0; r < lens.rows(); r++) {
                    int t = lens.top(r, p, 0);
                    String cell = (t == lens.finalToken(p) ? "*" : "") + show(Inspector.label(tok, t));
                    if (cell.length() > 10) cell = cell.substring(0, 10);
                    row.append(String.format(Locale.ROOT, " %-10s %.3f", cell, lens.topProb(r, p, 0)));
                }
                out.println(row);
            }
        }
        out.println();
        out.println("Attention of the last token: per layer and head, the key it weighs most (and the weight):");
        for (int l = 0; l < c.nLayers(); l++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "layer %d:", l));
            for (int h = 0; h < c.nHeads(); h++) {
                AttentionMatrix m = in.attention()[l][h];
                int best = 0;
                for (int kk = 1; kk < n; kk++) if (m.get(n - 1, kk) > m.get(n - 1, best)) best = kk;
                row.append(String.format(Locale.ROOT, "  h%d %s@%d %.2f", h, show(in.pieces().get(best)), best, m.get(n - 1, best)));
            }
            out.println(row);
        }
        out.println();
        out.println("Attention weights show where a head looked, not why the model predicted what it did.");
    }

    /** A piece for a terminal column: the SentencePiece space as '_', line breaks escaped. */
    private static String show(String piece) {
        return piece.replace('\u2581', '_').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }
}

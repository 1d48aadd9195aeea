package dev.llamascope.app.cli;

import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tokenizer.train.BpeTrainingConfig;
import dev.llamascope.engine.tokenizer.train.TokenizerStats;
import dev.llamascope.engine.tokenizer.train.TokenizerTrainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code tokenizer train}: trains a SentencePiece-style BPE vocabulary on a text file and writes tokenizer.bin
 * (llama2.c), tokenizer.model (SentencePiece), tokenizer.json (Hugging Face) and training.json into a folder.
 */
public final class TokenizerCommand implements Command {
    @Override
    public String name() {
        return "tokenizer";
    }

    @Override
    public String summary() {
        return "train a BPE tokenizer on text (tokenizer train ...)";
    }

    @Override
    public String usage() {
        return "llamascope tokenizer train --data FILE --vocab-size N [--byte-fallback] [--character-coverage C]"
                + " [--held-out F=0.01] [--max-piece-length L=16] [--no-split-digits] [--threads N] -o OUT";
    }

    @Override
    public int run(String[] argv) throws Exception {
        if (argv.length == 0 || !argv[0].equals("train")) {
            if (argv.length > 0 && (argv[0].equals("-h") || argv[0].equals("--help"))) {
                System.err.println("usage: " + usage());
                return 0;
            }
            throw new Args.UsageException(argv.length == 0 ? "missing the subcommand (train)" : "unknown subcommand '" + argv[0] + "'");
        }
        Args a = new Args(Arrays.copyOfRange(argv, 1, argv.length), 0,
                List.of("--data", "--vocab-size", "--character-coverage", "--held-out", "--max-piece-length", "--threads", "-o|--output"),
                List.of("--byte-fallback", "--no-split-digits", "-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            return 0;
        }
        a.maxPositional(0);
        Path data = a.path("--data");
        Path out = a.path("-o");
        if (data == null) throw new Args.UsageException("missing --data FILE");
        if (out == null) throw new Args.UsageException("missing -o OUT (the folder to write the tokenizer into)");
        if (!a.has("--vocab-size")) throw new Args.UsageException("missing --vocab-size N");
        int vocab = a.integer("--vocab-size", 0);
        double coverage = a.has("--character-coverage") ? decimal(a, "--character-coverage") : BpeTrainingConfig.AUTO_COVERAGE;
        int threads = a.integer("--threads", ComputePool.defaultThreads());
        if (threads < 1 || threads > 1024) throw new Args.UsageException("--threads must be between 1 and 1024");
        BpeTrainingConfig config;
        try {
            config = new BpeTrainingConfig(vocab, a.flag("--byte-fallback"), coverage, a.integer("--max-piece-length", 16),
                    !a.flag("--no-split-digits"), a.has("--held-out") ? decimal(a, "--held-out") : 0.01);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        PrintStream err = System.err;
        TokenizerTrainer.Result r;
        err.printf(Locale.ROOT, "training a %d-token vocabulary on %s with %d threads%n", vocab, data, threads);
        try (ComputePool pool = new ComputePool(threads)) {
            r = TokenizerTrainer.train(data, config, pool, new TokenizerTrainer.Listener() {
                int lastCount = -1, lastMerge = -1;

                @Override
                public void counting(long done, long total) {
                    int pct = total == 0 ? 100 : (int) (100 * done / total);
                    if (pct != lastCount) {
                        lastCount = pct;
                        err.printf(Locale.ROOT, "\rcounting %3d%%", pct);
                    }
                }

                @Override
                public void merging(int done, int total) {
                    int pct = total == 0 ? 100 : (int) (100L * done / total);
                    if (pct != lastMerge) {
                        lastMerge = pct;
                        err.printf(Locale.ROOT, "\rmerging  %3d%% (%d of %d pieces)", pct, done, total);
                    }
                }
            });
        }
        err.print("\r\033[K");
        TokenizerTrainer.write(r, out, data.getFileName().toString());
        var v = r.vocabulary();
        err.printf(Locale.ROOT, "trained %d tokens (%d merges, %d characters at coverage %s%s) on %,d bytes, %,d lines, %,d distinct words%n",
                v.size(), v.merges(), v.characters(), v.characterCoverage(), config.byteFallback() ? ", byte fallback" : "",
                r.bytes(), r.lines(), r.distinctSegments());
        err.printf(Locale.ROOT, "time %.2f s: counting %.2f s (%.1f MB/s, %d threads), merging %.2f s; %.1f MB/s overall%n",
                (r.countNanos() + r.mergeNanos()) / 1e9, r.countNanos() / 1e9, r.countingMegabytesPerSecond(), threads,
                r.mergeNanos() / 1e9, r.megabytesPerSecond());
        TokenizerStats s = r.heldOut();
        if (s.lines() > 0)
            err.printf(Locale.ROOT, "held out %,d lines (%,d characters): %.4f tokens per character, unknown rate %.4f%%, byte-fallback rate %.4f%%%n",
                    s.lines(), s.characters(), s.tokensPerCharacter(), 100 * s.unknownRate(), 100 * s.byteRate());
        else
            err.println("no lines held out (--held-out 0), so no statistics");
        err.println("wrote " + out.resolve("tokenizer.bin") + ", tokenizer.model, tokenizer.json, training.json");
        return 0;
    }

    /** A double as typed (0.9995 stays 0.9995, where a float would print as 0.99949997). */
    private static double decimal(Args a, String key) throws Args.UsageException {
        String v = a.string(key, "");
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isNaN(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new Args.UsageException(key + " wants a number, got '" + v + "'");
        }
    }
}

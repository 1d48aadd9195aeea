package dev.llamascope.app.cli;

import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.data.prep.PrepProgress;
import dev.llamascope.engine.data.prep.PrepResult;
import dev.llamascope.engine.data.prep.Pretokenizer;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code pretokenize}: a dataset to llama2.c's .u16 token shards (BOS before each document), which {@code train}
 * reads without a tokenizer.
 */
public final class PretokenizeCommand implements Command {
    @Override
    public String name() {
        return "pretokenize";
    }

    @Override
    public String summary() {
        return "encode a dataset into llama2.c's .u16 token files";
    }

    @Override
    public String usage() {
        return "llamascope pretokenize --data FILE [-z TOKENIZER] [--format auto|text|jsonl|alpaca|belle|sharegpt|moss|dolly]"
                + " [--template alpaca|chat] [--shard-tokens N] [--limit N] [--threads N] -o OUT_PREFIX\n"
                + "  writes OUT_PREFIX.u16 (with --shard-tokens: OUT_PREFIX.000.u16, .001, ... each at most N tokens of whole documents).\n"
                + "  -z defaults to the installed default model's tokenizer. Instruction data is rendered with --template; a .u16 file\n"
                + "  has no loss mask, so its prompts are trained too (train on the instruction file itself to train answers only).";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("--data", "-z|--tokenizer", "--format", "--template", "--shard-tokens", "--limit", "--threads",
                "-o|--output"), List.of("-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            return 0;
        }
        a.maxPositional(0);
        Path data = a.path("--data"), out = a.path("-o");
        if (data == null) throw new Args.UsageException("missing --data FILE");
        if (out == null) throw new Args.UsageException("missing -o OUT_PREFIX");
        DataFormat format = DataFormat.parse(a.string("--format", "auto")); // an unknown name: one line, exit 1
        PromptTemplate template = PromptTemplate.named(a.string("--template", "alpaca"));
        long shardTokens = a.longValue("--shard-tokens", 0), limit = a.longValue("--limit", 0);
        if (shardTokens < 0) throw new Args.UsageException("--shard-tokens must be >= 0");
        if (limit < 0) throw new Args.UsageException("--limit must be >= 0");
        int threads = a.integer("--threads", 0);
        if (threads < 0 || threads > 1024) throw new Args.UsageException("--threads must be between 1 and 1024");
        if (!Files.exists(data)) throw new java.nio.file.NoSuchFileException(data.toString());
        Tokenizer tok = tokenizer(a.path("-z"));
        PrintStream err = System.err;
        ConsoleProgress bar = new ConsoleProgress(err, ConsoleProgress.terminal(), "bytes");
        long[] bytes = {0}; // the input read, from the progress reports (all of it unless --limit stopped early)
        PrepProgress progress = (done, total, what) -> {
            bytes[0] = Math.max(bytes[0], done);
            bar.progress(done, total, what);
        };
        long t0 = System.nanoTime();
        PrepResult r;
        try {
            r = Pretokenizer.pretokenize(data, format, tok, template, out, shardTokens, limit, threads, progress);
        } finally {
            bar.clear(); // an error message starts on a clean line
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (String note : r.notes()) err.println("warning: " + note);
        List<Path> paths = r.outputs();
        err.printf(Locale.ROOT, "pretokenized %,d documents: %,d tokens in %d shard%s (%s%s), %.1f MB of input in %.2f s, %.1f MB/s%n",
                r.written(), r.tokens(), paths.size(), paths.size() == 1 ? "" : "s", paths.getFirst(),
                paths.size() > 1 ? " … " + paths.getLast().getFileName() : "", bytes[0] / 1e6, seconds, bytes[0] / 1e6 / seconds);
        return 0;
    }

    /** -z, or the tokenizer beside the installed default model. */
    static Tokenizer tokenizer(Path z) throws Exception {
        if (z != null) return ModelLoader.TokenizerLoader.read(z);
        Path model = ModelArgument.resolve(null, "pretokenize --data FILE -z TOKENIZER -o OUT_PREFIX");
        Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
        return ModelLoader.TokenizerLoader.read(dir);
    }
}

package dev.llamascope.app.cli;

import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataPreview;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.data.prep.DatasetConverter;
import dev.llamascope.engine.data.prep.DatasetSplitter;
import dev.llamascope.engine.data.prep.DatasetStats;
import dev.llamascope.engine.data.prep.PrepResult;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code dataset preview|convert|split}: look at a dataset, change its format, hold out an eval part. */
public final class DatasetCommand implements Command {
    private static final String FORMATS = "auto|tokens|text|jsonl|alpaca|belle|sharegpt|moss|dolly";

    @Override
    public String name() {
        return "dataset";
    }

    @Override
    public String summary() {
        return "preview, convert or split a dataset (dataset preview|convert|split ...)";
    }

    @Override
    public String usage() {
        return "llamascope dataset preview FILE [--format F] [-z TOKENIZER] [--template alpaca|chat] [-n 3]\n"
                + "       llamascope dataset convert IN OUT --to text|jsonl|alpaca|belle|sharegpt|moss|dolly [--from F]\n"
                + "       llamascope dataset split FILE --eval 0.1 [--seed S=42] [--format F] -o PREFIX   (PREFIX.train.EXT, PREFIX.eval.EXT)\n"
                + "  formats: " + FORMATS + ". convert keeps instruction/chat data among its formats and documents (text, jsonl)\n"
                + "  among theirs; a record the target cannot hold (a multi-turn chat as belle or dolly) is skipped and counted.\n"
                + "  .json outputs are JSON arrays, .jsonl JSON Lines.";
    }

    @Override
    public int run(String[] argv) throws Exception {
        if (argv.length == 0) throw new Args.UsageException("missing the subcommand (preview, convert or split)");
        if (argv[0].equals("-h") || argv[0].equals("--help")) {
            System.err.println("usage: " + usage());
            return 0;
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        return switch (argv[0]) {
            case "preview" -> preview(rest);
            case "convert" -> convert(rest);
            case "split" -> split(rest);
            default -> throw new Args.UsageException("unknown subcommand '" + argv[0] + "' (preview, convert or split)");
        };
    }

    private int preview(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("--format", "-z|--tokenizer", "--template", "-n|--count"), List.of("-h|--help"));
        if (help(a)) return 0;
        Path file = Path.of(a.positional(0, "FILE"));
        a.maxPositional(1);
        DataFormat format = format(a, "--format");
        PromptTemplate template = template(a);
        int n = a.integer("-n", 3);
        if (n < 0) throw new Args.UsageException("-n must be >= 0");
        PrintStream out = Cli.utf8Stdout();
        if (a.has("-z")) {
            Tokenizer tok = ModelLoader.TokenizerLoader.read(a.path("-z"));
            DataPreview p = DataPreview.of(file, format, tok, tok.size(), template, n);
            out.printf(Locale.ROOT, "%s: %s, %,d %s, %,d tokens (%,d trained: %s)%n", file, p.format().cliName(), p.units(),
                    p.format().conversational() ? "conversations" : "documents", p.tokens(), p.trainedTokens(),
                    p.format().conversational() ? "answers only, template " + template.name() : "all but each document's first");
            int i = 0;
            for (DataPreview.Item item : p.items())
                out.printf(Locale.ROOT, "%n--- %d (%,d tokens, %,d trained)%n%s%n", ++i, item.tokens(), item.trainedTokens(), item.text());
        } else {
            DatasetStats s = DatasetStats.of(file, format, template, n);
            out.printf(Locale.ROOT, "%s: %s, %,d %s, %,d characters (shortest %,d, longest %,d)%s%n", file, s.format().cliName(), s.records(),
                    s.format().conversational() ? "conversations" : "documents", s.characters(), s.shortest(), s.longest(),
                    s.format().conversational() ? String.format(Locale.ROOT, ", %,d with more than one exchange; template %s", s.multiTurn(), template.name()) : "");
            int i = 0;
            for (String t : s.samples()) out.printf(Locale.ROOT, "%n--- %d%n%s%n", ++i, t);
            System.err.println("(pass -z TOKENIZER to count tokens)");
        }
        out.flush();
        return 0;
    }

    private int convert(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("--to", "--from"), List.of("-h|--help"));
        if (help(a)) return 0;
        Path in = Path.of(a.positional(0, "IN")), out = Path.of(a.positional(1, "OUT"));
        a.maxPositional(2);
        if (!a.has("--to")) throw new Args.UsageException("missing --to FORMAT");
        DataFormat to = format(a, "--to"), from = format(a, "--from");
        ConsoleProgress progress = new ConsoleProgress(System.err, ConsoleProgress.terminal(), "records");
        PrepResult r;
        try {
            r = DatasetConverter.convert(in, from, out, to, progress);
        } finally {
            progress.clear(); // an error message starts on a clean line
        }
        report(r);
        System.err.printf(Locale.ROOT, "converted %,d of %,d records to %s: %s%n", r.written(), r.read(), to.cliName(), out);
        return 0;
    }

    private int split(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("--eval", "--seed", "--format", "-o|--output"), List.of("-h|--help"));
        if (help(a)) return 0;
        Path in = Path.of(a.positional(0, "FILE"));
        a.maxPositional(1);
        if (!a.has("--eval")) throw new Args.UsageException("missing --eval FRACTION (e.g. 0.1)");
        String prefix = a.string("-o", null);
        if (prefix == null) throw new Args.UsageException("missing -o PREFIX");
        float fraction = a.number("--eval", 0);
        if (!(fraction > 0 && fraction < 1)) throw new Args.UsageException("--eval must be between 0 and 1, got " + a.string("--eval", ""));
        String name = in.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 ? name.substring(dot) : "";
        Path train = Path.of(prefix + ".train" + ext), eval = Path.of(prefix + ".eval" + ext);
        ConsoleProgress progress = new ConsoleProgress(System.err, ConsoleProgress.terminal(), "records");
        PrepResult r;
        try {
            r = DatasetSplitter.split(in, format(a, "--format"), Double.parseDouble(a.string("--eval", "0")), a.longValue("--seed", 42),
                    train, eval, progress);
        } finally {
            progress.clear();
        }
        report(r);
        PrepResult.Output t = r.files().get(0), e = r.files().get(1);
        System.err.printf(Locale.ROOT, "split %,d records: %,d to %s, %,d to %s%n", r.read(), t.records(), t.path(), e.records(), e.path());
        return 0;
    }

    private static void report(PrepResult r) {
        if (r.skipped() > 0)
            System.err.printf(Locale.ROOT, "skipped %,d record(s); the first: %s%n", r.skipped(), r.firstSkipReason());
        for (String n : r.notes()) System.err.println("note: " + n);
    }

    private boolean help(Args a) {
        if (!a.flag("-h")) return false;
        System.err.println("usage: " + usage());
        return true;
    }

    /** An unknown name is a one-line error (exit 1) listing the known ones, without the long usage text. */
    private static DataFormat format(Args a, String key) {
        return DataFormat.parse(a.string(key, "auto"));
    }

    private static PromptTemplate template(Args a) {
        return PromptTemplate.named(a.string("--template", "alpaca"));
    }
}

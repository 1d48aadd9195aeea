package dev.llamascope.app.cli;

import dev.llamascope.engine.catalog.CancelToken;
import dev.llamascope.engine.catalog.CatalogEntry;
import dev.llamascope.engine.catalog.DownloadException;
import dev.llamascope.engine.catalog.Downloader;
import dev.llamascope.engine.catalog.InstalledModel;
import dev.llamascope.engine.catalog.ModelLibrary;
import dev.llamascope.engine.catalog.Sizes;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code pull NAME}: downloads a catalog model into the models folder, with a progress bar on stderr, resume of
 * an interrupted download, sha256 verification and an atomic rename. Prints the installed model file on stdout.
 */
public final class PullCommand implements Command {
    private final PrintStream out;
    private final PrintStream err;
    private final Boolean interactive;

    /** For the real command line: stdout, stderr, and a bar that redraws itself when stderr is a terminal. */
    public PullCommand() {
        this(null, null, null);
    }

    PullCommand(PrintStream out, PrintStream err, Boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    @Override
    public String name() {
        return "pull";
    }

    @Override
    public String summary() {
        return "download a model from the catalog into the models folder";
    }

    @Override
    public String usage() {
        return "llamascope pull NAME [--force] [--retries N=3] [--models DIR] [--catalog FILE]   ('llamascope list' shows the names)";
    }

    @Override
    public int run(String[] argv) throws Exception {
        PrintStream o = out != null ? out : Cli.utf8Stdout();
        PrintStream e = err != null ? err : System.err;
        Args a = new Args(argv, 0, List.of(CliLibrary.MODELS, CliLibrary.CATALOG, "--retries"), List.of("--force", "-h|--help"));
        if (a.flag("-h")) {
            e.println("usage: " + usage());
            return 0;
        }
        if (a.positional().isEmpty()) throw new Args.UsageException("missing NAME: which model? ('llamascope list' shows them)");
        String name = a.positional().getFirst();
        a.maxPositional(1);
        int retries = a.integer("--retries", Downloader.Options.DEFAULT.retries());
        if (retries < 0 || retries > 100) throw new Args.UsageException("--retries must be between 0 and 100");

        ModelLibrary lib = CliLibrary.open(a);
        CatalogEntry entry = lib.catalog().require(name);
        Downloader.Options options = Downloader.Options.DEFAULT.withForce(a.flag("--force")).withRetries(retries);
        boolean tty = interactive != null ? interactive : System.console() != null && System.console().isTerminal();
        if (!lib.status(entry).installed() || options.force()) {
            e.println("pulling " + entry.name() + " (" + Sizes.of(entry) + ") into " + lib.folder().dirOf(entry) + "; Ctrl-C stops, the same command resumes");
            if (!entry.verified()) e.println("note: some of its sizes or checksums are not confirmed against the official source (see models/catalog.json)");
        }
        InstalledModel m;
        try {
            m = lib.download(entry, options, new ConsoleProgress(e, tty), new CancelToken());
        } catch (DownloadException ex) {
            if (ex.kind() == DownloadException.Kind.OFFLINE)
                throw new IOException(ex.getMessage() + ", e.g. ./llamascope generate MODEL.bin -z TOKENIZER.bin", ex);
            throw ex;
        }
        e.println("installed " + entry.name() + ": try ./llamascope generate " + entry.name() + " -i \"Once upon a time\"");
        o.println(m.model());
        o.flush();
        return 0;
    }
}

package dev.llamascope.app.cli;

import dev.llamascope.engine.catalog.CatalogEntry;
import dev.llamascope.engine.catalog.InstallStatus;
import dev.llamascope.engine.catalog.InstalledModel;
import dev.llamascope.engine.catalog.ModelLibrary;
import dev.llamascope.engine.catalog.Sizes;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code list}: the catalog's models, which are installed (and where), and other model files in the folder. */
public final class ListCommand implements Command {
    private final PrintStream out;

    public ListCommand() {
        this(null);
    }

    ListCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "list";
    }

    @Override
    public String summary() {
        return "show the catalog's models, what is installed, and where";
    }

    @Override
    public String usage() {
        return "llamascope list [--models DIR] [--catalog FILE]";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of(CliLibrary.MODELS, CliLibrary.CATALOG), List.of("-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            return 0;
        }
        a.maxPositional(0);
        PrintStream o = out != null ? out : Cli.utf8Stdout();
        ModelLibrary lib = CliLibrary.open(a);
        o.println("models folder: " + lib.folder().root() + "   (set LLAMASCOPE_MODELS to use another)");
        o.println("catalog:       " + lib.catalog().source());
        o.println();
        int width = Math.max(4, lib.entries().stream().mapToInt(e -> e.name().length()).max().orElse(4));
        o.printf(Locale.ROOT, "  %-" + width + "s  %9s  %-15s  %s%n", "NAME", "SIZE", "STATUS", "DESCRIPTION");
        for (InstallStatus s : lib.statuses()) {
            CatalogEntry e = s.entry();
            String size = Sizes.of(e);
            String state = switch (s.state()) {
                case INSTALLED -> "installed";
                case PARTIAL -> s.expectedBytes() > 0
                        ? String.format(Locale.ROOT, "partial %d%%", Math.min(99, s.presentBytes() * 100 / s.expectedBytes()))
                        : "partial";
                case NOT_INSTALLED -> "-";
            };
            o.printf(Locale.ROOT, "%s %-" + width + "s  %9s  %-15s  %s%s%n", e.isDefault() ? "*" : " ", e.name(), size, state,
                    e.description(), e.verified() ? "" : " [checksums unconfirmed]");
        }
        o.println("(* = default; get a model with: ./llamascope pull NAME; a partial download resumes)");
        List<InstalledModel> installed = lib.installed();
        if (!installed.isEmpty()) {
            o.println();
            o.println("installed:");
            for (InstalledModel m : installed) o.printf(Locale.ROOT, "  %-" + width + "s  %s%n", m.entry().name(), m.model());
        }
        List<Path> others = lib.otherModels();
        if (!others.isEmpty()) {
            o.println();
            o.println("other model files in the folder:");
            for (Path p : others) o.println("  " + p);
        }
        o.flush();
        return 0;
    }
}

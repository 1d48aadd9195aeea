package dev.llamascope.app.cli;

import dev.llamascope.engine.catalog.CatalogEntry;
import dev.llamascope.engine.catalog.InstalledModel;
import dev.llamascope.engine.catalog.ModelLibrary;
import dev.llamascope.engine.catalog.Sizes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The model a command works on: a file or folder given by path, a catalog name ({@code generate stories15M}), or,
 * when none is given, the installed default model. When nothing is installed the message says how to get the
 * default one and how to open a local file without network.
 */
final class ModelArgument {
    private ModelArgument() {}

    /** A way to open the library that may fail (no catalog): such failures only matter when a name was meant. */
    interface LibrarySource {
        ModelLibrary open() throws IOException;
    }

    static Path resolve(String arg, String localFileUsage) throws IOException, Args.UsageException {
        return resolve(arg, localFileUsage, ModelLibrary::open);
    }

    static Path resolve(String arg, String localFileUsage, LibrarySource source) throws IOException, Args.UsageException {
        if (arg != null) {
            Path p = Path.of(arg);
            if (Files.exists(p)) return p;
            ModelLibrary lib;
            try {
                lib = source.open();
            } catch (IOException | RuntimeException e) {
                return p; // not a catalog name we can check: the loader reports the missing file
            }
            Optional<CatalogEntry> entry = lib.catalog().find(arg);
            if (entry.isEmpty()) return p;
            Optional<InstalledModel> m = lib.folder().installed(entry.get());
            if (m.isPresent()) return m.get().model();
            throw new IllegalStateException(entry.get().name() + " is not installed: get it with ./llamascope pull " + entry.get().name()
                    + " (" + Sizes.of(entry.get()) + "), or without network open a model file you have: ./llamascope " + localFileUsage);
        }
        ModelLibrary lib;
        try {
            lib = source.open();
        } catch (IOException e) {
            throw new Args.UsageException("missing the model file (" + e.getMessage() + ")");
        }
        Optional<InstalledModel> m = lib.preferredInstalled();
        if (m.isPresent()) return m.get().model();
        String get = lib.defaultEntry().map(d -> "get the default one with ./llamascope pull " + d.name() + " (" + Sizes.of(d)
                + " into " + lib.folder().root() + ")").orElse("get one with ./llamascope pull NAME (./llamascope list shows them)");
        throw new IllegalStateException("no model installed: " + get + ", or without network open a model file you have: ./llamascope " + localFileUsage);
    }
}

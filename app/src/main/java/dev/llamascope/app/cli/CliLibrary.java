package dev.llamascope.app.cli;

import dev.llamascope.engine.catalog.ModelLibrary;
import java.io.IOException;
import java.nio.file.Path;

/** The model library as the command line sees it: the environment's, or the folder and catalog given by options. */
final class CliLibrary {
    private CliLibrary() {}

    /** Options shared by pull and list. */
    static final String MODELS = "--models", CATALOG = "--catalog";

    static ModelLibrary open(Args a) throws IOException {
        Path models = a.path(MODELS);
        Path catalog = a.path(CATALOG);
        return ModelLibrary.open(catalog, models);
    }
}

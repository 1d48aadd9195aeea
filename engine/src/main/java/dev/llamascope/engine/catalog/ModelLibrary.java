package dev.llamascope.engine.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The catalog, the models folder and the downloader together: what the window and the command line use to list
 * known models, see which are installed, and fetch one. For a window:
 * <pre>{@code
 * ModelLibrary lib = ModelLibrary.open();                 // LLAMASCOPE_MODELS or <project>/models, its catalog.json
 * Optional<InstalledModel> m = lib.preferredInstalled();  // empty on a first run: offer lib.defaultEntry()
 * Download d = lib.startDownload(lib.defaultEntry().orElseThrow(), new DownloadListener() {
 *     public void progress(DownloadProgress p) { ... p.fraction(), p.bytesPerSecond() (download thread!) ... }
 *     public void note(String message) { ... }
 * });
 * d.cancel();                                             // keeps the .partial file; starting again resumes
 * d.result().whenComplete((installed, error) -> ...);     // error: a DownloadException, see kind()
 * }</pre>
 */
public final class ModelLibrary {
    private final Catalog catalog;
    private final ModelsFolder folder;
    private final Downloader downloader;

    public ModelLibrary(Catalog catalog, ModelsFolder folder, Downloader downloader) {
        this.catalog = catalog;
        this.folder = folder;
        this.downloader = downloader;
    }

    /** From the environment: {@code LLAMASCOPE_MODELS} or the project's models folder, and its catalog.json. */
    public static ModelLibrary open() throws IOException {
        return open(null, null);
    }

    /** Like {@link #open()}, with either path overridden when not null. */
    public static ModelLibrary open(Path catalogFile, Path modelsDir) throws IOException {
        ModelsFolder folder = modelsDir != null ? new ModelsFolder(modelsDir) : ModelsFolder.fromEnvironment();
        Path file = catalogFile != null ? catalogFile : Catalog.locate(folder, System.getProperties());
        return new ModelLibrary(Catalog.load(file), folder, new Downloader(folder));
    }

    /** For tests and callers that locate things themselves. */
    public static ModelLibrary open(Path catalogFile, ModelsFolder folder, Properties props) throws IOException {
        Path file = catalogFile != null ? catalogFile : Catalog.locate(folder, props);
        return new ModelLibrary(Catalog.load(file), folder, new Downloader(folder));
    }

    public Catalog catalog() {
        return catalog;
    }

    public ModelsFolder folder() {
        return folder;
    }

    public List<CatalogEntry> entries() {
        return catalog.entries();
    }

    public InstallStatus status(CatalogEntry e) {
        return folder.status(e);
    }

    public List<InstallStatus> statuses() {
        return catalog.entries().stream().map(folder::status).toList();
    }

    /** Installed catalog models, the default first. */
    public List<InstalledModel> installed() {
        return folder.installed(catalog);
    }

    public Optional<InstalledModel> installed(String name) {
        return catalog.find(name).flatMap(folder::installed);
    }

    /** The model to use when none is named: the default when installed, else the first installed one. */
    public Optional<InstalledModel> preferredInstalled() {
        List<InstalledModel> all = installed();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    public Optional<CatalogEntry> defaultEntry() {
        return catalog.defaultEntry();
    }

    /** Model files in the folder that the catalog does not own. */
    public List<Path> otherModels() throws IOException {
        return folder.otherModels(catalog);
    }

    /** Downloads on a new thread; see {@link Download}. */
    public Download startDownload(CatalogEntry e, Downloader.Options options, DownloadListener listener) {
        return Download.start(downloader, e, options, listener);
    }

    public Download startDownload(CatalogEntry e, DownloadListener listener) {
        return startDownload(e, Downloader.Options.DEFAULT, listener);
    }

    /** Downloads on the calling thread. */
    public InstalledModel download(CatalogEntry e, Downloader.Options options, DownloadListener listener, CancelToken cancel)
            throws DownloadException {
        return downloader.download(e, options, listener, cancel);
    }
}

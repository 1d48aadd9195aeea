package dev.llamascope.app.ui.catalog;

import dev.llamascope.app.ui.PaneLinks;
import dev.llamascope.app.ui.concurrent.EngineExecutor;
import dev.llamascope.app.ui.concurrent.ErrorText;
import dev.llamascope.app.ui.concurrent.FxLatest;
import dev.llamascope.app.ui.session.ModelSession;
import dev.llamascope.engine.catalog.CatalogEntry;
import dev.llamascope.engine.catalog.Download;
import dev.llamascope.engine.catalog.DownloadException;
import dev.llamascope.engine.catalog.DownloadListener;
import dev.llamascope.engine.catalog.DownloadProgress;
import dev.llamascope.engine.catalog.InstallStatus;
import dev.llamascope.engine.catalog.InstalledModel;
import dev.llamascope.engine.catalog.ModelLibrary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The model catalog as the window uses it, shared by the panes that show it (the Models pane's list, the first-run
 * banner): the catalog's models with what is on disk, and the commands download, cancel and open.
 *
 * <p>Reading the catalog and checking the models folder run on the engine executor; each download runs on its own
 * thread (the engine's {@link Download}), and its progress reaches the FX thread through {@link FxLatest}, so
 * there is at most one {@code runLater} in flight however fast the bytes come. Cancel keeps the partial file;
 * Download again resumes it. A finished download is opened at once when it was asked for that way (the banner's
 * one click) or when no model is loaded yet. FX thread only.
 */
public final class ModelCatalog {
    /** Where the library comes from: the environment's, or the folder and catalog the command line names. */
    @FunctionalInterface
    public interface LibrarySource {
        ModelLibrary open() throws IOException;
    }

    private final LibrarySource source;
    private final EngineExecutor engine;
    private final Executor fx;
    private final PaneLinks links;
    private final ModelSession session;
    private final ObservableList<CatalogItem> items = FXCollections.observableArrayList();
    private final ObservableList<CatalogItem> itemsView = FXCollections.unmodifiableObservableList(items);
    private final ReadOnlyBooleanWrapper ready = new ReadOnlyBooleanWrapper(this, "ready");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final ReadOnlyStringWrapper folder = new ReadOnlyStringWrapper(this, "folder", "");
    private ModelLibrary library;

    /**
     * @param fx      runs a task on the FX thread
     * @param links   how a downloaded model is opened (the Models pane)
     * @param session the loaded model (a download finished while none is loaded is opened)
     */
    public ModelCatalog(LibrarySource source, EngineExecutor engine, Executor fx, PaneLinks links, ModelSession session) {
        this.source = source;
        this.engine = engine;
        this.fx = fx;
        this.links = links;
        this.session = session;
    }

    /** Reads the catalog and checks the models folder in the background; {@link #readyProperty()} says when done. */
    public void load() {
        engine.submit("read the model catalog", cancel -> {
            ModelLibrary lib = source.open();
            return new Loaded(lib, lib.statuses());
        }).result().whenComplete((loaded, failure) -> fx.execute(() -> {
            if (failure != null) {
                problem.set("Cannot read the model catalog: " + ErrorText.describe(failure));
                ready.set(true);
                return;
            }
            library = loaded.library();
            folder.set(library.folder().root().toString());
            items.setAll(loaded.statuses().stream().map(s -> new CatalogItem(s.entry(), s)).toList());
            ready.set(true);
        }));
    }

    private record Loaded(ModelLibrary library, List<InstallStatus> statuses) {}

    /** Checks again what is on disk (a pull from the command line may have changed it). */
    public void refresh() {
        ModelLibrary lib = library;
        if (lib == null) return;
        engine.submit("check the models folder", cancel -> lib.statuses()).result().whenComplete((statuses, failure) -> fx.execute(() -> {
            if (failure != null || lib != library) return;
            for (InstallStatus s : statuses) {
                for (CatalogItem item : items)
                    if (item.entry().equals(s.entry()) && !item.activity().busy()) item.setStatus(s);
            }
        }));
    }

    public ObservableList<CatalogItem> items() {
        return itemsView;
    }

    /** True once the catalog has been read (or has failed to be: see {@link #problemProperty()}). */
    public ReadOnlyBooleanProperty readyProperty() {
        return ready.getReadOnlyProperty();
    }

    /** Why the catalog could not be read, or null. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The models folder, "" until the catalog is read. */
    public ReadOnlyStringProperty folderProperty() {
        return folder.getReadOnlyProperty();
    }

    /** The model offered on a first run, or null. */
    public CatalogItem defaultItem() {
        return items.stream().filter(i -> i.entry().isDefault()).findFirst().orElse(null);
    }

    public Optional<CatalogItem> item(String name) {
        return items.stream().filter(i -> i.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Where the item's model file is (or will be), or null before the catalog is read. */
    public Path modelPath(CatalogItem item) {
        return library == null ? null : library.folder().pathOf(item.entry(), item.entry().modelFile());
    }

    /**
     * Starts (or resumes) a download.
     *
     * @param openWhenDone open the model as soon as it is installed (it is also opened when no model is loaded)
     */
    public void download(CatalogItem item, boolean openWhenDone) {
        ModelLibrary lib = library;
        if (lib == null || item.activity().busy()) return;
        item.setError(null);
        item.setNote(null);
        item.openWhenDone = openWhenDone;
        InstallStatus before = item.status();
        item.setProgress(before.expectedBytes() > 0 && before.presentBytes() > 0 ? (double) before.presentBytes() / before.expectedBytes() : -1,
                "Connecting…");
        item.setActivity(CatalogItem.Activity.DOWNLOADING);
        Download[] mine = new Download[1]; // set below, before any of these sinks can run on the FX thread
        FxLatest<DownloadProgress> progress = new FxLatest<>(fx, p -> {
            if (item.download == mine[0] && item.activity() == CatalogItem.Activity.DOWNLOADING)
                item.setProgress(p.phase() == DownloadProgress.Phase.DOWNLOADING || p.fraction() > 0 ? p.fraction() : -1, CatalogText.progress(p));
        });
        FxLatest<String> notes = new FxLatest<>(fx, n -> {
            if (item.download == mine[0]) item.setNote(capitalised(n));
        });
        Download d = lib.startDownload(item.entry(), new DownloadListener() {
            @Override
            public void progress(DownloadProgress p) {
                progress.set(p);
            }

            @Override
            public void note(String message) {
                notes.set(message);
            }
        });
        mine[0] = d;
        item.download = d;
        d.result().whenComplete((installed, failure) -> {
            InstallStatus after = lib.status(item.entry()); // a few file checks, on the download's thread
            fx.execute(() -> finish(item, d, installed, failure, after));
        });
    }

    private void finish(CatalogItem item, Download d, InstalledModel installed, Throwable failure, InstallStatus after) {
        if (item.download != d) return;
        item.download = null;
        item.setStatus(after);
        item.setProgress(-1, "");
        item.setActivity(CatalogItem.Activity.IDLE);
        if (failure == null) {
            String warning = item.noteProperty().get(); // an unconfirmed checksum that did not match stays in view
            item.setNote(item.name() + " is installed in " + installed.dir()
                    + (warning != null && warning.startsWith("Warning") ? ". " + warning : ""));
            if (item.openWhenDone || session.current() == null) open(item);
            return;
        }
        Throwable t = ErrorText.unwrap(failure);
        boolean cancelled = d.isCancelled() || t instanceof DownloadException e && e.kind() == DownloadException.Kind.CANCELLED;
        if (cancelled) item.setNote(CatalogText.error(new DownloadException(DownloadException.Kind.CANCELLED, ""), item.entry()));
        else item.setError(CatalogText.error(t, item.entry()));
    }

    /** Stops a running download soon; the partial file stays, so Download resumes. */
    public void cancel(CatalogItem item) {
        if (item.download == null || item.activity() != CatalogItem.Activity.DOWNLOADING) return;
        item.setActivity(CatalogItem.Activity.CANCELLING);
        item.setProgress(item.progressProperty().get(), "Cancelling…");
        item.download.cancel();
    }

    /** Opens an installed model like a local file (its tokenizer.bin is found beside it). */
    public void open(CatalogItem item) {
        ModelLibrary lib = library;
        if (lib == null || item.activity().busy()) return;
        Optional<InstalledModel> m = lib.folder().installed(item.entry());
        if (m.isEmpty()) {
            item.setError(item.name() + " is not installed: download it first");
            return;
        }
        item.setError(null);
        item.setActivity(CatalogItem.Activity.OPENING);
        links.openModel(m.get().model(), null).whenComplete((v, failure) -> fx.execute(() -> {
            item.setActivity(CatalogItem.Activity.IDLE);
            if (failure != null) item.setError("Could not open " + item.name() + ": " + ErrorText.describe(failure));
        }));
    }

    /** Whether this entry's model file is the one loaded now. */
    public boolean isLoaded(CatalogItem item) {
        Path p = modelPath(item);
        return p != null && session.current() != null && session.current().modelPath().equals(p);
    }

    /** Stops the downloads (at exit); their partial files stay for next time. */
    public void dispose() {
        for (CatalogItem item : items) if (item.download != null) item.download.cancel();
    }

    private static String capitalised(String s) {
        return s == null || s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** For views: the entry's name and size, "stories15M (61.2 MB)". */
    public static String nameAndSize(CatalogEntry e) {
        return e.name() + " (" + dev.llamascope.engine.catalog.Sizes.of(e) + ")";
    }
}

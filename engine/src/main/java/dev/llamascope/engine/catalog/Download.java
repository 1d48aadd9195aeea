package dev.llamascope.engine.catalog;

import java.util.concurrent.CompletableFuture;

/**
 * A download running on its own thread, for a window: watch it through the listener given to
 * {@link ModelLibrary#startDownload}, wait on {@link #result()}, stop it with {@link #cancel()} (the partial file
 * is kept, so starting it again resumes). The result completes exceptionally with a {@link DownloadException}.
 */
public final class Download {
    private final CatalogEntry entry;
    private final CancelToken cancel = new CancelToken();
    private final CompletableFuture<InstalledModel> result = new CompletableFuture<>();

    private Download(CatalogEntry entry) {
        this.entry = entry;
    }

    static Download start(Downloader downloader, CatalogEntry entry, Downloader.Options options, DownloadListener listener) {
        Download d = new Download(entry);
        Thread.ofPlatform().daemon().name("download-" + entry.name()).start(() -> {
            try {
                d.result.complete(downloader.download(entry, options, listener, d.cancel));
            } catch (Throwable t) {
                d.result.completeExceptionally(t);
            }
        });
        return d;
    }

    public CatalogEntry entry() {
        return entry;
    }

    /** Stops the transfer soon (a blocked read is interrupted by closing its stream); keeps the partial file. */
    public void cancel() {
        cancel.cancel();
    }

    public boolean isCancelled() {
        return cancel.isCancelled();
    }

    public CompletableFuture<InstalledModel> result() {
        return result;
    }
}

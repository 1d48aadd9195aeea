package dev.llamascope.engine.catalog;

import dev.llamascope.engine.util.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches a catalog entry into the models folder. Each file is downloaded to {@code <target>.partial} beside its
 * target (resumed with an HTTP Range request when a partial file is there, restarted from zero when the server
 * ignores the range), checked against the catalog's size and sha256, and only when every file of the entry has
 * passed are they renamed into place. A file whose checksum does not match is deleted and nothing installed is
 * touched; a broken connection or a cancel keeps the partial file, so the next attempt resumes.
 */
public final class Downloader {
    /**
     * @param force        download again even when installed (the installed files are replaced only after the
     *                     new ones have passed their checks)
     * @param retries      automatic resumes after a dropped connection or a server error (5xx)
     * @param retryDelay   wait before the first retry (doubled for each further one)
     * @param stallTimeout give up on a connection that delivers no byte for this long
     */
    public record Options(boolean force, int retries, Duration retryDelay, Duration stallTimeout) {
        public static final Options DEFAULT = new Options(false, 3, Duration.ofSeconds(2), Duration.ofSeconds(60));

        public Options {
            if (retries < 0 || retries > 100) throw new IllegalArgumentException("retries must be 0..100");
            if (retryDelay == null || retryDelay.isNegative()) throw new IllegalArgumentException("retryDelay must be >= 0");
            if (stallTimeout == null || stallTimeout.isNegative() || stallTimeout.isZero())
                throw new IllegalArgumentException("stallTimeout must be > 0");
        }

        public Options withForce(boolean f) {
            return new Options(f, retries, retryDelay, stallTimeout);
        }

        public Options withRetries(int r) {
            return new Options(force, r, retryDelay, stallTimeout);
        }
    }

    /** Free bytes on the file system of a folder (replaceable in tests). */
    @FunctionalInterface
    public interface FreeSpace {
        long usableBytes(Path dir) throws IOException;
    }

    static final String USER_AGENT = "llamascope/0.1 (java.net.http)";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(60);
    private static final int BUFFER_BYTES = 256 << 10;
    private static final long SPACE_MARGIN = 1 << 20;

    private final ModelsFolder folder;
    private final HttpClient http;
    private final FreeSpace freeSpace;

    public Downloader(ModelsFolder folder) {
        this(folder, defaultClient(), dir -> Files.getFileStore(dir).getUsableSpace());
    }

    public Downloader(ModelsFolder folder, HttpClient http, FreeSpace freeSpace) {
        this.folder = folder;
        this.http = http;
        this.freeSpace = freeSpace;
    }

    /** Follows redirects (Hugging Face answers with a redirect to its file store), but never from https to http. */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(CONNECT_TIMEOUT).build();
    }

    public ModelsFolder folder() {
        return folder;
    }

    /** Downloads an entry on the calling thread; returns it installed. */
    public InstalledModel download(CatalogEntry entry, Options options, DownloadListener listener, CancelToken cancel)
            throws DownloadException {
        Path dir = folder.dirOf(entry);
        if (!options.force()) {
            Optional<InstalledModel> have = folder.installed(entry);
            if (have.isPresent()) {
                listener.note(entry.name() + " is already installed in " + dir);
                return have.get();
            }
        }
        List<CatalogFile> todo = entry.files().stream().filter(f -> options.force() || !folder.isComplete(entry, f)).toList();
        boolean dirExisted = Files.isDirectory(dir);
        try {
            return fetchAll(entry, todo, dir, options, listener, cancel);
        } catch (DownloadException e) {
            if (!dirExisted) deleteIfEmptyDir(dir); // a first pull that failed at once leaves no empty folder
            throw e;
        }
    }

    private InstalledModel fetchAll(CatalogEntry entry, List<CatalogFile> todo, Path dir, Options options, DownloadListener listener,
                                    CancelToken cancel) throws DownloadException {
        for (CatalogFile f : todo) {
            Path parent = folder.pathOf(entry, f).getParent();
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new DownloadException(DownloadException.Kind.DISK, "cannot create the folder " + parent + ": " + reason(e), e);
            }
        }
        checkSpace(entry, todo, dir);

        Progress progress = new Progress(entry.name(), todo, listener);
        for (int i = 0; i < todo.size(); i++) {
            CatalogFile f = todo.get(i);
            progress.initial(i, partialSize(ModelsFolder.partialOf(folder.pathOf(entry, f))));
        }
        for (int i = 0; i < todo.size(); i++) fetchWithRetries(entry, todo.get(i), i, options, progress, cancel);

        // Every file has passed its checks: now, and only now, replace what was there.
        for (CatalogFile f : todo) {
            Path target = folder.pathOf(entry, f);
            try {
                AtomicFiles.move(ModelsFolder.partialOf(target), target);
            } catch (IOException e) {
                throw new DownloadException(DownloadException.Kind.DISK, "cannot move the download into place at " + target + ": " + reason(e), e);
            }
        }
        progress.phase(DownloadProgress.Phase.DONE);
        Path tok = entry.tokenizerFile().map(f -> folder.pathOf(entry, f)).orElse(null);
        return new InstalledModel(entry, dir, folder.pathOf(entry, entry.modelFile()), tok);
    }

    private void checkSpace(CatalogEntry entry, List<CatalogFile> todo, Path dir) throws DownloadException {
        long needed = 0;
        for (CatalogFile f : todo) {
            if (f.sizeKnown()) needed += Math.max(0, f.size() - partialSize(ModelsFolder.partialOf(folder.pathOf(entry, f))));
        }
        if (needed == 0) return;
        long free;
        try {
            free = freeSpace.usableBytes(dir);
        } catch (IOException e) {
            return; // cannot tell: the write itself reports a full disk
        }
        if (needed + SPACE_MARGIN > free)
            throw new DownloadException(DownloadException.Kind.DISK, "not enough disk space in " + dir + ": " + entry.name()
                    + " needs " + Sizes.human(needed) + " more, " + Sizes.human(free) + " free");
    }

    private void fetchWithRetries(CatalogEntry entry, CatalogFile f, int index, Options options, Progress progress, CancelToken cancel)
            throws DownloadException {
        for (int attempt = 0; ; attempt++) {
            try {
                fetch(entry, f, index, options, progress, cancel);
                return;
            } catch (DownloadException e) {
                if (cancel.isCancelled() && e.kind() != DownloadException.Kind.CHECKSUM) throw cancelled(f);
                if (!e.transientFailure() || attempt >= options.retries()) throw e;
                progress.listener.note(e.getMessage() + "; retrying (" + (attempt + 1) + " of " + options.retries() + ")");
                sleep(options.retryDelay().multipliedBy(1L << Math.min(attempt, 6)), cancel, f);
            }
        }
    }

    /** One attempt at one file: transfer what is missing into the partial file, then check it. */
    private void fetch(CatalogEntry entry, CatalogFile f, int index, Options options, Progress progress, CancelToken cancel)
            throws DownloadException {
        Path target = folder.pathOf(entry, f);
        Path partial = ModelsFolder.partialOf(target);
        DownloadException rejected = null;
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null)
                throw new DownloadException(DownloadException.Kind.BUSY, partial + " is being downloaded by another window or command; wait for it to finish");
            try {
                long have = ch.size();
                if (f.sizeKnown() && have > f.size()) {
                    progress.listener.note(partial.getFileName() + " is larger than " + f.fileName() + " should be; starting again");
                    ch.truncate(0);
                    have = 0;
                }
                if (!(f.sizeKnown() && have == f.size())) have = transfer(f, index, ch, partial, have, options, progress, cancel);
                ch.force(true);
                progress.update(index, have, DownloadProgress.Phase.VERIFYING, true);
                verify(f, ch, have, progress.listener);
            } catch (DownloadException e) {
                if (e.kind() != DownloadException.Kind.CHECKSUM) throw e;
                rejected = e;
            }
        } catch (DownloadException e) {
            if (e.kind() != DownloadException.Kind.BUSY) deleteIfEmpty(partial); // a busy one belongs to the other download
            throw e;
        } catch (IOException e) {
            throw new DownloadException(DownloadException.Kind.DISK, "cannot write " + partial + ": " + reason(e), e);
        }
        if (rejected != null) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                rejected.addSuppressed(e);
            }
            throw rejected;
        }
    }

    private void verify(CatalogFile f, FileChannel ch, long have, DownloadListener listener) throws IOException {
        if (f.sizeKnown() && have != f.size()) {
            String msg = f.fileName() + ": downloaded " + have + " bytes, the catalog expects " + f.size();
            if (f.verified())
                throw new DownloadException(DownloadException.Kind.CHECKSUM, msg + "; the partial download was deleted, nothing installed was changed");
            listener.note("warning: " + msg + " (the catalog's size is unconfirmed; keeping the file)");
        }
        String actual = Checksums.sha256(ch);
        if (f.sha256() == null) {
            listener.note("warning: " + f.fileName() + " has no checksum in the catalog; its sha256 is " + actual + " (not verified)");
        } else if (!f.sha256().equals(actual)) {
            if (f.verified())
                throw new DownloadException(DownloadException.Kind.CHECKSUM, f.fileName() + ": sha256 mismatch (expected "
                        + f.sha256() + ", got " + actual + "); the partial download was deleted, nothing installed was changed");
            listener.note("warning: " + f.fileName() + ": sha256 " + actual + " differs from the catalog's unconfirmed value "
                    + f.sha256() + "; keeping the file");
        } else if (!f.verified()) {
            listener.note(f.fileName() + ": sha256 matches the catalog's value (which is not confirmed against the official source)");
        }
    }

    /** Sends the request and streams the body into the channel; returns the bytes now in the file. */
    private long transfer(CatalogFile f, int index, FileChannel ch, Path partial, long have, Options options,
                          Progress progress, CancelToken cancel) throws IOException {
        String host = f.url().getHost();
        for (int restart = 0; ; restart++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(f.url()).timeout(HEADERS_TIMEOUT).header("User-Agent", USER_AGENT).GET();
            if (have > 0) rb.header("Range", "bytes=" + have + "-");
            progress.update(index, have, DownloadProgress.Phase.CONNECTING, true);
            HttpResponse<InputStream> resp = send(rb.build(), f, cancel);
            try (InputStream body = resp.body()) {
                int status = resp.statusCode();
                long total;
                if (status == 206 && have > 0) {
                    long[] range = contentRange(resp.headers().firstValue("Content-Range").orElse(""));
                    if (range == null || range[0] != have) {
                        if (restart > 0) throw new DownloadException(DownloadException.Kind.INTERRUPTED, host + " answered the resume with a different range");
                        progress.listener.note(host + " answered with a different range; starting " + f.fileName() + " again from zero");
                        ch.truncate(0);
                        have = 0;
                        continue;
                    }
                    total = range[1];
                    progress.listener.note("resuming " + f.fileName() + " at " + Sizes.human(have));
                } else if (status == 200) {
                    if (have > 0) {
                        progress.listener.note(host + " does not support resuming; downloading " + f.fileName() + " again from zero");
                        ch.truncate(0);
                        have = 0;
                    }
                    total = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
                } else if (status == 416 && have > 0 && restart == 0) {
                    progress.listener.note(host + " refused to resume at " + Sizes.human(have) + "; downloading " + f.fileName() + " again from zero");
                    ch.truncate(0);
                    have = 0;
                    continue;
                } else {
                    throw httpError(status, f);
                }
                if (total > 0) {
                    checkOfferedSize(f, total, progress.listener);
                    progress.total(index, total);
                }
                return stream(f, index, body, ch, partial, have, total, options, progress, cancel);
            }
        }
    }

    private static void checkOfferedSize(CatalogFile f, long total, DownloadListener listener) throws DownloadException {
        if (!f.sizeKnown() || total == f.size()) return;
        String msg = f.url().getHost() + " offers " + total + " bytes for " + f.fileName() + ", the catalog expects " + f.size();
        if (f.verified())
            throw new DownloadException(DownloadException.Kind.CHECKSUM, msg + " (the file changed upstream or the catalog is wrong); nothing installed was changed");
        listener.note("warning: " + msg + " (the catalog's size is unconfirmed)");
    }

    private long stream(CatalogFile f, int index, InputStream body, FileChannel ch, Path partial, long have, long total,
                        Options options, Progress progress, CancelToken cancel) throws IOException {
        ch.position(have);
        AtomicLong lastByteNanos = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        long stallNanos = options.stallTimeout().toNanos();
        // HttpClient has no read timeout once the headers are in: a watchdog closes a body that stopped flowing.
        Thread watchdog = Thread.ofPlatform().daemon().name("download-watchdog").start(() -> {
            try {
                while (true) {
                    Thread.sleep(Math.max(10, Math.min(1000, stallNanos / 4_000_000)));
                    if (System.nanoTime() - lastByteNanos.get() > stallNanos) {
                        stalled.set(true);
                        body.close();
                        return;
                    }
                }
            } catch (InterruptedException | IOException e) {
                // finished normally, or the close failed: the reader ends either way
            }
        });
        cancel.setActive(body);
        try {
            byte[] buf = new byte[BUFFER_BYTES];
            ByteBuffer bb = ByteBuffer.wrap(buf);
            long got = have;
            while (true) {
                if (cancel.isCancelled()) throw cancelled(f);
                int n;
                try {
                    n = body.read(buf);
                } catch (IOException e) {
                    if (cancel.isCancelled()) throw cancelled(f);
                    if (stalled.get())
                        throw new DownloadException(DownloadException.Kind.INTERRUPTED, f.url().getHost() + " sent nothing for "
                                + options.stallTimeout().toSeconds() + " s after " + Sizes.human(got) + " of " + f.fileName(), e);
                    throw interrupted(f, got, total, e);
                }
                if (n < 0) break;
                lastByteNanos.set(System.nanoTime());
                bb.clear().limit(n);
                try {
                    while (bb.hasRemaining()) ch.write(bb);
                } catch (IOException e) {
                    throw diskError(partial, got, e);
                }
                got += n;
                progress.transferred(n);
                progress.update(index, got, DownloadProgress.Phase.DOWNLOADING, false);
            }
            if (cancel.isCancelled()) throw cancelled(f);
            if (total > 0 && got < total) throw interrupted(f, got, total, null);
            progress.update(index, got, DownloadProgress.Phase.DOWNLOADING, true);
            return got;
        } finally {
            watchdog.interrupt();
            cancel.setActive(null);
        }
    }

    private HttpResponse<InputStream> send(HttpRequest req, CatalogFile f, CancelToken cancel) throws DownloadException {
        String host = f.url().getHost();
        if (cancel.isCancelled()) throw cancelled(f);
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw offline(host, "the connection timed out", e);
        } catch (HttpTimeoutException e) {
            throw new DownloadException(DownloadException.Kind.INTERRUPTED, host + " did not answer within " + HEADERS_TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            if (cancel.isCancelled()) throw cancelled(f);
            if (isUnreachable(e)) throw offline(host, describe(e), e);
            throw new DownloadException(DownloadException.Kind.INTERRUPTED, "the connection to " + host + " failed: " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelled(f);
        }
    }

    static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof UnresolvedAddressException
                    || t instanceof NoRouteToHostException) return true;
        }
        return false;
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) return "the name does not resolve";
        }
        return "connection refused or no route";
    }

    private static DownloadException offline(String host, String why, Throwable cause) {
        return new DownloadException(DownloadException.Kind.OFFLINE, "cannot reach " + host + " (" + why
                + "; no network?): a model file you already have can be opened directly instead of downloading", cause);
    }

    private static DownloadException httpError(int status, CatalogFile f) {
        String what = switch (status) {
            case 404 -> "HTTP 404 Not Found for " + f.url() + ": the file is not there (the catalog may be out of date)";
            case 401, 403 -> "HTTP " + status + " for " + f.url() + ": the server refuses the download (a private or gated repository?)";
            case 429 -> "HTTP 429 from " + f.url().getHost() + ": too many requests; try again later";
            default -> status >= 500
                    ? "HTTP " + status + " from " + f.url().getHost() + " for " + f.fileName() + ": the server has a problem; try again later"
                    : "HTTP " + status + " for " + f.url();
        };
        return new DownloadException(DownloadException.Kind.HTTP, status, what, null);
    }

    private static DownloadException interrupted(CatalogFile f, long got, long total, Throwable cause) {
        return new DownloadException(DownloadException.Kind.INTERRUPTED, "the connection to " + f.url().getHost() + " broke after "
                + Sizes.human(got) + (total > 0 ? " of " + Sizes.human(total) : "") + " of " + f.fileName()
                + " (the partial file is kept; pull again to resume)", cause);
    }

    private static DownloadException cancelled(CatalogFile f) {
        return new DownloadException(DownloadException.Kind.CANCELLED, "download of " + f.fileName()
                + " cancelled (the partial file is kept; pull again to resume)");
    }

    static DownloadException diskError(Path partial, long got, IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("no space left") || m.contains("not enough space") || m.contains("disk full") || m.contains("quota"))
            return new DownloadException(DownloadException.Kind.DISK, "disk full while writing " + partial + " after "
                    + Sizes.human(got) + ": free some space, then pull again to resume", e);
        return new DownloadException(DownloadException.Kind.DISK, "cannot write " + partial + ": " + reason(e), e);
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static final Pattern CONTENT_RANGE = Pattern.compile("\\s*bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)\\s*");

    /** {start, total (or -1)} of a Content-Range header, or null when it cannot be read. */
    static long[] contentRange(String header) {
        Matcher m = CONTENT_RANGE.matcher(header);
        if (!m.matches()) return null;
        try {
            long start = Long.parseLong(m.group(1));
            long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            return new long[] {start, total};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void deleteIfEmptyDir(Path dir) {
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) Files.delete(dir);
        } catch (IOException ignored) {
            // a leftover empty folder is harmless
        }
    }

    /** A failed first attempt (404, offline) should not leave an empty .partial file behind. */
    private static void deleteIfEmpty(Path partial) {
        try {
            if (Files.isRegularFile(partial) && Files.size(partial) == 0) Files.delete(partial);
        } catch (IOException ignored) {
            // harmless: an empty partial file is simply restarted next time
        }
    }

    private static long partialSize(Path partial) {
        try {
            return Files.isRegularFile(partial) ? Files.size(partial) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void sleep(Duration d, CancelToken cancel, CatalogFile f) throws DownloadException {
        long end = System.nanoTime() + d.toNanos();
        try {
            while (System.nanoTime() < end) {
                if (cancel.isCancelled()) throw cancelled(f);
                Thread.sleep(Math.max(1, Math.min(50, (end - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelled(f);
        }
    }

    /** Bookkeeping behind the progress reports: per-file bytes and totals, speed, and report throttling. */
    private static final class Progress {
        private static final long REPORT_NANOS = 100_000_000L;
        final DownloadListener listener;
        private final String entry;
        private final List<CatalogFile> files;
        private final long[] done;
        private final long[] totals;
        private final RateMeter rate = new RateMeter();
        private long transferred;
        private long lastReport;
        private int current;
        private DownloadProgress.Phase phase = DownloadProgress.Phase.CONNECTING;

        Progress(String entry, List<CatalogFile> files, DownloadListener listener) {
            this.entry = entry;
            this.files = files;
            this.listener = listener;
            this.done = new long[files.size()];
            this.totals = new long[files.size()];
            for (int i = 0; i < totals.length; i++) totals[i] = files.get(i).sizeKnown() ? files.get(i).size() : -1;
        }

        void initial(int i, long bytes) {
            done[i] = bytes;
        }

        void total(int i, long bytes) {
            totals[i] = bytes;
        }

        void transferred(long n) {
            transferred += n;
        }

        void phase(DownloadProgress.Phase p) {
            update(Math.max(0, Math.min(current, files.size() - 1)), files.isEmpty() ? 0 : done[current], p, true);
        }

        void update(int i, long fileDone, DownloadProgress.Phase p, boolean force) {
            if (files.isEmpty()) return;
            current = i;
            done[i] = fileDone;
            long now = System.nanoTime();
            if (!force && p == phase && now - lastReport < REPORT_NANOS) return;
            lastReport = now;
            phase = p;
            rate.sample(now, transferred);
            long sum = 0, total = 0;
            for (int k = 0; k < done.length; k++) {
                sum += done[k];
                total = total < 0 || totals[k] < 0 ? -1 : total + totals[k];
            }
            listener.progress(new DownloadProgress(entry, files.get(i).path(), i, files.size(), p, fileDone, totals[i], sum, total,
                    rate.bytesPerSecond()));
        }
    }
}

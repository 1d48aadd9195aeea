package dev.llamascope.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The downloader against a local HTTP server serving ../shared/: full download with sha256 check, a wrong
 * checksum, a connection dropped half way and resumed, a server without Range support, 404, no server at all,
 * cancel, a stalled connection, a full disk, a busy partial file.
 */
@Timeout(60)
class DownloaderTest {
    static final String MODEL = "models/stories260K/stories260K.bin";
    static final String TOKENIZER = "models/stories260K/tok512.bin";
    static final String MODEL_SHA = "b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696";
    static final String TOKENIZER_SHA = "037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312";
    static final long MODEL_SIZE = 1056540, TOKENIZER_SIZE = 6227;
    static final Downloader.Options NO_RETRY = new Downloader.Options(false, 0, Duration.ZERO, Duration.ofSeconds(20));

    @TempDir
    Path tmp;
    TestFileServer server;
    ModelsFolder folder;
    final List<String> notes = new CopyOnWriteArrayList<>();
    final List<DownloadProgress> reports = new CopyOnWriteArrayList<>();
    final DownloadListener listener = new DownloadListener() {
        @Override
        public void progress(DownloadProgress p) {
            reports.add(p);
        }

        @Override
        public void note(String message) {
            notes.add(message);
        }
    };

    @BeforeEach
    void start() throws IOException {
        SharedData.file(MODEL);
        server = new TestFileServer(SharedData.root());
        folder = new ModelsFolder(tmp.resolve("models"));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    CatalogEntry entry(String modelSha, long modelSize, boolean verified) {
        return entry(server.url(MODEL), modelSha, modelSize, verified);
    }

    CatalogEntry entry(URI modelUrl, String modelSha, long modelSize, boolean verified) {
        return new CatalogEntry("tiny", "test", "llama2.c", "MIT", true, null, "",
                List.of(new CatalogFile("stories260K.bin", CatalogFile.Role.MODEL, modelUrl, modelSize, modelSha, verified, ""),
                        new CatalogFile("tokenizer.bin", CatalogFile.Role.TOKENIZER, server.url(TOKENIZER), TOKENIZER_SIZE,
                                TOKENIZER_SHA, true, "")));
    }

    Downloader downloader() {
        return new Downloader(folder);
    }

    Path target(CatalogEntry e) {
        return folder.pathOf(e, e.modelFile());
    }

    Path partial(CatalogEntry e) {
        return ModelsFolder.partialOf(target(e));
    }

    @Test
    void fullDownloadIsVerifiedInstalledAndLoads() throws Exception {
        CatalogEntry e = entry(MODEL_SHA, MODEL_SIZE, true);
        assertEquals(InstallStatus.State.NOT_INSTALLED, folder.status(e).state());
        InstalledModel m = downloader().download(e, NO_RETRY, listener, new CancelToken());

        assertEquals(MODEL_SHA, Checksums.sha256(m.model()));
        assertEquals(TOKENIZER_SHA, Checksums.sha256(m.tokenizer()));
        assertFalse(Files.exists(partial(e)), "no .partial file is left behind");
        assertEquals(InstallStatus.State.INSTALLED, folder.status(e).state());
        DownloadProgress last = reports.getLast();
        assertEquals(DownloadProgress.Phase.DONE, last.phase());
        assertEquals(MODEL_SIZE + TOKENIZER_SIZE, last.done());
        assertEquals(MODEL_SIZE + TOKENIZER_SIZE, last.total());
        assertTrue(reports.stream().anyMatch(p -> p.phase() == DownloadProgress.Phase.VERIFYING));
        // The tokenizer was stored as tokenizer.bin beside the checkpoint, where the loader finds it without -z.
        try (LoadedModel lm = ModelLoader.load(m.model(), null)) {
            assertEquals(512, lm.tokenizer().size());
        }
        // A second pull does nothing.
        notes.clear();
        downloader().download(e, NO_RETRY, listener, new CancelToken());
        assertTrue(notes.getFirst().contains("already installed"), notes.toString());
        assertEquals(2, server.requests.size(), "the second pull sends no request: " + server.requests);
    }

    @Test
    void wrongChecksumDeletesThePartialFileAndKeepsTheInstalledModel() throws Exception {
        CatalogEntry good = entry(MODEL_SHA, MODEL_SIZE, true);
        downloader().download(good, NO_RETRY, listener, new CancelToken());
        byte[] installed = Files.readAllBytes(target(good));

        String wrong = "0".repeat(64);
        CatalogEntry bad = entry(wrong, MODEL_SIZE, true);
        DownloadException ex = assertThrows(DownloadException.class,
                () -> downloader().download(bad, NO_RETRY.withForce(true), listener, new CancelToken()));
        assertEquals(DownloadException.Kind.CHECKSUM, ex.kind());
        assertTrue(ex.getMessage().contains("sha256 mismatch") && ex.getMessage().contains(wrong) && ex.getMessage().contains(MODEL_SHA),
                ex.getMessage());
        assertFalse(Files.exists(partial(bad)), "the partial file is deleted");
        assertArrayEquals(installed, Files.readAllBytes(target(good)), "the installed model is untouched");
    }

    @Test
    void wrongChecksumWithNothingInstalledLeavesNothing() throws Exception {
        CatalogEntry bad = entry("1".repeat(64), MODEL_SIZE, true);
        DownloadException ex = assertThrows(DownloadException.class, () -> downloader().download(bad, NO_RETRY, listener, new CancelToken()));
        assertEquals(DownloadException.Kind.CHECKSUM, ex.kind());
        assertFalse(Files.exists(partial(bad)));
        assertFalse(Files.exists(target(bad)));
    }

    @Test
    void droppedConnectionKeepsThePartialFileAndTheNextPullResumesAndVerifies() throws Exception {
        CatalogEntry e = entry(MODEL_SHA, MODEL_SIZE, true);
        server.cutResponses = 1;
        server.cutAfter = MODEL_SIZE / 2;
        DownloadException ex = assertThrows(DownloadException.class, () -> downloader().download(e, NO_RETRY, listener, new CancelToken()));
        assertEquals(DownloadException.Kind.INTERRUPTED, ex.kind(), ex.getMessage());
        assertTrue(ex.getMessage().contains("broke after") && ex.getMessage().contains("resume"), ex.getMessage());
        long kept = Files.size(partial(e));
        assertTrue(kept > 0 && kept <= MODEL_SIZE / 2, "partial file holds what arrived: " + kept);
        assertFalse(Files.exists(target(e)));

        InstalledModel m = downloader().download(e, NO_RETRY, listener, new CancelToken());
        assertEquals("/" + MODEL + " bytes=" + kept + "-", server.requests.get(1), "the second request asks for the rest");
        assertEquals(MODEL_SHA, Checksums.sha256(m.model()));
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("resuming stories260K.bin")), notes.toString());
        assertFalse(Files.exists(partial(e)));
    }

    @Test
    void droppedConnectionIsResumedAutomaticallyWithinOnePull() throws Exception {
        CatalogEntry e = entry(MODEL_SHA, MODEL_SIZE, true);
        server.cutResponses = 2;
        server.cutAfter = MODEL_SIZE / 3;
        Downloader.Options opts = new Downloader.Options(false, 3, Duration.ofMillis(1), Duration.ofSeconds(20));
        InstalledModel m = downloader().download(e, opts, listener, new CancelToken());
        assertEquals(MODEL_SHA, Checksums.sha256(m.model()));
        assertEquals(2, notes.stream().filter(n -> n.contains("retrying")).count(), notes.toString());
        assertTrue(server.requests.get(1).contains("bytes=") && server.requests.get(2).contains("bytes="), server.requests.toString());
    }

    @Test
    void serverWithoutRangeSupportRestartsFromZero() throws Exception {
        CatalogEntry e = entry(MODEL_SHA, MODEL_SIZE, true);
        Files.createDirectories(partial(e).getParent());
        // A partial file of garbage: if it were kept, the sha256 check would fail.
        Files.write(partial(e), new byte[300_000]);
        server.supportRanges = false;
        InstalledModel m = downloader().download(e, NO_RETRY, listener, new CancelToken());
        assertEquals(MODEL_SHA, Checksums.sha256(m.model()));
        assertTrue(server.requests.getFirst().endsWith("bytes=300000-"), server.requests.toString());
        assertTrue(notes.stream().anyMatch(n -> n.contains("does not support resuming")), notes.toString());
    }

    @Test
    void partialLargerThanTheFileIsDiscarded() throws Exception {
        CatalogEntry e = entry(MODEL_SHA, MODEL_SIZE, true);
        Files.createDirectories(partial(e).getParent());
        Files.write(partial(e), new byte[(int) MODEL_SIZE + 10]);
        InstalledModel m = downloader().download(e, NO_RETRY, listener, new CancelToken());
        assertEquals(MODEL_SHA, Checksums.sha256(m.model()));
        assertEquals("/" + MODEL + " null", server.requests.getFirst());
    }

    @Test
    void completePartialFileNeedsNoNetwork() throws Exception {
        CatalogEntry e = entry(MODEL_SHA, MODEL_SIZE, true);
        Files.createDirectories(partial(e).getParent());
        Files.copy(SharedData.file(MODEL), partial(e));
        InstalledModel m = downloader().download(e, NO_RETRY, listener, new CancelToken());
        assertEquals(MODEL_SHA, Checksums.sha256(m.model()));
        assertTrue(server.requests.stream().noneMatch(r -> r.startsWith("/" + MODEL)), server.requests.toString());
    }

    @Test
    void http404SaysSoAndLeavesNoPartialFile() {
        CatalogEntry e = entry(server.url("models/stories260K/no-such-file.bin"), MODEL_SHA, MODEL_SIZE, true);
        DownloadException ex = assertThrows(DownloadException.class, () -> downloader().download(e, NO_RETRY, listener, new CancelToken()));
        assertEquals(DownloadException.Kind.HTTP, ex.kind());
        assertEquals(404, ex.httpStatus());
        assertTrue(ex.getMessage().startsWith("HTTP 404 Not Found for http://127.0.0.1:") && ex.getMessage().contains("no-such-file.bin"),
                ex.getMessage());
        assertFalse(Files.exists(partial(e)), "an empty partial file is not left behind");
        assertFalse(Files.exists(folder.dirOf(e)), "nor the empty folder the failed first pull created");
    }

    @Test
    void noServerIsReportedAsOfflineWithTheLocalFileHint() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CatalogEntry e = entry(URI.create("http://127.0.0.1:" + port + "/x.bin"), MODEL_SHA, MODEL_SIZE, true);
        DownloadException ex = assertThrows(DownloadException.class, () -> downloader().download(e, NO_RETRY, listener, new CancelToken()));
        assertEquals(DownloadException.Kind.OFFLINE, ex.kind());
        assertTrue(ex.getMessage().startsWith("cannot reach 127.0.0.1") && ex.getMessage().contains("opened directly"), ex.getMessage());
    }

    @Test
    void unreachableCausesAreClassifiedAsOffline() {
        // A failed DNS lookup cannot be produced reliably in a test (resolvers differ): check the classification.
        assertTrue(Downloader.isUnreachable(new IOException(new java.net.ConnectException("x"))));
        java.net.ConnectException dns = new java.net.ConnectException();
        dns.initCause(new java.nio.channels.UnresolvedAddressException());
        assertTrue(Downloader.isUnreachable(dns));
        assertTrue(Downloader.isUnreachable(new java.net.UnknownHostException("huggingface.co")));
        assertFalse(Downloader.isUnreachable(new IOException("connection reset")));
    }

    @Test
    void cancelStopsSoonAndKeepsThePartialFileForAResume() throws Exception {
        CatalogEntry e = entry(MODEL_SHA, MODEL_SIZE, true);
        server.chunkDelayMillis = 20; // ~1.3 s for the whole file
        CountDownLatch started = new CountDownLatch(1);
        DownloadListener l = new DownloadListener() {
            @Override
            public void progress(DownloadProgress p) {
                if (p.phase() == DownloadProgress.Phase.DOWNLOADING && p.fileDone() > 0) started.countDown();
            }
        };
        Download d = Download.start(downloader(), e, NO_RETRY, l);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        d.cancel();
        ExecutionException ex = assertThrows(ExecutionException.class, () -> d.result().get(10, TimeUnit.SECONDS));
        DownloadException de = assertInstanceOf(DownloadException.class, ex.getCause());
        assertEquals(DownloadException.Kind.CANCELLED, de.kind());
        assertTrue(Files.size(partial(e)) > 0 && Files.size(partial(e)) < MODEL_SIZE);
        assertFalse(Files.exists(target(e)));

        server.chunkDelayMillis = 0;
        InstalledModel m = downloader().download(e, NO_RETRY, listener, new CancelToken());
        assertEquals(MODEL_SHA, Checksums.sha256(m.model()));
    }

    @Test
    void silentServerIsGivenUpAfterTheStallTimeout() throws Exception {
        CatalogEntry e = entry(MODEL_SHA, MODEL_SIZE, true);
        server.cutResponses = 1;
        server.cutAfter = 100_000;
        server.cutCloses = false;
        Downloader.Options opts = new Downloader.Options(false, 0, Duration.ZERO, Duration.ofMillis(300));
        DownloadException ex = assertThrows(DownloadException.class, () -> downloader().download(e, opts, listener, new CancelToken()));
        assertEquals(DownloadException.Kind.INTERRUPTED, ex.kind());
        assertTrue(ex.getMessage().contains("sent nothing for"), ex.getMessage());
        assertTrue(Files.size(partial(e)) > 0);
    }

    @Test
    void notEnoughDiskSpaceIsCheckedBeforeDownloading() {
        CatalogEntry e = entry(MODEL_SHA, MODEL_SIZE, true);
        Downloader tiny = new Downloader(folder, Downloader.defaultClient(), dir -> 500_000);
        DownloadException ex = assertThrows(DownloadException.class, () -> tiny.download(e, NO_RETRY, listener, new CancelToken()));
        assertEquals(DownloadException.Kind.DISK, ex.kind());
        assertTrue(ex.getMessage().startsWith("not enough disk space in ") && ex.getMessage().contains("500 kB free"), ex.getMessage());
        assertTrue(server.requests.isEmpty());
    }

    @Test
    void serverOfferingAnotherSizeIsRejectedBeforeTheTransfer() {
        CatalogEntry e = entry(MODEL_SHA, MODEL_SIZE + 1, true);
        DownloadException ex = assertThrows(DownloadException.class, () -> downloader().download(e, NO_RETRY, listener, new CancelToken()));
        assertEquals(DownloadException.Kind.CHECKSUM, ex.kind());
        assertTrue(ex.getMessage().contains("offers " + MODEL_SIZE + " bytes") && ex.getMessage().contains("expects " + (MODEL_SIZE + 1)),
                ex.getMessage());
        assertFalse(Files.exists(partial(e)));
    }

    @Test
    void unverifiedFilesAreKeptWithAWarning() throws Exception {
        CatalogEntry noSha = entry(null, -1, false);
        InstalledModel m = downloader().download(noSha, NO_RETRY, listener, new CancelToken());
        assertEquals(MODEL_SHA, Checksums.sha256(m.model()));
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("warning: stories260K.bin has no checksum") && n.contains(MODEL_SHA)), notes.toString());

        notes.clear();
        CatalogEntry wrongSha = entry("2".repeat(64), MODEL_SIZE, false);
        downloader().download(wrongSha, NO_RETRY.withForce(true), listener, new CancelToken());
        assertTrue(notes.stream().anyMatch(n -> n.contains("differs from the catalog's unconfirmed value")), notes.toString());
    }

    @Test
    void aSecondDownloadOfTheSameFileIsRefusedWhileTheFirstRuns() throws Exception {
        CatalogEntry e = entry(MODEL_SHA, MODEL_SIZE, true);
        Files.createDirectories(partial(e).getParent());
        try (FileChannel ch = FileChannel.open(partial(e), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            assertNotNull(lock);
            DownloadException ex = assertThrows(DownloadException.class, () -> downloader().download(e, NO_RETRY, listener, new CancelToken()));
            assertEquals(DownloadException.Kind.BUSY, ex.kind());
        }
    }

    @Test
    void aFullDiskDuringTheTransferSaysSoAndHowToGoOn() {
        DownloadException full = Downloader.diskError(Path.of("m/x.bin.partial"), 30_000_000, new IOException("No space left on device"));
        assertEquals(DownloadException.Kind.DISK, full.kind());
        assertEquals("disk full while writing m/x.bin.partial after 30.0 MB: free some space, then pull again to resume", full.getMessage());
        DownloadException other = Downloader.diskError(Path.of("m/x.bin.partial"), 0, new IOException("Input/output error"));
        assertEquals("cannot write m/x.bin.partial: Input/output error", other.getMessage());
    }

    @Test
    void contentRangeHeaders() {
        assertArrayEquals(new long[] {100, 1000}, Downloader.contentRange("bytes 100-999/1000"));
        assertArrayEquals(new long[] {5, -1}, Downloader.contentRange("bytes 5-9/*"));
        assertEquals(null, Downloader.contentRange("items 1-2/3"));
    }
}

package dev.llamascope.engine.catalog;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP server on 127.0.0.1 (a free port) serving the files of a folder, with switches for the ways real
 * servers misbehave: no Range support, a connection dropped half way, a connection that goes silent, slow bodies.
 */
final class TestFileServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final Path root;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-http");
        t.setDaemon(true);
        return t;
    });

    /** Every request: "path range-header-or-null". */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** When false the server ignores Range headers and always sends the whole file with 200. */
    volatile boolean supportRanges = true;
    /** The next this-many responses stop after {@link #cutAfter} body bytes. */
    volatile int cutResponses;
    volatile long cutAfter;
    /** When cutting: true closes the connection, false keeps it open and silent (a stalled server). */
    volatile boolean cutCloses = true;
    /** Pause per 16 KiB chunk, to make downloads slow enough to cancel. */
    volatile long chunkDelayMillis;

    TestFileServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url(String relative) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + relative);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String range = ex.getRequestHeaders().getFirst("Range");
            requests.add(path + " " + range);
            Path file = root.resolve(path.substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] data = Files.readAllBytes(file);
            int start = 0, status = 200;
            if (range != null && supportRanges) {
                Matcher m = RANGE.matcher(range);
                if (m.matches()) {
                    long from = Long.parseLong(m.group(1));
                    if (from >= data.length) {
                        ex.getResponseHeaders().set("Content-Range", "bytes */" + data.length);
                        ex.sendResponseHeaders(416, -1);
                        return;
                    }
                    start = (int) from;
                    status = 206;
                    ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
                }
            }
            int len = data.length - start;
            ex.sendResponseHeaders(status, len);
            OutputStream os = ex.getResponseBody();
            int limit = len;
            boolean cut = false;
            synchronized (this) {
                if (cutResponses > 0) {
                    cutResponses--;
                    cut = true;
                    limit = (int) Math.min(len, cutAfter);
                }
            }
            for (int off = 0; off < limit; off += 16384) {
                os.write(data, start + off, Math.min(16384, limit - off));
                if (chunkDelayMillis > 0) {
                    os.flush();
                    sleep(chunkDelayMillis);
                }
            }
            os.flush();
            if (cut) {
                if (!cutCloses) sleep(30_000); // silent until the client gives up (it closes the connection)
                // Fewer bytes than Content-Length: closing the exchange now breaks the connection for the client.
                throw new IOException("test server: connection cut on purpose");
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}

package dev.llamascope.app.ui.catalog;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP server on 127.0.0.1 (a free port) serving the files of a folder, with Range requests (for resuming)
 * and an adjustable pause per 16 KiB, so that a small file downloads slowly enough to watch and to cancel.
 */
final class LocalFileServer implements AutoCloseable {
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
    volatile long chunkDelayMillis;

    LocalFileServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String relative) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + relative;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String range = ex.getRequestHeaders().getFirst("Range");
            requests.add(ex.getRequestURI().getPath() + " " + range);
            Path file = root.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] data = Files.readAllBytes(file);
            int start = 0, status = 200;
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m != null && m.matches() && Long.parseLong(m.group(1)) < data.length) {
                start = Integer.parseInt(m.group(1));
                status = 206;
                ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
            }
            ex.sendResponseHeaders(status, data.length - start);
            OutputStream os = ex.getResponseBody();
            for (int off = start; off < data.length; off += 16384) {
                os.write(data, off, Math.min(16384, data.length - off));
                os.flush();
                long delay = chunkDelayMillis;
                if (delay > 0) {
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // the client went away (a cancelled download): nothing to do
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}

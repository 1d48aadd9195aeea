package dev.llamascope.engine.data.synth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat-completions server on 127.0.0.1 for tests: answers each user message with a story that quotes it, after
 * an optional delay, with faults injected by a script that sees the prompt and its attempt number.
 */
final class FakeChatServer implements AutoCloseable {

    enum Fault { NONE, RATE_LIMITED, SERVER_ERROR, UNAVAILABLE, DROP_CONNECTION, SLOW, UNAUTHORIZED }

    @FunctionalInterface
    interface Script {
        Fault fault(String prompt, int attempt);
    }

    private final HttpServer server;
    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<Map<String, Object>> bodies = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger(), maxInFlight = new AtomicInteger(), requests = new AtomicInteger();
    volatile Script script = (p, a) -> Fault.NONE;
    volatile long delayMillis;
    volatile long slowMillis = 2000;

    FakeChatServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "fake-chat-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    int attemptsFor(String promptPart) {
        int n = 0;
        for (var e : attempts.entrySet()) if (e.getKey().contains(promptPart)) n += e.getValue().get();
        return n;
    }

    @SuppressWarnings("unchecked")
    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, Object> req = Json.parseObject(body);
            bodies.add(req);
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            List<Object> messages = (List<Object>) req.get("messages");
            String prompt = (String) ((Map<String, Object>) messages.get(messages.size() - 1)).get("content");
            int attempt = attempts.computeIfAbsent(prompt, k -> new AtomicInteger()).incrementAndGet();
            if (delayMillis > 0) sleep(delayMillis);
            switch (script.fault(prompt, attempt)) {
                case RATE_LIMITED -> {
                    ex.getResponseHeaders().add("Retry-After", "0");
                    send(ex, 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}");
                    return;
                }
                case SERVER_ERROR -> {
                    send(ex, 500, "{\"error\":{\"message\":\"The server had an error\"}}");
                    return;
                }
                case UNAVAILABLE -> {
                    send(ex, 503, "<html>busy</html>");
                    return;
                }
                case UNAUTHORIZED -> {
                    send(ex, 401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}");
                    return;
                }
                case DROP_CONNECTION -> {
                    // No status line at all: the server closes the connection when a handler fails.
                    throw new IOException("dropping the connection on purpose");
                }
                case SLOW -> sleep(slowMillis);
                case NONE -> { }
            }
            String reply;
            if (prompt.contains("\"Summary:\"")) reply = "Summary: A " + req.get("model") + " plan.\nSentence: \"It was a sunny day.\"";
            else reply = "Once upon a time. " + prompt;
            String json = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":" + Json.write(req.get("model"))
                    + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + Json.write(reply)
                    + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20,\"total_tokens\":30}}";
            send(ex, 200, json);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

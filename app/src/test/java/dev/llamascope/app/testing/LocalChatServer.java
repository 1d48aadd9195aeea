package dev.llamascope.app.testing;

import com.sun.net.httpserver.HttpServer;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An OpenAI-compatible chat-completions endpoint on 127.0.0.1 for tests: answers the last user message with what an
 * author function writes for it, counts calls, and can be told to wait or to fail with HTTP 500. The stories
 * themselves are the subclasses' business (a template grammar for the recipe test, canned stories for the Data pane).
 */
public class LocalChatServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean failing;
    private volatile int delayMillis;

    /**
     * @param port 0 for any free port
     * @param author the reply to a prompt
     */
    public LocalChatServer(int port, UnaryOperator<String> author) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "local-chat-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/v1/chat/completions", ex -> {
            calls.incrementAndGet();
            byte[] body;
            int status = 200;
            try {
                Map<String, Object> req = Json.parseObject(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                List<?> messages = (List<?>) req.get("messages");
                String prompt = (String) ((Map<?, ?>) messages.getLast()).get("content");
                if (delayMillis > 0) Thread.sleep(delayMillis);
                if (failing) {
                    status = 500;
                    body = "{\"error\":{\"message\":\"the local server is told to fail\"}}".getBytes(StandardCharsets.UTF_8);
                } else {
                    String story = author.apply(prompt);
                    int promptTokens = prompt.length() / 4, completionTokens = story.length() / 4;
                    body = ("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":" + Json.write(story)
                            + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + promptTokens
                            + ",\"completion_tokens\":" + completionTokens + "}}").getBytes(StandardCharsets.UTF_8);
                }
            } catch (RuntimeException | InterruptedException e) {
                status = 400;
                body = ("{\"error\":{\"message\":" + Json.write("bad request: " + e) + "}}").getBytes(StandardCharsets.UTF_8);
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public int calls() {
        return calls.get();
    }

    public void failing(boolean f) {
        failing = f;
    }

    public void delay(int millis) {
        delayMillis = millis;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

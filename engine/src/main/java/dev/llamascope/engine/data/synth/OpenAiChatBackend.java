package dev.llamascope.engine.data.synth;

import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A chat-completions client: one user message (after an optional system message) per prompt, the first choice's
 * message as the reply, token counts from {@code usage}. Rate limited across threads; 408, 429, 5xx, timeouts and
 * dropped connections are retried with exponential backoff (honouring Retry-After); other 4xx answers stop the run,
 * since every prompt would fail the same way.
 */
public final class OpenAiChatBackend implements GenerationBackend {

    /** Told about each retry (for a log or a status line). */
    @FunctionalInterface
    public interface RetryListener {
        void retrying(int attempt, String reason, Duration wait);
    }

    private final EndpointConfig config;
    private final String apiKey;
    private final HttpClient client;
    private final RateLimiter limiter;
    private final RetryListener retries;

    /**
     * @param env looks up environment variables ({@code System::getenv}); the API key is read once, here
     */
    public OpenAiChatBackend(EndpointConfig config, Function<String, String> env, RetryListener retries) {
        this.config = config;
        if (config.apiKeyVariable() != null) {
            String k = env.apply(config.apiKeyVariable());
            if (k == null || k.isBlank())
                throw new IllegalArgumentException("the environment variable " + config.apiKeyVariable() + " is not set (it should hold the API key)");
            this.apiKey = k.strip();
        } else {
            this.apiKey = null;
        }
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // local servers rarely speak h2c; no upgrade dance
                .connectTimeout(Duration.ofSeconds(Math.min(30, Math.max(1, config.timeout().toSeconds()))))
                .build();
        this.limiter = new RateLimiter(config.requestsPerMinute());
        this.retries = retries != null ? retries : (a, r, w) -> {};
    }

    @Override
    public String model() {
        return config.model();
    }

    /** The JSON body for a prompt. */
    String requestBody(String prompt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", config.model());
        List<Object> messages = new ArrayList<>();
        if (config.systemPrompt() != null) messages.add(Map.of("role", "system", "content", config.systemPrompt()));
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("role", "user");
        user.put("content", prompt);
        messages.add(user);
        body.put("messages", messages);
        body.put("max_tokens", config.maxTokens());
        body.put("temperature", config.temperature());
        return Json.write(body);
    }

    @Override
    public Completion complete(String prompt) throws IOException, InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(config.chatCompletionsUri())
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody(prompt), StandardCharsets.UTF_8));
        if (apiKey != null) rb.header("Authorization", "Bearer " + apiKey);
        HttpRequest request = rb.build();
        RetryPolicy policy = config.retry();
        String lastProblem = "";
        for (int attempt = 1; ; attempt++) {
            limiter.acquire();
            Duration retryAfter = null;
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int code = r.statusCode();
                if (code == 200) {
                    try {
                        return parse(r.body(), attempt);
                    } catch (RuntimeException e) {
                        lastProblem = "unreadable reply (" + e.getMessage() + ")";
                    }
                } else if (code == 408 || code == 429 || code >= 500) {
                    lastProblem = "HTTP " + code + errorMessage(r.body());
                    retryAfter = retryAfter(r);
                } else {
                    throw new GenerationException(config.chatCompletionsUri() + " answered HTTP " + code + errorMessage(r.body()), true, attempt, null);
                }
            } catch (HttpTimeoutException e) {
                lastProblem = "no reply within " + config.timeout().toSeconds() + " s";
            } catch (java.net.ConnectException e) {
                lastProblem = "cannot connect to " + config.chatCompletionsUri();
            } catch (GenerationException e) {
                throw e;
            } catch (IOException e) {
                lastProblem = "connection lost (" + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")";
            }
            if (attempt >= policy.maxAttempts())
                throw new GenerationException("gave up after " + attempt + " attempts: " + lastProblem, false, attempt, null);
            Duration wait = policy.delay(attempt, retryAfter);
            retries.retrying(attempt, lastProblem, wait);
            Thread.sleep(wait.toMillis());
        }
    }

    /** Reads choices[0].message.content, finish_reason and usage. */
    @SuppressWarnings("unchecked")
    static Completion parse(String body, int attempts) {
        Map<String, Object> o = Json.parseObject(body);
        if (!(o.get("choices") instanceof List<?> choices) || choices.isEmpty() || !(choices.get(0) instanceof Map<?, ?> c0))
            throw new IllegalArgumentException("no choices in the reply");
        Map<String, Object> choice = (Map<String, Object>) c0;
        String text;
        if (choice.get("message") instanceof Map<?, ?> msg) text = Json.string((Map<String, Object>) msg, "content", null);
        else text = Json.string(choice, "text", null); // legacy completions shape
        if (text == null) throw new IllegalArgumentException("the first choice has no message content");
        long pt = 0, ct = 0;
        if (o.get("usage") instanceof Map<?, ?> u) {
            Map<String, Object> usage = (Map<String, Object>) u;
            pt = Json.integer(usage, "prompt_tokens", 0);
            ct = Json.integer(usage, "completion_tokens", 0);
        }
        return new Completion(text, pt, ct, Json.string(choice, "finish_reason", ""), attempts);
    }

    /** ": message" from an OpenAI-style error body ({"error": {"message": ...}}), or a short prefix of the body. */
    @SuppressWarnings("unchecked")
    private static String errorMessage(String body) {
        if (body == null || body.isBlank()) return "";
        try {
            Map<String, Object> o = Json.parseObject(body);
            Object e = o.get("error");
            if (e instanceof Map<?, ?> m && ((Map<String, Object>) m).get("message") instanceof String s) return ": " + s;
            if (e instanceof String s) return ": " + s;
        } catch (RuntimeException ignored) {
            // not JSON: show the start of it
        }
        String b = body.strip().replaceAll("\\s+", " ");
        return ": " + (b.length() > 200 ? b.substring(0, 200) + "…" : b);
    }

    private static Duration retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofMillis((long) (Double.parseDouble(v.strip()) * 1000));
            } catch (NumberFormatException e) {
                return null; // an HTTP date: use our own backoff
            }
        }).orElse(null);
    }

    @Override
    public void close() {
        client.close();
    }
}

package dev.llamascope.engine.data.synth;

import static org.junit.jupiter.api.Assertions.*;

import dev.llamascope.engine.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoryGenerationRunTest {
    FakeChatServer server;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = new FakeChatServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(40), 2);

    EndpointConfig config(double rpm, Duration timeout) {
        return new EndpointConfig(server.baseUrl(), "test-model", null, null, 256, 0.7, rpm, timeout, FAST);
    }

    OpenAiChatBackend backend() {
        return new OpenAiChatBackend(config(0, Duration.ofSeconds(10)), k -> null, null);
    }

    static List<StoryPrompt> prompts(int n, boolean hierarchical) throws Exception {
        return PromptBuilderTest.english().build(new PromptOptions(11, n, 0, 2, hierarchical));
    }

    static List<Map<String, Object>> records(Path f) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) out.add(Json.parseObject(line));
        return out;
    }

    @Test
    void keepsNRequestsInFlightAndWritesEveryRecordOnce() throws Exception {
        server.delayMillis = 80;
        List<StoryPrompt> ps = prompts(16, false);
        Path out = dir.resolve("stories.jsonl");
        StoryGenerationRun.Summary s;
        try (OpenAiChatBackend b = backend()) {
            s = new StoryGenerationRun(b, 4, Pricing.FREE).run(ps, out, false, null);
        }
        assertEquals(4, server.maxInFlight.get(), "requests in flight at once");
        assertEquals(16, s.written());
        List<Map<String, Object>> recs = records(out);
        assertEquals(16, recs.size());
        Set<Object> ids = new HashSet<>();
        for (Map<String, Object> r : recs) {
            assertTrue(ids.add(r.get("id")));
            StoryPrompt p = ps.stream().filter(x -> x.id().equals(r.get("id"))).findFirst().orElseThrow();
            assertEquals("Once upon a time. " + p.prompt(), r.get("story"));
            assertEquals(p.noun(), ((Map<?, ?>) r.get("words")).get("noun"));
            assertEquals(p.features(), r.get("features"));
            assertEquals("test-model", r.get("model"));
        }
        Map<String, Object> body = server.bodies.get(0);
        assertEquals("test-model", body.get("model"));
        assertEquals(256L, body.get("max_tokens"));
        assertEquals(0.7, body.get("temperature"));
    }

    @Test
    void retriesRateLimitsServerErrorsDroppedConnectionsAndTimeouts() throws Exception {
        List<StoryPrompt> ps = prompts(5, false);
        // prompt 0: 429 once; 1: 500 once; 2: dropped connection once; 3: 503 twice; 4: too slow once
        server.slowMillis = 1500;
        server.script = (prompt, attempt) -> {
            int i = indexOf(ps, prompt);
            return switch (i) {
                case 0 -> attempt == 1 ? FakeChatServer.Fault.RATE_LIMITED : FakeChatServer.Fault.NONE;
                case 1 -> attempt == 1 ? FakeChatServer.Fault.SERVER_ERROR : FakeChatServer.Fault.NONE;
                case 2 -> attempt == 1 ? FakeChatServer.Fault.DROP_CONNECTION : FakeChatServer.Fault.NONE;
                case 3 -> attempt <= 2 ? FakeChatServer.Fault.UNAVAILABLE : FakeChatServer.Fault.NONE;
                default -> attempt == 1 ? FakeChatServer.Fault.SLOW : FakeChatServer.Fault.NONE;
            };
        };
        List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
        Path out = dir.resolve("stories.jsonl");
        StoryGenerationRun.Summary s;
        try (OpenAiChatBackend b = new OpenAiChatBackend(config(0, Duration.ofMillis(400)), k -> null,
                (attempt, reason, wait) -> reasons.add(reason))) {
            s = new StoryGenerationRun(b, 3, Pricing.FREE).run(ps, out, false, null);
        }
        assertEquals(5, s.written(), "all prompts end up answered: " + s.firstError());
        assertEquals(0, s.failed());
        assertEquals(6, s.usage().retries(), reasons.toString());
        assertEquals(11, s.usage().requests());
        assertEquals(2, server.attemptsFor(ps.get(0).prompt()));
        assertEquals(3, server.attemptsFor(ps.get(3).prompt()));
        String all = String.join("\n", reasons);
        assertTrue(all.contains("HTTP 429: Rate limit reached"), all);
        assertTrue(all.contains("HTTP 500: The server had an error"), all);
        assertTrue(all.contains("HTTP 503: <html>busy</html>"), all);
        assertTrue(all.contains("connection lost"), all);
        assertTrue(all.contains("no reply within"), all);
        assertEquals(5, records(out).size());
    }

    static int indexOf(List<StoryPrompt> ps, String prompt) {
        for (int i = 0; i < ps.size(); i++) if (ps.get(i).prompt().equals(prompt)) return i;
        return -1;
    }

    @Test
    void givesUpAfterTheLastAttemptAndGoesOnWithTheRest() throws Exception {
        List<StoryPrompt> ps = prompts(4, false);
        server.script = (prompt, attempt) -> prompt.equals(ps.get(2).prompt()) ? FakeChatServer.Fault.SERVER_ERROR : FakeChatServer.Fault.NONE;
        Path out = dir.resolve("s.jsonl");
        StoryGenerationRun.Summary s;
        try (OpenAiChatBackend b = backend()) {
            s = new StoryGenerationRun(b, 2, Pricing.FREE).run(ps, out, false, null);
        }
        assertEquals(3, s.written());
        assertEquals(1, s.failed());
        assertEquals(4, server.attemptsFor(ps.get(2).prompt()));
        assertTrue(s.firstError().startsWith(ps.get(2).id() + ": gave up after 4 attempts: HTTP 500"), s.firstError());
        assertFalse(records(out).stream().anyMatch(r -> r.get("id").equals(ps.get(2).id())));
        // the next run retries only the failed prompt
        server.script = (p, a) -> FakeChatServer.Fault.NONE;
        int before = server.requests.get();
        try (OpenAiChatBackend b = backend()) {
            s = new StoryGenerationRun(b, 2, Pricing.FREE).run(ps, out, false, null);
        }
        assertEquals(3, s.alreadyDone());
        assertEquals(1, s.written());
        assertEquals(before + 1, server.requests.get());
        assertEquals(4, records(out).size());
    }

    @Test
    void aWrongKeyStopsTheRunWithTheServersMessage() throws Exception {
        server.script = (p, a) -> FakeChatServer.Fault.UNAUTHORIZED;
        EndpointConfig c = new EndpointConfig(server.baseUrl(), "m", "LLAMASCOPE_TEST_KEY", null, 64, 1, 0, Duration.ofSeconds(5), FAST);
        try (OpenAiChatBackend b = new OpenAiChatBackend(c, k -> k.equals("LLAMASCOPE_TEST_KEY") ? "sk-test-123" : null, null)) {
            GenerationException e = assertThrows(GenerationException.class,
                    () -> new StoryGenerationRun(b, 2, Pricing.FREE).run(prompts(20, false), dir.resolve("x.jsonl"), false, null));
            assertTrue(e.fatal());
            assertTrue(e.getMessage().endsWith("answered HTTP 401: Incorrect API key provided"), e.getMessage());
        }
        assertTrue(server.requests.get() <= 2, "stopped after the first answers, made " + server.requests.get());
        assertEquals("Bearer sk-test-123", server.authorizations.get(0));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new OpenAiChatBackend(c, k -> null, null));
        assertTrue(missing.getMessage().contains("LLAMASCOPE_TEST_KEY is not set"), missing.getMessage());
    }

    @Test
    void resumesAfterACrashSkippingRecordsAlreadyWritten() throws Exception {
        List<StoryPrompt> ps = prompts(10, false);
        Path out = dir.resolve("stories.jsonl");
        // A first run that is stopped after 4 records...
        AtomicInteger seen = new AtomicInteger();
        server.delayMillis = 20;
        StoryGenerationRun first;
        StoryGenerationRun.Summary s1;
        try (OpenAiChatBackend b = backend()) {
            first = new StoryGenerationRun(b, 1, Pricing.FREE);
            StoryGenerationRun run = first;
            s1 = first.run(ps, out, false, new StoryGenerationRun.Listener() {
                @Override
                public void recordWritten(StoryPrompt p, UsageMeter.Usage u) {
                    if (seen.incrementAndGet() == 4) run.cancel();
                }
            });
        }
        assertTrue(s1.cancelled());
        assertEquals(4, s1.written());
        // ...then dies in the middle of writing the fifth line.
        Files.writeString(out, "{\"id\":\"" + ps.get(9).id() + "\",\"story\":\"half a li", java.nio.file.StandardOpenOption.APPEND);
        int before = server.requests.get();
        StoryGenerationRun.Summary s2;
        try (OpenAiChatBackend b = backend()) {
            s2 = new StoryGenerationRun(b, 3, Pricing.FREE).run(ps, out, false, null);
        }
        assertEquals(4, s2.alreadyDone());
        assertEquals(6, s2.written());
        assertTrue(s2.truncatedBytes() > 0);
        assertEquals(before + 6, server.requests.get(), "only the missing prompts are requested");
        List<Map<String, Object>> recs = records(out);
        assertEquals(10, recs.size());
        assertEquals(10, recs.stream().map(r -> r.get("id")).distinct().count());
        assertTrue(recs.stream().allMatch(r -> r.get("story") instanceof String st && st.startsWith("Once upon a time.")));
    }

    @Test
    void aBrokenLineInTheMiddleIsReportedNotOverwritten() throws Exception {
        Path out = dir.resolve("stories.jsonl");
        Files.writeString(out, "{\"id\":\"a\"}\nnot json\n{\"id\":\"b\"}\n");
        try (OpenAiChatBackend b = backend()) {
            var e = assertThrows(dev.llamascope.engine.model.ModelFormatException.class,
                    () -> new StoryGenerationRun(b, 1, Pricing.FREE).run(prompts(2, false), out, false, null));
            assertTrue(e.getMessage().contains("stories.jsonl: line 2 is not JSON"), e.getMessage());
        }
        assertEquals("{\"id\":\"a\"}\nnot json\n{\"id\":\"b\"}\n", Files.readString(out));
    }

    @Test
    void countsTokensAndCost() throws Exception {
        List<StoryPrompt> ps = prompts(6, false);
        StoryGenerationRun.Summary s;
        try (OpenAiChatBackend b = backend()) {
            s = new StoryGenerationRun(b, 2, new Pricing(0.5, 1.5)).run(ps, dir.resolve("c.jsonl"), true, null);
        }
        assertEquals(60, s.usage().promptTokens());
        assertEquals(120, s.usage().completionTokens());
        assertEquals((60 * 0.5 + 120 * 1.5) / 1000, s.usage().cost(), 1e-12);
        Map<?, ?> usage = (Map<?, ?>) records(dir.resolve("c.jsonl")).get(0).get("usage");
        assertEquals(10L, usage.get("prompt_tokens"));
        assertEquals(20L, usage.get("completion_tokens"));
    }

    @Test
    void rateLimitSpacesRequests() throws Exception {
        List<StoryPrompt> ps = prompts(5, false);
        long t0 = System.nanoTime();
        try (OpenAiChatBackend b = new OpenAiChatBackend(config(600, Duration.ofSeconds(5)), k -> null, null)) {
            new StoryGenerationRun(b, 5, Pricing.FREE).run(ps, dir.resolve("r.jsonl"), false, null);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 390, "5 requests at 600/min take at least 400 ms, took " + ms);
    }

    @Test
    void hierarchicalPromptsPlanFirstThenWriteTheStory() throws Exception {
        List<StoryPrompt> ps = prompts(3, true);
        Path out = dir.resolve("h.jsonl");
        StoryGenerationRun.Summary s;
        try (OpenAiChatBackend b = backend()) {
            s = new StoryGenerationRun(b, 2, Pricing.FREE).run(ps, out, false, null);
        }
        assertEquals(3, s.written());
        assertEquals(6, server.requests.get());
        for (Map<String, Object> r : records(out)) {
            assertEquals("A test-model plan.", r.get("summary"));
            assertEquals("It was a sunny day.", r.get("sentence"));
            String prompt = (String) r.get("prompt");
            assertTrue(prompt.contains("follow this summary: A test-model plan.") && prompt.contains("\"It was a sunny day.\""), prompt);
            assertTrue(((String) r.get("plan_prompt")).contains("\"Summary:\""));
            assertEquals(20L + 20L, ((Map<?, ?>) r.get("usage")).get("completion_tokens"));
        }
    }

    @Test
    void endpointUrlAndRepliesAreUnderstood() {
        assertEquals("http://h:1/v1/chat/completions", EndpointConfig.of(java.net.URI.create("http://h:1/v1/"), "m").chatCompletionsUri().toString());
        assertEquals("http://h:1/x/chat/completions", EndpointConfig.of(java.net.URI.create("http://h:1/x/chat/completions"), "m").chatCompletionsUri().toString());
        assertThrows(IllegalArgumentException.class, () -> EndpointConfig.of(java.net.URI.create("ftp://h/"), "m"));
        Completion c = OpenAiChatBackend.parse("{\"choices\":[{\"message\":{\"content\":\"hi\"},\"finish_reason\":\"length\"}]}", 2);
        assertEquals(new Completion("hi", 0, 0, "length", 2), c);
        assertThrows(IllegalArgumentException.class, () -> OpenAiChatBackend.parse("{\"choices\":[]}", 1));
    }
}

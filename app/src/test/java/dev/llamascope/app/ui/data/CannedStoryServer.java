package dev.llamascope.app.ui.data;

import com.sun.net.httpserver.HttpServer;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local OpenAI-compatible chat-completions server for tests and for the Data pane's screenshots: it answers each
 * prompt with a short canned story that uses the prompt's three words (so the diversity report finds them), counts
 * calls, and can be told to fail with HTTP 500. Listens on 127.0.0.1 only.
 *
 * <p>{@code java -cp app/target/test-classes:engine/target/classes dev.llamascope.app.ui.data.CannedStoryServer PORT [DELAY_MS]}
 * serves until killed.
 */
public final class CannedStoryServer implements AutoCloseable {
    private static final Pattern EN_WORDS = Pattern.compile("the verb \"([^\"]+)\", the noun \"([^\"]+)\" and the adjective \"([^\"]+)\"");
    private static final Pattern ZH_WORDS = Pattern.compile("动词“([^”]+)”、名词“([^”]+)”和形容词“([^”]+)”");
    private static final String[] NAMES = {"Lily", "Tom", "Mia", "Ben", "Sue", "Max", "Anna", "Sam"};
    private static final String[] PLACES = {"the park", "the garden", "a small house", "the forest", "the beach", "the big hill"};

    private final HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean failing;
    private volatile int delayMillis;

    public CannedStoryServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "canned-story-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/v1/chat/completions", ex -> {
            int n = calls.incrementAndGet();
            byte[] body;
            int status = 200;
            try {
                Map<String, Object> req = Json.parseObject(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                List<?> messages = (List<?>) req.get("messages");
                String prompt = (String) ((Map<?, ?>) messages.get(messages.size() - 1)).get("content");
                if (delayMillis > 0) Thread.sleep(delayMillis);
                if (failing) {
                    status = 500;
                    body = "{\"error\":{\"message\":\"the canned server is told to fail\"}}".getBytes(StandardCharsets.UTF_8);
                } else {
                    String story = story(prompt, n);
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

    /** A story built from the prompt's words; the same prompt always gets the same story. */
    static String story(String prompt, int call) {
        Matcher en = EN_WORDS.matcher(prompt), zh = ZH_WORDS.matcher(prompt);
        int h = Math.abs(prompt.hashCode());
        if (prompt.contains("starts with \"Summary:\"")) // the first step of a hierarchical prompt: the plan
            return en.find() ? "Summary: A child finds a " + en.group(3) + " " + en.group(2) + ".\nSentence: \"I like to " + en.group(1) + "!\""
                    : "Summary: A child plays.\nSentence: \"I am happy.\"";
        if (prompt.contains("第一行以“概要：”开头"))
            return zh.find() ? "概要：小明找到了一个" + zh.group(3) + "的" + zh.group(2) + "。\n句子：“我想" + zh.group(1) + "！”" : "概要：小明在玩。\n句子：“我很开心。”";
        if (zh.find()) {
            return "从前，有一个" + zh.group(3) + "的" + zh.group(2) + "。有一天，小明想" + zh.group(1) + "。他和妈妈一起去公园，"
                    + "看到了很多花。最后，大家都很开心。";
        }
        String verb = "play", noun = "ball", adjective = "happy";
        if (en.find()) {
            verb = en.group(1);
            noun = en.group(2);
            adjective = en.group(3);
        }
        String name = NAMES[h % NAMES.length], place = PLACES[(h / 7) % PLACES.length];
        String article = "aeiou".indexOf(adjective.charAt(0)) >= 0 ? "an" : "a";
        return "Once upon a time, " + name + " found " + article + " " + adjective + " " + noun + " in " + place + ". "
                + name + " wanted to " + verb + " with it all day. "
                + (prompt.contains("dialogue") ? "\"Look at this!\" " + name + " said to Mom. \"It is so " + adjective + "!\" " : "")
                + "The sun was warm and the birds sang. "
                + (prompt.contains("bad ending") ? "But then the " + noun + " broke, and " + name + " was sad." : name + " smiled and went home happy.")
                + (prompt.contains("moral") ? " " + name + " learned that sharing makes everyone glad." : "");
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

    public static void main(String[] args) throws Exception {
        CannedStoryServer s = new CannedStoryServer(args.length > 0 ? Integer.parseInt(args[0]) : 18080);
        if (args.length > 1) s.delay(Integer.parseInt(args[1]));
        System.err.println("canned stories at " + s.baseUrl());
        Thread.currentThread().join();
    }
}

package dev.llamascope.engine.data.synth;

import java.net.URI;
import java.time.Duration;

/**
 * An OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, llama.cpp's server, LM Studio, vLLM).
 *
 * @param url               the endpoint, or the API base it hangs off ("http://127.0.0.1:11434/v1" gets
 *                          "/chat/completions" added)
 * @param apiKeyVariable    the environment variable that holds the API key (never the key itself, so it stays out
 *                          of shell history and settings files); null for servers that need none
 * @param systemPrompt      sent before each prompt; null for none
 * @param requestsPerMinute rate limit over all threads; 0 = none
 * @param timeout           per request, from sending to the whole reply
 */
public record EndpointConfig(URI url, String model, String apiKeyVariable, String systemPrompt, int maxTokens,
                             double temperature, double requestsPerMinute, Duration timeout, RetryPolicy retry) {
    public EndpointConfig {
        if (url == null || url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https")))
            throw new IllegalArgumentException("the endpoint must be an http:// or https:// URL, got " + url);
        if (model == null || model.isBlank()) throw new IllegalArgumentException("the endpoint needs a model name");
        if (maxTokens < 1) throw new IllegalArgumentException("max tokens must be >= 1, got " + maxTokens);
        if (!(temperature >= 0 && temperature <= 2)) throw new IllegalArgumentException("temperature must be in [0, 2], got " + temperature);
        if (!(requestsPerMinute >= 0)) throw new IllegalArgumentException("requests per minute must be >= 0");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("the request timeout must be > 0");
    }

    public static EndpointConfig of(URI url, String model) {
        return new EndpointConfig(url, model, null, null, 1024, 1.0, 0, Duration.ofSeconds(120), RetryPolicy.standard());
    }

    /** The full chat-completions URL. */
    public URI chatCompletionsUri() {
        String s = url.toString();
        if (s.endsWith("/chat/completions")) return url;
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return URI.create(s + "/chat/completions");
    }
}

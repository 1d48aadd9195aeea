package dev.llamascope.engine.data.synth;

import dev.llamascope.engine.inference.Generator;
import dev.llamascope.engine.inference.SamplerSettings;
import dev.llamascope.engine.tokenizer.Utf8Stream;
import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * Our own engine as a backend: the prompt, put into a template, is encoded with the model's tokenizer and the
 * model continues it until EOS, BOS or {@code maxTokens}. The engine runs one sequence at a time, so calls are
 * serialized (the compute pool already uses every core). Each prompt samples with its own seed (the base seed
 * mixed with the prompt's text), so a re-run reproduces the same story for the same prompt.
 *
 * @see #template
 */
public final class EngineBackend implements GenerationBackend {
    private final Generator generator;
    private final SamplerSettings sampler;
    private final int maxTokens;
    private final String template;
    private final String modelName;

    /**
     * @param template what the model is given: "{prompt}" is the prompt text ("[INST] {prompt} [/INST]" for a
     *                 Llama-2 chat model); "{verb}", "{noun}" and "{adjective}" are the prompt's words, so a small
     *                 story model that cannot follow instructions can get an opening such as "Once upon a time,
     *                 there was a {adjective} {noun}."
     */
    public EngineBackend(Generator generator, SamplerSettings sampler, int maxTokens, String template, String modelName) {
        if (maxTokens < 1) throw new IllegalArgumentException("max tokens must be >= 1, got " + maxTokens);
        if (template.isBlank()) throw new IllegalArgumentException("the prompt template is empty");
        this.generator = generator;
        this.sampler = sampler;
        this.maxTokens = maxTokens;
        this.template = template;
        this.modelName = modelName;
    }

    @Override
    public String model() {
        return modelName;
    }

    @Override
    public Completion complete(String prompt) throws GenerationException {
        return complete(prompt, Map.of());
    }

    @Override
    public synchronized Completion complete(String prompt, Map<String, String> labels) throws GenerationException {
        Map<String, String> values = new java.util.HashMap<>(labels);
        values.put("prompt", prompt);
        String text = Template.fill(template, values);
        int[] tokens = generator.tokenizer().encode(text, true, false);
        int seq = generator.transformer().config().seqLen();
        if (tokens.length >= seq)
            throw new GenerationException("the prompt is " + tokens.length + " tokens, the model's context only " + seq, false);
        int steps = Math.min(seq, tokens.length - 1 + maxTokens);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int promptLen = tokens.length;
        Generator.Listener listener = (pos, token, piece, logits) -> {
            if (pos >= promptLen && token != generator.tokenizer().eos()) out.writeBytes(piece);
        };
        Generator.Result r = generator.generate(tokens, steps, sampler.withSeed(seedFor(text + "\u0000" + prompt)), true, listener,
                () -> Thread.currentThread().isInterrupted());
        Utf8Stream utf8 = new Utf8Stream();
        String story = utf8.feed(out.toByteArray()) + utf8.finish();
        String finish = switch (r.stopReason()) {
            case LENGTH -> "length";
            case CANCELLED -> "cancelled";
            default -> "stop";
        };
        return new Completion(story.strip(), promptLen, r.generatedTokens(), finish, 1);
    }

    private long seedFor(String prompt) {
        long s = SplitMix64.mix(sampler.seed() ^ SplitMix64.mix(prompt.hashCode()));
        return s == 0 ? 1 : s; // run.c's xorshift state must not be 0
    }
}

package dev.llamascope.app.cli;

import dev.llamascope.engine.data.synth.EndpointConfig;
import dev.llamascope.engine.data.synth.EngineBackend;
import dev.llamascope.engine.data.synth.GenerationBackend;
import dev.llamascope.engine.data.synth.OpenAiChatBackend;
import dev.llamascope.engine.data.synth.Pricing;
import dev.llamascope.engine.data.synth.PromptFiles;
import dev.llamascope.engine.data.synth.RetryPolicy;
import dev.llamascope.engine.data.synth.StoryGenerationRun;
import dev.llamascope.engine.data.synth.StoryPrompt;
import dev.llamascope.engine.data.synth.UsageMeter;
import dev.llamascope.engine.inference.Generator;
import dev.llamascope.engine.inference.SamplerSettings;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tensor.ComputePool;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code synth}: writes a story for each prompt of a prompt file, with an OpenAI-compatible endpoint or our own
 * engine, into a JSONL file that a second run resumes.
 */
public final class SynthCommand implements Command {
    @Override
    public String name() {
        return "synth";
    }

    @Override
    public String summary() {
        return "generate stories for a prompt file with an endpoint or a local model (resumable JSONL)";
    }

    @Override
    public String usage() {
        return "llamascope synth --prompts FILE.jsonl -o STORIES.jsonl (--endpoint URL --model NAME [--api-key-env VAR]"
                + " | --checkpoint MODEL [-z TOKENIZER] [--template T={prompt}] [--threads N])"
                + " [--concurrency N=4] [--rpm R] [--retries N=6] [--timeout SECONDS=120] [--max-tokens N=1024]"
                + " [--temperature T=1.0] [--system TEXT] [--price-in PER_1K] [--price-out PER_1K] [--limit N] [--fsync]";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("--prompts", "-o|--output", "--endpoint", "--model", "--api-key-env", "--checkpoint",
                "-z|--tokenizer", "--template", "--threads", "--concurrency", "--rpm", "--retries", "--timeout", "--max-tokens",
                "--temperature", "--system", "--price-in", "--price-out", "--limit", "--seed"), List.of("--fsync", "-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            return 0;
        }
        a.maxPositional(0);
        Path promptsFile = a.path("--prompts"), out = a.path("-o");
        if (promptsFile == null) throw new Args.UsageException("missing --prompts FILE (make one with 'llamascope prompts')");
        if (out == null) throw new Args.UsageException("missing -o STORIES.jsonl");
        boolean endpoint = a.has("--endpoint"), local = a.has("--checkpoint");
        if (endpoint == local) throw new Args.UsageException("give either --endpoint URL --model NAME or --checkpoint MODEL");
        int concurrency = a.integer("--concurrency", endpoint ? 4 : 1);
        int maxTokens = a.integer("--max-tokens", 1024);
        float temperature = a.number("--temperature", 1.0f);
        int retries = a.integer("--retries", 6);
        int limit = a.integer("--limit", Integer.MAX_VALUE);
        Pricing pricing;
        try {
            pricing = new Pricing(a.number("--price-in", 0f), a.number("--price-out", 0f));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        List<StoryPrompt> prompts = PromptFiles.read(promptsFile);
        if (limit < prompts.size()) prompts = prompts.subList(0, Math.max(0, limit));
        PrintStream err = System.err;
        if (endpoint) {
            if (!a.has("--model")) throw new Args.UsageException("missing --model NAME for the endpoint");
            EndpointConfig cfg;
            try {
                cfg = new EndpointConfig(URI.create(a.string("--endpoint", "")), a.string("--model", ""), a.string("--api-key-env", null),
                        a.string("--system", null), maxTokens, temperature, a.number("--rpm", 0f),
                        Duration.ofMillis((long) (a.number("--timeout", 120f) * 1000)),
                        new RetryPolicy(Math.max(1, retries), Duration.ofSeconds(1), Duration.ofSeconds(60), 2));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException(e.getMessage());
            }
            try (GenerationBackend b = new OpenAiChatBackend(cfg, System::getenv,
                    (attempt, reason, wait) -> err.printf(Locale.ROOT, "%nretry %d in %.1f s: %s%n", attempt, wait.toMillis() / 1000.0, reason))) {
                return generate(b, prompts, out, concurrency, pricing, a.flag("--fsync"), err);
            }
        }
        int threads = a.integer("--threads", ComputePool.defaultThreads());
        try (LoadedModel lm = ModelLoader.load(a.path("--checkpoint"), a.path("-z")); ComputePool pool = new ComputePool(threads)) {
            Generator g = new Generator(new Transformer(lm.model(), pool), lm.tokenizer());
            SamplerSettings s = SamplerSettings.runC(temperature, 0.9f, a.longValue("--seed", 42));
            String name = a.path("--checkpoint").getFileName().toString();
            return generate(new EngineBackend(g, s, maxTokens, a.string("--template", "{prompt}"), name), prompts, out,
                    concurrency, pricing, a.flag("--fsync"), err);
        }
    }

    private static int generate(GenerationBackend b, List<StoryPrompt> prompts, Path out, int concurrency, Pricing pricing,
                                boolean fsync, PrintStream err) throws Exception {
        StoryGenerationRun run = new StoryGenerationRun(b, concurrency, pricing);
        AtomicLong lastPrint = new AtomicLong();
        int[] totals = new int[2];
        StoryGenerationRun.Summary s = run.run(prompts, out, fsync, new StoryGenerationRun.Listener() {
            @Override
            public void started(int total, int alreadyDone) {
                totals[0] = total;
                totals[1] = alreadyDone;
                if (alreadyDone > 0) err.printf("resuming: %d of %d prompts already in %s%n", alreadyDone, total, out);
            }

            @Override
            public void recordWritten(StoryPrompt p, UsageMeter.Usage u) {
                long now = System.nanoTime();
                long prev = lastPrint.get();
                if (now - prev > 500_000_000L && lastPrint.compareAndSet(prev, now) || u.records() + totals[1] == totals[0])
                    err.printf(Locale.ROOT, "\r[%d/%d] tokens %,d in / %,d out, retries %d, failed %d, cost %.4f", u.records() + totals[1],
                            totals[0], u.promptTokens(), u.completionTokens(), u.retries(), u.failures(), u.cost());
            }

            @Override
            public void recordFailed(StoryPrompt p, String reason) {
                err.printf("%nfailed %s: %s%n", p.id(), reason);
            }
        });
        UsageMeter.Usage u = s.usage();
        err.printf(Locale.ROOT, "%n%d written, %d already there, %d failed%s in %.1f s; %d requests (%d retries), tokens %,d in / %,d out, cost %.4f%n",
                s.written(), s.alreadyDone(), s.failed(), s.cancelled() ? " (stopped early)" : "", s.nanos() / 1e9,
                u.requests(), u.retries(), u.promptTokens(), u.completionTokens(), u.cost());
        if (s.truncatedBytes() > 0) err.printf("cut off a half-written last line (%d bytes) left by an interrupted run%n", s.truncatedBytes());
        return s.failed() > 0 ? 1 : 0;
    }
}

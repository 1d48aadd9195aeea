package dev.llamascope.app.ui.data;

import dev.llamascope.app.ui.concurrent.CancelToken;
import dev.llamascope.app.ui.concurrent.ComputeLane;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.engine.data.synth.Completion;
import dev.llamascope.engine.data.synth.EndpointConfig;
import dev.llamascope.engine.data.synth.EngineBackend;
import dev.llamascope.engine.data.synth.GenerationBackend;
import dev.llamascope.engine.data.synth.OpenAiChatBackend;
import dev.llamascope.engine.data.synth.Pricing;
import dev.llamascope.engine.data.synth.PromptFiles;
import dev.llamascope.engine.data.synth.StoryGenerationRun;
import dev.llamascope.engine.data.synth.StoryPrompt;
import dev.llamascope.engine.data.synth.UsageMeter;
import dev.llamascope.engine.inference.Generator;
import dev.llamascope.engine.inference.SamplerSettings;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * The engine side of the Stories step (no JavaFX): reads the prompt file, makes the backend (an endpoint, or the
 * loaded model on the app's compute pool), and runs the engine's {@link StoryGenerationRun} into the JSONL file,
 * which skips what is already there. Each finished story's text is passed on, so the tab can show it as it arrives.
 */
final class StoryRun {

    /**
     * What the form says.
     *
     * @param endpoint     the endpoint's settings, or null to use the loaded model
     * @param template     for the loaded model: what it is given ({prompt}, {verb}, {noun}, {adjective})
     * @param concurrency  requests in flight (1 for the loaded model)
     */
    record Settings(Path prompts, Path output, EndpointConfig endpoint, String template, long seed, int maxTokens,
                    double temperature, int concurrency, Pricing pricing) {}

    /** Told about the run from its threads. */
    interface Listener {
        void started(int total, int alreadyDone);

        void written(StoryPrompt prompt, String story, UsageMeter.Usage usage);

        void failed(StoryPrompt prompt, String reason);

        void retrying(String reason);

        /** The loaded model's compute threads are busy (a generation); the run waits for them. */
        default void waitingForCompute() {}
    }

    private final Function<String, String> env;
    private volatile StoryGenerationRun run;
    private volatile boolean stopped;

    /** @param env looks up the API key's environment variable ({@code System::getenv}) */
    StoryRun(Function<String, String> env) {
        this.env = env;
    }

    /** Stops taking prompts; the stories being written are finished and kept. Any thread. */
    void stop() {
        stopped = true;
        StoryGenerationRun r = run;
        if (r != null) r.cancel();
    }

    /**
     * @param model    the loaded model (used when {@code s.endpoint()} is null)
     * @param lane     the app's compute pool
     * @param threads  compute threads for the loaded model
     */
    StoryGenerationRun.Summary run(Settings s, ModelHandle model, ComputeLane lane, int threads, CancelToken cancel, Listener l)
            throws IOException, InterruptedException, ModelFormatException {
        List<StoryPrompt> prompts = PromptFiles.read(s.prompts());
        if (prompts.isEmpty()) throw new IOException(s.prompts() + ": the prompt file is empty");
        if (s.endpoint() != null) {
            try (GenerationBackend b = new OpenAiChatBackend(s.endpoint(), env,
                    (attempt, reason, wait) -> l.retrying("retry " + attempt + " in " + Math.max(1, Math.round(wait.toMillis() / 1000.0)) + " s: " + reason))) {
                return generate(new Capturing(b), prompts, s, s.concurrency(), l);
            }
        }
        if (model == null) throw new IllegalArgumentException("No model is loaded: open one in Models, or use a server.");
        if (!model.acquire()) throw new IllegalArgumentException("The model was unloaded; open it again.");
        try {
            ComputeLane.Lease lease = lane.acquire(threads, () -> cancel.isCancelled() || stopped, null, l::waitingForCompute);
            try (lease) {
                var loaded = model.loaded();
                Generator g = new Generator(new Transformer(loaded.model(), lease.pool()), loaded.tokenizer());
                SamplerSettings sampler = SamplerSettings.runC((float) s.temperature(), 0.9f, s.seed());
                String name = model.modelPath().getFileName().toString();
                return generate(new Capturing(new EngineBackend(g, sampler, s.maxTokens(), s.template(), name)), prompts, s, 1, l);
            }
        } catch (CancellationException e) {
            throw e;
        } finally {
            model.release();
        }
    }

    private StoryGenerationRun.Summary generate(Capturing b, List<StoryPrompt> prompts, Settings s, int concurrency, Listener l)
            throws IOException, InterruptedException, ModelFormatException {
        StoryGenerationRun r = new StoryGenerationRun(b, concurrency, s.pricing());
        run = r;
        if (stopped) r.cancel();
        return r.run(prompts, s.output(), false, new StoryGenerationRun.Listener() {
            @Override
            public void started(int total, int alreadyDone) {
                l.started(total, alreadyDone);
            }

            @Override
            public void recordWritten(StoryPrompt prompt, UsageMeter.Usage usage) {
                Completion c = b.last.get(); // the worker thread that wrote the record made the story's request last
                l.written(prompt, c == null ? "" : c.text().strip(), usage);
            }

            @Override
            public void recordFailed(StoryPrompt prompt, String reason) {
                l.failed(prompt, reason);
            }
        });
    }

    /** Remembers, per thread, the last reply, so the story of a written record can be shown (its plan came earlier). */
    private static final class Capturing implements GenerationBackend {
        final GenerationBackend inner;
        final ThreadLocal<Completion> last = new ThreadLocal<>();

        Capturing(GenerationBackend inner) {
            this.inner = inner;
        }

        @Override
        public Completion complete(String prompt) throws IOException, InterruptedException {
            Completion c = inner.complete(prompt);
            last.set(c);
            return c;
        }

        @Override
        public Completion complete(String prompt, Map<String, String> labels) throws IOException, InterruptedException {
            Completion c = inner.complete(prompt, labels);
            last.set(c);
            return c;
        }

        @Override
        public String model() {
            return inner.model();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}

package dev.llamascope.engine.data.synth;

import dev.llamascope.engine.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Generates a story for every prompt of a set into a JSONL file: {@code concurrency} requests in flight, records
 * appended as they complete (so the file's order is completion order), prompts whose id is already in the file
 * skipped, so an interrupted run picks up where it stopped. Hierarchical prompts take two requests: the plan, then
 * the story from it. A prompt that fails after its retries is counted and left out (a later run tries it again);
 * a fatal failure (wrong key, unknown model) stops the run.
 */
public final class StoryGenerationRun {

    /** Progress, called from the worker threads. */
    public interface Listener {
        default void started(int total, int alreadyDone) {}

        default void recordWritten(StoryPrompt prompt, UsageMeter.Usage usage) {}

        default void recordFailed(StoryPrompt prompt, String reason) {}
    }

    /**
     * How a run went.
     *
     * @param alreadyDone prompts skipped because the file had them
     * @param written     records this run added
     * @param failed      prompts that failed for good this run
     * @param cancelled   stopped early by {@link #cancel()} or a fatal error
     */
    public record Summary(int total, int alreadyDone, int written, int failed, boolean cancelled, UsageMeter.Usage usage,
                          long truncatedBytes, long nanos, String firstError) {}

    private final GenerationBackend backend;
    private final int concurrency;
    private final Pricing pricing;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public StoryGenerationRun(GenerationBackend backend, int concurrency, Pricing pricing) {
        if (concurrency < 1 || concurrency > 1024) throw new IllegalArgumentException("concurrency must be between 1 and 1024, got " + concurrency);
        this.backend = backend;
        this.concurrency = concurrency;
        this.pricing = pricing;
    }

    /** Stops taking new prompts; requests in flight finish and are written. */
    public void cancel() {
        cancelled.set(true);
    }

    public Summary run(List<StoryPrompt> prompts, Path output, boolean durable, Listener listener)
            throws IOException, InterruptedException, ModelFormatException {
        Listener l = listener != null ? listener : new Listener() {};
        long t0 = System.nanoTime();
        UsageMeter meter = new UsageMeter(pricing);
        try (JsonlLog log = JsonlLog.open(output, "id", durable)) {
            Set<String> done = log.existingIds();
            List<StoryPrompt> todo = new ArrayList<>();
            for (StoryPrompt p : prompts) if (!done.contains(p.id())) todo.add(p);
            int already = prompts.size() - todo.size();
            l.started(prompts.size(), already);
            AtomicInteger next = new AtomicInteger(), written = new AtomicInteger(), failed = new AtomicInteger();
            AtomicReference<String> firstError = new AtomicReference<>();
            AtomicReference<Exception> fatal = new AtomicReference<>();
            Runnable worker = () -> {
                while (!cancelled.get()) {
                    int i = next.getAndIncrement();
                    if (i >= todo.size()) return;
                    StoryPrompt p = todo.get(i);
                    try {
                        Map<String, Object> rec = generate(p, meter);
                        log.append(rec);
                        meter.recordWritten();
                        written.incrementAndGet();
                        l.recordWritten(p, meter.snapshot());
                    } catch (GenerationException e) {
                        meter.failure(e.attempts());
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, p.id() + ": " + e.getMessage());
                        l.recordFailed(p, e.getMessage());
                        if (e.fatal()) {
                            fatal.compareAndSet(null, e);
                            cancelled.set(true);
                        }
                    } catch (IllegalArgumentException e) { // a plan reply without the two lines
                        meter.failure(0);
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, p.id() + ": " + e.getMessage());
                        l.recordFailed(p, e.getMessage());
                    } catch (InterruptedException e) {
                        cancelled.set(true);
                        Thread.currentThread().interrupt();
                        return;
                    } catch (IOException | RuntimeException e) { // the output file failed: nothing more can be saved
                        fatal.compareAndSet(null, e);
                        cancelled.set(true);
                        return;
                    }
                }
            };
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < Math.min(concurrency, Math.max(1, todo.size())); t++)
                threads.add(Thread.ofVirtual().name("llamascope-synth-" + t).start(worker));
            try {
                for (Thread t : threads) t.join();
            } catch (InterruptedException e) {
                cancelled.set(true);
                for (Thread t : threads) t.interrupt();
                throw e;
            }
            Exception f = fatal.get();
            if (f instanceof IOException io) throw io;
            if (f instanceof RuntimeException re) throw re;
            return new Summary(prompts.size(), already, written.get(), failed.get(), cancelled.get(), meter.snapshot(),
                    log.truncatedBytes(), System.nanoTime() - t0, firstError.get());
        }
    }

    /** One prompt's record: the story with its labels, the model and what it cost. */
    private Map<String, Object> generate(StoryPrompt p, UsageMeter meter) throws IOException, InterruptedException {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("id", p.id());
        rec.put("language", p.language());
        rec.put("words", p.toJson().get("words"));
        rec.put("features", p.features());
        long promptTokens, completionTokens;
        Completion story;
        Map<String, String> labels = Map.of("verb", p.verb(), "noun", p.noun(), "adjective", p.adjective());
        if (p.hierarchical()) {
            Completion plan = backend.complete(p.prompt(), labels);
            meter.request(plan);
            StoryPrompt.Plan parsed = p.followUp().parse(plan.text());
            String storyPrompt = p.followUp().storyPrompt(parsed);
            story = backend.complete(storyPrompt, labels);
            meter.request(story);
            rec.put("plan_prompt", p.prompt());
            rec.put("summary", parsed.summary());
            rec.put("sentence", parsed.sentence());
            rec.put("prompt", storyPrompt);
            promptTokens = plan.promptTokens() + story.promptTokens();
            completionTokens = plan.completionTokens() + story.completionTokens();
        } else {
            story = backend.complete(p.prompt(), labels);
            meter.request(story);
            rec.put("prompt", p.prompt());
            promptTokens = story.promptTokens();
            completionTokens = story.completionTokens();
        }
        rec.put("story", story.text().strip());
        rec.put("model", backend.model());
        rec.put("finish_reason", story.finishReason());
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        rec.put("usage", usage);
        return rec;
    }
}

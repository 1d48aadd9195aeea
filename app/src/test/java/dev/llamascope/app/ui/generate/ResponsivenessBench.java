package dev.llamascope.app.ui.generate;

import static dev.llamascope.app.ui.AppDriver.fx;
import static dev.llamascope.app.ui.AppDriver.onFx;
import static dev.llamascope.app.ui.AppDriver.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llamascope.app.ui.AppDriver;
import dev.llamascope.app.ui.concurrent.FrameDrain;
import dev.llamascope.app.ui.concurrent.FramePauseMonitor;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures how responsive the window stays (a benchmark, not run by default: {@code -Dllamascope.bench=true}):
 * the longest gap between two frames of the FX thread while (1) the real engine writes 2,000+ tokens of
 * stories260K into the Generate pane, and (2) a producer thread streams 150,000 characters at 20,000 tokens/s into
 * a story view. Prints the numbers; asserts only that all the text arrived.
 *
 * <pre>./mvnw -B -o test -pl app -am -Dtest=ResponsivenessBench -Dllamascope.bench=true -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class ResponsivenessBench {
    @TempDir
    Path config;

    private static void report(String what, FramePauseMonitor m, double seconds, String extra) {
        System.out.println(String.format(Locale.ROOT, "BENCH %s: longest FX-thread pause %.1f ms (at %.2f s), %d pauses over 50 ms, %d frames in %.1f s; %s; load average %.1f",
                what, m.maxPauseMillis(), m.maxPauseAtSeconds(), m.slowFrames(), m.frames(), seconds, extra, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    }

    @Test
    void realEngineTwoThousandTokens() throws Exception {
        assumeTrue(Boolean.getBoolean("llamascope.bench"), "benchmark: run with -Dllamascope.bench=true");
        try (AppDriver app = new AppDriver(config, "--size", "1280x800")) {
            fx(() -> {
                app.app().context().session().install(LongContext.stories260K(4096));
                app.app().context().navigation().show(GeneratePane.ID);
                app.generate().applyPreset(Preset.CREATIVE);
                app.generate().model().knobs().maxTokensProperty().set(4000);
                app.generate().model().promptProperty().set("Once upon a time");
            });
            // JIT warm-up: the engine's kernels reach full speed only once compiled
            for (int i = 0; i < 6; i++) runOnce(app, 100 + i);
            FramePauseMonitor m = onFx(FramePauseMonitor::new);
            fx(m::start);
            FxThreadSampler sampler = new FxThreadSampler(onFx(Thread::currentThread));
            long t0 = System.nanoTime();
            int total = 0, runs = 0;
            List<String> speeds = new ArrayList<>();
            while (total < 2000) {
                GenerationStats s = runOnce(app, 1000 + runs);
                total += s.generated() - 4;
                runs++;
                speeds.add(String.format(Locale.ROOT, "%.0f", s.tokensPerSecond()));
            }
            fx(m::stop);
            sampler.close();
            System.out.println("BENCH FX thread time: " + sampler.summary());
            report("real engine (stories260K, 4096 context, creative sampling)", m, (System.nanoTime() - t0) / 1e9,
                    total + " tokens in " + runs + " generations at " + String.join(", ", speeds) + " tok/s");
        }
    }

    private static GenerationStats runOnce(AppDriver app, long seed) {
        fx(() -> {
            app.generate().model().knobs().seedProperty().set(seed);
            app.generate().generate();
        });
        waitUntil(() -> !app.generate().model().state().isBusy(), 120);
        return onFx(() -> app.generate().model().stats());
    }

    /**
     * A producer thread streams TinyStories text (word-sized tokens, paragraphs as in the data, the likelihood mix of
     * stories260K's sampled stories) at a fixed rate into a story view through the app's per-frame drain. One round
     * warms the JIT up (as the first story of a session does); the second is measured.
     */
    @Test
    void syntheticStreamOf150kCharacters() throws Exception {
        assumeTrue(Boolean.getBoolean("llamascope.bench"), "benchmark: run with -Dllamascope.bench=true");
        String sample = java.nio.file.Files.readString(dev.llamascope.app.ui.TestData.file("data/tinystories-sample.txt"));
        List<String> pieces = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*\\S+|\\s+").matcher(sample);
        while (m.find() && pieces.size() < 40_000) pieces.add(m.group());
        String[] words = pieces.toArray(String[]::new);
        int tokens = Integer.getInteger("bench.tokens", 30_000);
        int rate = Integer.getInteger("bench.rate", 10_000);
        int interval = Integer.getInteger("bench.interval", GenerateController.MIN_UPDATE_INTERVAL_MS);
        try (AppDriver app = new AppDriver(config, "--size", "1280x800")) {
            stream(app, words, tokens / 2, rate, interval, "warm-up round");
            stream(app, words, tokens, rate, interval, "synthetic stream into the story view");
        }
    }

    private static void stream(AppDriver app, String[] words, int tokens, double rate, int interval, String what) throws Exception {
        StoryDocument doc = new StoryDocument();
        FrameDrain<StoryToken> drain = onFx(() -> new FrameDrain<>(GenerateController.MAX_EVENTS_PER_FRAME, interval, doc::append));
        Stage stage = onFx(() -> {
            Stage s = new Stage();
            Scene scene = new Scene(new StoryView(doc), 900, 700);
            app.app().context().theme().style(scene);
            s.setScene(scene);
            s.show();
            return s;
        });
        FramePauseMonitor monitor = onFx(FramePauseMonitor::new);
        fx(() -> {
            monitor.start();
            drain.start();
        });
        FxThreadSampler sampler = new FxThreadSampler(onFx(Thread::currentThread));
        long t0 = System.nanoTime();
        Thread producer = new Thread(() -> {
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < tokens; i++) {
                long wait = t0 + (long) (i * 1e9 / rate) - System.nanoTime();
                if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait); // a producer that does not burn a core
                // 56% high, 17% mid, 16% low, 11% very low: stories260K's sampled stories at t=0.8
                double u = r.nextDouble();
                float p = u < 0.56 ? 0.8f : u < 0.73 ? 0.45f : u < 0.89 ? 0.2f : 0.05f;
                drain.offer(new StoryToken(i + 1, i, words[i % words.length], false, new TokenOdds(p, new int[]{i, i + 1}, new float[]{p, 1 - p})));
            }
        });
        producer.start();
        producer.join();
        double produceSeconds = (System.nanoTime() - t0) / 1e9;
        waitUntil(() -> doc.tokenCount() == tokens, 120);
        double seconds = (System.nanoTime() - t0) / 1e9;
        fx(() -> {
            monitor.stop();
            drain.stop();
            stage.close();
        });
        sampler.close();
        int chars = onFx(doc::length);
        System.out.println("BENCH FX thread time: " + sampler.summary());
        report(what + " at " + (int) rate + " tok/s, updates every " + Math.max(interval, 16) + " ms", monitor, seconds, String.format(Locale.ROOT,
                "%,d tokens / %,d characters produced at %.0f tok/s, all shown %.2f s after the first", tokens, chars, tokens / produceSeconds, seconds));
        assertEquals(tokens, onFx(doc::tokenCount));
    }
}

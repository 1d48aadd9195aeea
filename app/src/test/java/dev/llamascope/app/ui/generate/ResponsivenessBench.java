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
        System.out.println(String.format(Locale.ROOT, "BENCH %s: longest FX-thread pause %.1f ms over %d frames in %.1f s; %s; load average %.1f",
                what, m.maxPauseMillis(), m.frames(), seconds, extra, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
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

    @Test
    void syntheticStreamOf150kCharacters() throws Exception {
        assumeTrue(Boolean.getBoolean("llamascope.bench"), "benchmark: run with -Dllamascope.bench=true");
        try (AppDriver app = new AppDriver(config, "--size", "1280x800")) {
            StoryDocument doc = new StoryDocument();
            FrameDrain<StoryToken> drain = onFx(() -> new FrameDrain<>(GenerateController.MAX_EVENTS_PER_FRAME, doc::append));
            Stage stage = onFx(() -> {
                Stage s = new Stage();
                StoryView view = new StoryView(doc);
                Scene scene = new Scene(view, 900, 700);
                app.app().context().theme().style(scene);
                s.setScene(scene);
                s.show();
                return s;
            });
            FramePauseMonitor m = onFx(FramePauseMonitor::new);
            fx(() -> {
                m.start();
                drain.start();
            });
            String[] words = {" the", " little", " girl", " named", " Lily", " went", " to", " park", ".", " She", " was", " happy", ".\n"};
            int tokens = 30_000;
            double rate = 20_000;
            long t0 = System.nanoTime();
            Thread producer = new Thread(() -> {
                java.util.Random r = new java.util.Random(1);
                for (int i = 0; i < tokens; i++) {
                    long due = t0 + (long) (i * 1e9 / rate);
                    while (System.nanoTime() < due) Thread.onSpinWait();
                    String w = words[i % words.length];
                    float p = r.nextFloat();
                    drain.offer(new StoryToken(i + 1, i, w, false, new TokenOdds(p, new int[]{i, i + 1}, new float[]{p, 1 - p})));
                }
            });
            FxThreadSampler sampler = new FxThreadSampler(onFx(Thread::currentThread));
            producer.start();
            producer.join();
            double produceSeconds = (System.nanoTime() - t0) / 1e9;
            waitUntil(() -> doc.tokenCount() == tokens, 60);
            double seconds = (System.nanoTime() - t0) / 1e9;
            fx(() -> {
                m.stop();
                drain.stop();
                stage.close();
            });
            sampler.close();
            System.out.println("BENCH FX thread time: " + sampler.summary());
            int chars = onFx(doc::length);
            report("synthetic stream into the story view", m, seconds, String.format(Locale.ROOT,
                    "%,d tokens / %,d characters produced at %.0f tok/s, all shown %.2f s after the first", tokens, chars, tokens / produceSeconds, seconds));
            assertEquals(tokens, onFx(doc::tokenCount));
        }
    }
}

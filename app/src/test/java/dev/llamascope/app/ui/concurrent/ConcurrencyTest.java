package dev.llamascope.app.ui.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
    @Test
    void fxLatestKeepsAtMostOneTaskInFlightAndDeliversTheNewestValue() {
        List<Runnable> queued = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        FxLatest<Integer> latest = new FxLatest<>(queued::add, seen::add);
        for (int i = 1; i <= 1000; i++) latest.set(i);
        assertEquals(1, queued.size(), "one runLater for a thousand values");
        queued.removeFirst().run();
        assertEquals(List.of(1000), seen);
        latest.set(1001);
        assertEquals(1, queued.size());
        queued.removeFirst().run();
        assertEquals(List.of(1000, 1001), seen);
    }

    @Test
    void frameDrainHandsOverInOrderAndAtMostTheLimitPerFrame() throws Exception {
        // drain() is what the AnimationTimer calls each frame; it needs no FX thread by itself.
        org.testfx.api.FxToolkit.registerPrimaryStage(); // the toolkit, started the way the GUI tests start it
        List<List<Integer>> batches = new ArrayList<>();
        FrameDrain<Integer> d = new FrameDrain<>(100, batches::add);
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 250; i++) d.offer(i);
        });
        producer.start();
        producer.join();
        assertEquals(100, d.drain());
        assertEquals(100, d.drain());
        assertEquals(50, d.drain());
        assertEquals(0, d.drain());
        List<Integer> all = batches.stream().flatMap(List::stream).toList();
        for (int i = 0; i < 250; i++) assertEquals(i, all.get(i));
    }

    @Test
    void pooledExecutorRunsOffTheCallerAndCancelsOnShutdown() throws Exception {
        PooledEngineExecutor ex = new PooledEngineExecutor(2);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger polls = new AtomicInteger();
        EngineJob<String> job = ex.submit("spin", cancel -> {
            started.countDown();
            while (!cancel.isCancelled()) polls.incrementAndGet();
            return Thread.currentThread().getName();
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        while (polls.get() == 0) Thread.onSpinWait();
        ex.shutdown();
        assertTrue(job.result().get(5, TimeUnit.SECONDS).startsWith("llamascope-engine-"));
        assertTrue(polls.get() > 0);
    }

    @Test
    void directExecutorRunsAtOnceAndReportsFailures() {
        DirectEngineExecutor ex = new DirectEngineExecutor();
        EngineJob<Integer> ok = ex.submit("ok", c -> 42);
        assertEquals(42, ok.result().join());
        EngineJob<Integer> bad = ex.submit("bad", c -> {
            throw new java.nio.file.NoSuchFileException("/x/model.bin");
        });
        assertTrue(bad.result().isCompletedExceptionally());
        assertEquals("/x/model.bin: no such file", ErrorText.describe(bad.result().handle((v, t) -> t).join()));
    }
}

package dev.llamascope.app.ui.generate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A poor man's profiler for benchmarks: samples a thread's stack every few milliseconds and sorts the samples into
 * what the FX thread spends its time on (waiting, CSS, layout, building cells, appending, rendering hand-off).
 */
final class FxThreadSampler implements AutoCloseable {
    private static final Map<String, String> CATEGORIES = new LinkedHashMap<>();

    static {
        CATEGORIES.put("getNextRunnable", "idle (waiting for work)");
        CATEGORIES.put("waitForRenderingToComplete", "waiting for the renderer");
        CATEGORIES.put("StoryDocument.append", "appending to the document");
        CATEGORIES.put("ParagraphCell.updateItem", "building paragraph cells");
        CATEGORIES.put("doProcessCSS", "CSS");
        CATEGORIES.put("reapplyCss", "CSS");
        CATEGORIES.put("layoutChildren", "layout");
        CATEGORIES.put("doLayoutPass", "layout");
        CATEGORIES.put("computePrefHeight", "layout");
        CATEGORIES.put("syncPeer", "scene graph sync");
        CATEGORIES.put("PaintCollector", "render hand-off");
    }

    private final Thread target;
    private final Thread sampler;
    private final Map<String, Integer> counts = new TreeMap<>();
    private int total;

    FxThreadSampler(Thread target) {
        this.target = target;
        this.sampler = new Thread(this::loop, "fx-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            StackTraceElement[] st = target.getStackTrace();
            String cat = "other";
            outer:
            for (StackTraceElement e : st) {
                String m = e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1) + "." + e.getMethodName();
                for (var c : CATEGORIES.entrySet()) {
                    if (m.contains(c.getKey())) {
                        cat = c.getValue();
                        break outer;
                    }
                }
            }
            synchronized (counts) {
                counts.merge(cat, 1, Integer::sum);
                total++;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        sampler.interrupt();
        sampler.join();
    }

    String summary() {
        StringBuilder sb = new StringBuilder();
        synchronized (counts) {
            counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                    .forEach(e -> sb.append(String.format(java.util.Locale.ROOT, "%s %.0f%%; ", e.getKey(), 100.0 * e.getValue() / total)));
        }
        return sb.toString();
    }
}

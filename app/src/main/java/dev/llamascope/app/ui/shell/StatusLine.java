package dev.llamascope.app.ui.shell;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.icons.AppIcon;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.app.ui.session.ModelSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.control.Label;
import javafx.util.Duration;
import org.controlsfx.control.StatusBar;

/**
 * Fills the status bar: the loaded model on the left; compute threads and memory (Java heap, and the process's
 * resident memory where the system tells it, which includes the mapped weights) on the right, refreshed every two
 * seconds.
 */
final class StatusLine {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private final Label model = new Label();
    private final Label threads = new Label();
    private final Label memory = new Label();
    private final Timeline timer;

    StatusLine(AppContext ctx, StatusBar bar) {
        bar.setText("");
        model.setId("statusModel");
        threads.setId("statusThreads");
        memory.setId("statusMemory");
        for (Label l : new Label[]{model, threads, memory}) l.getStyleClass().add("status-item");
        model.setGraphic(AppIcon.MODELS.node());
        threads.setGraphic(AppIcon.THREADS.node());
        memory.setGraphic(AppIcon.MEMORY.node());
        bar.getLeftItems().setAll(model);
        bar.getRightItems().setAll(threads, memory);
        ctx.session().currentProperty().addListener((o, a, b) -> showModel(b));
        showModel(ctx.session().current());
        threads.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            int n = ctx.session().threadsProperty().get();
            return n == 1 ? "1 thread" : n + " threads";
        }, ctx.session().threadsProperty()));
        timer = new Timeline(new KeyFrame(Duration.seconds(2), e -> showMemory()));
        timer.setCycleCount(Timeline.INDEFINITE);
        timer.play();
        showMemory();
    }

    void stop() {
        timer.stop();
    }

    private void showModel(ModelHandle h) {
        if (h == null) {
            model.setText("No model loaded");
            return;
        }
        ModelSummary s = h.summary();
        model.setText(s.name() + " · " + s.format() + " · " + ModelSummary.count(s.parameters()) + " parameters");
    }

    private void showMemory() {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long rss = residentBytes();
        memory.setText(String.format(Locale.ROOT, "heap %s of %s", ModelSummary.bytes(used), ModelSummary.bytes(rt.maxMemory()))
                + (rss > 0 ? " · process " + ModelSummary.bytes(rss) : ""));
    }

    /** VmRSS from /proc on Linux; -1 elsewhere. */
    private static long residentBytes() {
        if (!Files.isReadable(PROC_STATUS)) return -1;
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not worth a message: the status bar then shows the heap only
        }
        return -1;
    }
}

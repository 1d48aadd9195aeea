package dev.llamascope.app.ui.inspect;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.llamascope.app.ui.viz.VizControl;
import dev.llamascope.engine.inference.inspect.ModelPart;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tensor.ComputePool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.stage.Stage;
import javafx.util.Duration;
import javax.imageio.ImageIO;

/**
 * Opens the Inspect pane on its own, for developing it and for screenshots, until the application shell mounts it.
 * <pre>
 * java ... dev.llamascope.app.ui.inspect.InspectSampler [MODEL [TOKENIZER]] [--text T] [--dark]
 *          [--screenshots DIR] [--measure] [--threads N]
 * </pre>
 * MODEL defaults to stories260K from the shared folder. {@code --screenshots DIR} walks through every view, writes a
 * PNG of each into DIR and exits; {@code --measure} times the all-heads grid's paint and hover handling and exits.
 */
public final class InspectSampler {
    private InspectSampler() {}

    public static void main(String[] args) {
        Application.launch(App.class, args);
    }

    /** The JavaFX application (a nested class, so that the classpath launch goes through a plain main). */
    public static final class App extends Application {
        private ComputePool pool;
        private ExecutorService executor;
        private LoadedModel model;

        @Override
        public void start(Stage stage) throws Exception {
            List<String> a = new ArrayList<>(getParameters().getRaw());
            String text = option(a, "--text");
            String shots = option(a, "--screenshots");
            String threads = option(a, "--threads");
            boolean dark = a.remove("--dark"), measure = a.remove("--measure");
            String shared = System.getProperty("llamascope.shared", "../shared");
            Path modelPath = Path.of(a.size() > 0 ? a.get(0) : shared + "/models/stories260K/stories260K.bin");
            Path tokPath = a.size() > 1 ? Path.of(a.get(1)) : Files.exists(Path.of(shared, "models/stories260K/tok512.bin")) && a.isEmpty()
                    ? Path.of(shared, "models/stories260K/tok512.bin") : null;
            Application.setUserAgentStylesheet((dark ? new PrimerDark() : new PrimerLight()).getUserAgentStylesheet());
            model = ModelLoader.load(modelPath, tokPath);
            pool = new ComputePool(threads == null ? ComputePool.defaultThreads() : Integer.parseInt(threads));
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "inspect-sampler-engine");
                t.setDaemon(true);
                return t;
            });
            InspectPane pane = new InspectPane(executor, pool);
            pane.setModel(model);
            if (text != null) pane.textProperty().set(text);
            Scene scene = new Scene(pane, 1400, 900);
            stage.setScene(scene);
            stage.setTitle("Llamascope · Inspect sampler · " + modelPath.getFileName());
            stage.show();
            pane.inspect();
            if (shots != null || measure) {
                pane.state().lensProperty().addListener((o, x, lens) -> {
                    if (lens == null) return;
                    if (measure) Platform.runLater(() -> measure(pane));
                    else Platform.runLater(() -> screenshots(pane, scene, Path.of(shots)));
                });
                pane.state().stateProperty().addListener((o, x, s) -> {
                    if (s == InspectModel.State.ERROR) {
                        System.err.println("inspect failed: " + pane.state().messageProperty().get());
                        Platform.exit();
                    }
                });
            }
        }

        @Override
        public void stop() {
            if (executor != null) executor.shutdownNow();
            if (pool != null) pool.close();
            if (model != null) model.close();
        }

        private static String option(List<String> a, String name) {
            int i = a.indexOf(name);
            if (i < 0 || i + 1 >= a.size()) return null;
            String v = a.get(i + 1);
            a.remove(i + 1);
            a.remove(i);
            return v;
        }

        /** Walks through the views, writing one PNG each, then exits. */
        private void screenshots(InspectPane pane, Scene scene, Path dir) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            InspectModel m = pane.state();
            int layers = model.model().config().nLayers();
            AttentionView av = pane.attention;
            Deque<Step> steps = new ArrayDeque<>();
            steps.add(new Step(() -> {
                pane.showTab("Attention");
                m.layerProperty().set(Math.min(1, layers - 1));
                m.headProperty().set(2);
                av.setMode(AttentionView.Mode.HEATMAP);
                av.heatmap.setCellSize(22);
            }, 600, null));
            steps.add(new Step(() -> hover(av.heatmap, heatmapX(av, 6), heatmapY(av, 14)), 300, "attention-heatmap"));
            steps.add(new Step(() -> {
                av.setMode(AttentionView.Mode.GRID);
            }, 600, null));
            steps.add(new Step(() -> hover(av.grid, 58 + 2.5 * av.grid.getThumbSize() + 20, 22 + 1.5 * av.grid.getThumbSize() + 10), 300, "attention-grid"));
            steps.add(new Step(() -> {
                m.combineProperty().set(InspectModel.Combine.ONE_HEAD);
                av.setMode(AttentionView.Mode.HEAD_VIEW);
            }, 500, null));
            steps.add(new Step(() -> {
                ((javafx.scene.control.CheckBox) ((javafx.scene.layout.VBox) av.headView.getParent()).getChildren().get(0)).setSelected(true);
                hover(av.headView, 60, 24 + 20 * 17 + 10);
            }, 400, "attention-headview"));
            steps.add(new Step(() -> {
                av.setMode(AttentionView.Mode.STEPS);
                av.heatmap.setCellSize(15);
            }, 1500, "attention-steps"));
            steps.add(new Step(() -> {
                m.combineProperty().set(InspectModel.Combine.MEAN);
                av.setMode(AttentionView.Mode.HEATMAP);
                av.heatmap.setCellSize(20);
            }, 600, "attention-mean"));
            steps.add(new Step(() -> {
                m.combineProperty().set(InspectModel.Combine.ONE_HEAD);
                av.heatmap.fitWidth(av.heatmap.getWidth());
            }, 600, null));
            steps.add(new Step(() -> hover(av.heatmap, heatmapX(av, Math.max(0, av.heatmap.getMatrix().cols() * 2 / 3)),
                    heatmapY(av, Math.max(0, av.heatmap.getMatrix().rows() * 5 / 6))), 300, "attention-heatmap-fit"));
            steps.add(new Step(() -> pane.showTab("Probabilities"), 600, "probabilities"));
            steps.add(new Step(() -> pane.showTab("Logit lens"), 600, null));
            steps.add(new Step(() -> hover(pane.lens.grid, 86 + 76 * 4.5, 40 + 26 * 3.5), 400, "logit-lens"));
            steps.add(new Step(() -> {
                pane.showTab("Architecture");
                m.layerProperty().set(Math.min(1, layers - 1));
                m.partProperty().set(ModelPart.W1);
            }, 2000, "architecture"));
            steps.add(new Step(() -> m.partProperty().set(ModelPart.EMBEDDING), 2000, "architecture-embedding"));
            next(steps, scene, dir);
        }

        private void next(Deque<Step> steps, Scene scene, Path dir) {
            Step s = steps.poll();
            if (s == null) {
                Platform.exit();
                return;
            }
            s.action().run();
            PauseTransition p = new PauseTransition(Duration.millis(s.waitMillis()));
            p.setOnFinished(e -> {
                if (s.name() != null) save(scene, dir.resolve(s.name() + ".png"));
                next(steps, scene, dir);
            });
            p.play();
        }

        private static void save(Scene scene, Path file) {
            WritableImage img = scene.getRoot().snapshot(null, null);
            try {
                ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", file.toFile());
                System.out.println("wrote " + file);
            } catch (IOException e) {
                System.err.println("could not write " + file + ": " + e.getMessage());
            }
        }

        /** Canvas x of the middle of a heatmap column (the row labels' margin measured from the hover). */
        static double heatmapX(AttentionView av, int col) {
            return marginLeft(av) + av.heatmap.getCellSize() * (col + 0.5);
        }

        static double heatmapY(AttentionView av, int row) {
            return marginTop(av) + av.heatmap.getCellSize() * (row + 0.5);
        }

        private static double marginLeft(AttentionView av) {
            // probe from the right edge of the first column of cells: the first x whose hover names column 0
            for (int x = 0; x < 300; x++) {
                hover(av.heatmap, x, 400);
                var c = av.heatmap.hoveredCellProperty().get();
                if (c != null) return x;
            }
            return 100;
        }

        private static double marginTop(AttentionView av) {
            for (int y = 0; y < 300; y++) {
                hover(av.heatmap, 400, y);
                var c = av.heatmap.hoveredCellProperty().get();
                if (c != null) return y;
            }
            return 100;
        }

        /** Moves the mouse over a viz control's canvas at (x, y), as the user would. */
        static void hover(VizControl c, double x, double y) {
            Canvas canvas = canvasOf(c);
            if (canvas == null) return;
            // a MouseEvent's x, y are scene coordinates until it is delivered to the node
            javafx.geometry.Point2D p = canvas.localToScene(x, y);
            Event.fireEvent(canvas, new MouseEvent(MouseEvent.MOUSE_MOVED, p.getX(), p.getY(), 0, 0, MouseButton.NONE, 0,
                    false, false, false, false, false, false, false, false, false, false, null));
        }

        static Canvas canvasOf(VizControl c) {
            for (Node n : c.getChildrenUnmodifiable()) if (n instanceof Canvas cv) return cv;
            return null;
        }

        /** Times the all-heads grid: full repaints with fresh data, and hover handling, then exits. */
        private void measure(InspectPane pane) {
            AttentionView av = pane.attention;
            pane.showTab("Attention");
            av.setMode(AttentionView.Mode.GRID);
            var grid = av.grid;
            var in = pane.state().getInspection();
            System.out.printf(Locale.ROOT, "model %s: %d layers x %d heads, %d tokens, thumbnails %.0f px%n",
                    model.model().config(), in.config().nLayers(), in.config().nHeads(), in.positions(), grid.getThumbSize());
            double[] paints = new double[12];
            PauseTransition settle = new PauseTransition(Duration.millis(500));
            settle.setOnFinished(e -> {
                double firstShown = grid.lastPaintMillisProperty().get(); // the paint when the grid was first shown (cold JIT)
                // a full re-render of every thumbnail, then a snapshot of the canvas, which makes the render thread
                // rasterise the drawing commands too: wall time and the FX thread's CPU time (the machine is shared)
                var bean = java.lang.management.ManagementFactory.getThreadMXBean();
                double[] walls = new double[paints.length], cpus = new double[paints.length], paintCpus = new double[paints.length];
                Canvas cv = canvasOf(grid);
                for (int i = 0; i < paints.length; i++) {
                    var mats = grid.getMatrices();
                    grid.setMatrices(null);
                    grid.layout();
                    long w0 = System.nanoTime(), c0 = bean.getCurrentThreadCpuTime();
                    grid.setMatrices(mats);
                    grid.layout();
                    paintCpus[i] = (bean.getCurrentThreadCpuTime() - c0) / 1e6;
                    cv.snapshot(null, null);
                    walls[i] = (System.nanoTime() - w0) / 1e6;
                    cpus[i] = (bean.getCurrentThreadCpuTime() - c0) / 1e6;
                    paints[i] = grid.lastPaintMillisProperty().get();
                }
                double firstWall = walls[0], firstCpu = cpus[0];
                Arrays.sort(walls);
                Arrays.sort(cpus);
                Arrays.sort(paintCpus);
                System.out.printf(Locale.ROOT, "grid paint on the FX thread (render thumbnails, record drawing), CPU: median %.1f ms%n", paintCpus[paintCpus.length / 2]);
                System.out.printf(Locale.ROOT, "grid re-render + rasterise (snapshot): wall first %.1f, median %.1f, max %.1f ms; FX-thread CPU first %.1f, median %.1f ms%n",
                        firstWall, walls[walls.length / 2], walls[walls.length - 1], firstCpu, cpus[cpus.length / 2]);
                double first = paints[0];
                Canvas ov = (Canvas) grid.getChildrenUnmodifiable().stream().filter(n -> n instanceof Canvas && n != cv).findFirst().orElseThrow();
                double[] hovers = new double[400];
                double w = cv.getWidth(), h = cv.getHeight();
                for (int i = 0; i < hovers.length; i++) {
                    double x = 60 + (i * 37.0 % (w - 60)), y = 24 + (i * 23.0 % (h - 24));
                    long t0 = System.nanoTime();
                    hover(grid, x, y);
                    ov.snapshot(null, null); // the overlay rasterised too
                    hovers[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(paints);
                Arrays.sort(hovers);
                System.out.printf(Locale.ROOT, "grid full paint (ms): first shown %.1f, then re-renders: first %.1f, median %.1f, max %.1f of %d%n",
                        firstShown, first, paints[paints.length / 2], paints[paints.length - 1], paints.length);
                System.out.printf(Locale.ROOT, "grid hover (event + overlay + snapshot) (ms): median %.3f, p99 %.3f, max %.3f of %d%n",
                        hovers[hovers.length / 2], hovers[(int) (hovers.length * 0.99)], hovers[hovers.length - 1], hovers.length);
                Platform.exit();
            });
            settle.play();
        }

        private record Step(Runnable action, long waitMillis, String name) {}
    }
}

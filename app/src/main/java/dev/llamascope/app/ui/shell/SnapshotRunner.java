package dev.llamascope.app.ui.shell;

import dev.llamascope.app.ui.concurrent.WorkState;
import dev.llamascope.app.ui.data.DataPane;
import dev.llamascope.app.ui.generate.GenerateController;
import dev.llamascope.app.ui.catalog.CatalogItem;
import dev.llamascope.app.ui.generate.GeneratePane;
import dev.llamascope.app.ui.inspect.InspectAppPane;
import dev.llamascope.app.ui.inspect.InspectModel;
import dev.llamascope.app.ui.models.ModelsController;
import dev.llamascope.app.ui.models.ModelsPane;
import dev.llamascope.app.ui.train.RunState;
import dev.llamascope.app.ui.train.TrainAppPane;
import dev.llamascope.app.ui.train.TrainController;
import dev.llamascope.app.ui.train.TrainForm;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.util.Duration;
import javax.imageio.ImageIO;

/**
 * The scripted part of a launch: load the model given on the command line, go to a pane, set the prompt,
 * generate, and in snapshot mode write a PNG of the window and exit. Each step waits for the one before
 * (listening to the panes' states, never blocking the FX thread).
 */
final class SnapshotRunner {
    /** The whole script gives up after this long and writes what the window shows. */
    static final Duration TIMEOUT = Duration.minutes(5);

    private final dev.llamascope.app.ui.AppContext ctx;
    private final LaunchOptions opts;
    private final MainWindow window;
    private final Scene scene;
    private boolean failed;
    private Object keepAlive;

    SnapshotRunner(dev.llamascope.app.ui.AppContext ctx, LaunchOptions opts, MainWindow window, Scene scene) {
        this.ctx = ctx;
        this.opts = opts;
        this.window = window;
        this.scene = scene;
    }

    void run() {
        if (opts.snapshotMode()) {
            PauseTransition guard = new PauseTransition(TIMEOUT);
            guard.setOnFinished(e -> {
                System.err.println("llamascope: the scripted launch took longer than " + TIMEOUT.toMinutes() + " minutes; writing the snapshot as it is");
                failed = true;
                snapshot();
            });
            guard.play();
        }
        ModelsController models = window.pane(ModelsPane.ID, ModelsPane.class).controller();
        GeneratePane generatePane = window.pane(GeneratePane.ID, GeneratePane.class);
        GenerateController generate = generatePane.controller();
        if (opts.prompt() != null) generate.model().promptProperty().set(opts.prompt());
        var knobs = generate.model().knobs();
        if (opts.maxTokens() != null) knobs.maxTokensProperty().set(opts.maxTokens());
        if (opts.temperature() != null) knobs.temperatureProperty().set(opts.temperature());
        if (opts.seed() != null) knobs.seedProperty().set(opts.seed());
        if (opts.download() != null) {
            download();
            return;
        }
        if (opts.model() == null) {
            afterLoad(generate);
            return;
        }
        models.open(opts.model(), opts.tokenizer());
        whenSettled(models.model().stateProperty(), s -> s == WorkState.DONE || s == WorkState.ERROR || s == WorkState.IDLE, s -> {
            if (s != WorkState.DONE) {
                System.err.println("llamascope: " + (models.model().errorProperty().get() != null ? models.model().errorProperty().get() : "the model was not loaded"));
                failed = true;
            }
            afterLoad(generate);
        });
    }

    private void afterLoad(GenerateController generate) {
        if (opts.pane() != null) navigate(opts.pane());
        else if (opts.generate()) navigate(GeneratePane.ID);
        if (opts.data() != null) {
            window.pane(DataPane.ID, DataPane.class).script().run(opts.data(), error -> {
                System.err.println("llamascope: " + error);
                failed = true;
            }, this::finish);
        } else if (opts.trainData() != null && !failed) {
            train();
        } else if (opts.generate() && !failed) {
            // Let the engine warm up first, so the picture shows its real speed.
            whenSettled(generate.warmingUpProperty(), w -> !w, w -> generateNow(generate));
        } else if (inspecting() && opts.prompt() != null) {
            ctx.links().inspect(opts.prompt());
            afterInspection();
        } else {
            finish();
        }
    }

    /** --train-data FILE: a run of the loaded model in the Train pane; the picture is taken when it has ended. */
    private void train() {
        navigate(TrainAppPane.ID);
        TrainController train = window.pane(TrainAppPane.ID, TrainAppPane.class).controller();
        TrainForm form = train.form();
        form.dataProperty().set(opts.trainData());
        if (opts.trainSteps() != null) form.text(TrainForm.Knob.STEPS).set(String.valueOf(opts.trainSteps()));
        if (opts.snapshotMode()) {
            try { // the picture's checkpoints go to a temporary folder, not the models folder
                form.outputDirProperty().set(java.nio.file.Files.createTempDirectory("llamascope-train").toString());
            } catch (IOException e) {
                form.saveProperty().set(false);
            }
        }
        if (!form.isValid()) {
            System.err.println("llamascope: the Train pane cannot start: " + firstError(form));
            failed = true;
            finish();
            return;
        }
        train.start();
        whenSettled(train.model().stateProperty(), s -> !s.isBusy(), s -> {
            if (s == RunState.ERROR) {
                System.err.println("llamascope: training failed: " + train.model().errorProperty().get());
                failed = true;
            } else {
                System.err.println("llamascope: " + train.model().progressTextProperty().get());
            }
            finish();
        });
    }

    private static String firstError(TrainForm form) {
        for (TrainForm.Knob k : TrainForm.Knob.values()) if (form.error(k).get() != null) return k.label + ": " + form.error(k).get();
        for (TrainForm.Choice c : TrainForm.Choice.values()) if (form.error(c).get() != null) return form.error(c).get();
        return "unknown";
    }

    /** --download NAME: starts the download once the catalog is read; a snapshot waits for a third of it (or its end). */
    private void download() {
        var catalog = ctx.catalog();
        whenSettled(catalog.readyProperty(), r -> r, r -> {
            if (opts.pane() != null) navigate(opts.pane());
            var item = catalog.item(opts.download()).orElse(null);
            if (item == null) {
                System.err.println("llamascope: " + (catalog.problemProperty().get() != null ? catalog.problemProperty().get()
                        : "no model named '" + opts.download() + "' in the catalog"));
                failed = true;
                finish();
                return;
            }
            catalog.download(item, false);
            var done = javafx.beans.binding.Bindings.createBooleanBinding(() -> item.activity() == CatalogItem.Activity.IDLE
                    || item.progressProperty().get() >= 0.33 && item.progressTextProperty().get().contains("left"),
                    item.activityProperty(), item.progressProperty(), item.progressTextProperty());
            keepAlive = done; // the binding listens weakly to the item: keep it while waiting
            whenSettled(done, d -> d, d -> {
                if (item.errorProperty().get() != null) System.err.println("llamascope: " + item.errorProperty().get());
                finish();
            });
        });
    }

    /** --pane inspect with a model: the prompt (or, with --generate, the story) is inspected before the picture. */
    private boolean inspecting() {
        return InspectAppPane.ID.equals(opts.pane()) && ctx.session().current() != null && !failed;
    }

    private void generateNow(GenerateController generate) {
        generate.generate();
        whenSettled(generate.model().stateProperty(), s -> s == WorkState.DONE || s == WorkState.ERROR, s -> {
            if (s == WorkState.ERROR) {
                System.err.println("llamascope: " + generate.model().errorProperty().get());
                failed = true;
            }
            if (inspecting()) {
                generate.inspect();
                afterInspection();
            } else {
                finish();
            }
        });
    }

    private void afterInspection() {
        InspectModel inspect = window.pane(InspectAppPane.ID, InspectAppPane.class).inspectPane().state();
        whenSettled(inspect.stateProperty(), s -> s == InspectModel.State.DONE || s == InspectModel.State.ERROR, s -> {
            if (s == InspectModel.State.ERROR) {
                System.err.println("llamascope: " + inspect.messageProperty().get());
                failed = true;
            }
            finish();
        });
    }

    private void navigate(String pane) {
        ctx.navigation().show(pane);
    }

    private void finish() {
        if (!opts.snapshotMode()) return;
        PauseTransition delay = new PauseTransition(Duration.seconds(opts.snapshotDelay()));
        delay.setOnFinished(e -> snapshot());
        delay.play();
    }

    private boolean written;

    private void snapshot() {
        if (written) return;
        written = true;
        try {
            write(scene, opts.snapshot());
            System.err.println("llamascope: snapshot written to " + opts.snapshot());
        } catch (IOException | RuntimeException e) {
            System.err.println("llamascope: cannot write the snapshot " + opts.snapshot() + ": " + e.getMessage());
            failed = true;
        }
        if (failed) {
            System.exit(1);
        }
        Platform.exit();
    }

    /** Writes a PNG of a scene (its root at its current size). */
    static void write(Scene scene, Path file) throws IOException {
        WritableImage image = scene.snapshot(null);
        BufferedImage png = SwingFXUtils.fromFXImage(image, null);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        dev.llamascope.engine.util.AtomicFiles.write(file, out -> {
            if (!ImageIO.write(png, "png", out)) throw new IOException("no PNG writer");
        });
    }

    /** Calls {@code then} once, when the value first satisfies {@code done} (now or later). */
    static <T> void whenSettled(ObservableValue<T> value, java.util.function.Predicate<T> done, Consumer<T> then) {
        if (done.test(value.getValue())) {
            then.accept(value.getValue());
            return;
        }
        ChangeListener<T> l = new ChangeListener<>() {
            @Override
            public void changed(ObservableValue<? extends T> o, T a, T b) {
                if (done.test(b)) {
                    value.removeListener(this);
                    then.accept(b);
                }
            }
        };
        value.addListener(l);
    }
}

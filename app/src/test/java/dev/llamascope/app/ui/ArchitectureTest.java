package dev.llamascope.app.ui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The app classes that run on engine threads never touch JavaFX (their class files name no javafx type), and the
 * panes do not reach into each other (a feature package names no other feature's classes; they talk through
 * {@code PaneLinks}).
 */
class ArchitectureTest {
    private static String constantPool(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void engineSideClassesHaveNoJavaFx() throws IOException, ClassNotFoundException {
        for (Class<?> c : List.of(dev.llamascope.app.ui.generate.GenerationEngine.class, dev.llamascope.app.ui.generate.TokenOdds.class,
                dev.llamascope.app.ui.generate.StoryToken.class, dev.llamascope.app.ui.generate.StreamEvent.class,
                dev.llamascope.app.ui.generate.GenerationRequest.class, dev.llamascope.app.ui.session.ModelHandle.class,
                dev.llamascope.app.ui.session.ModelSummary.class, dev.llamascope.app.ui.models.FileModelOpener.class,
                dev.llamascope.app.ui.concurrent.PooledEngineExecutor.class, dev.llamascope.app.ui.concurrent.CancelToken.class,
                dev.llamascope.app.ui.concurrent.ComputeLane.class, dev.llamascope.app.ui.concurrent.SerialExecutor.class,
                dev.llamascope.app.ui.inspect.ModelAccess.class, Class.forName("dev.llamascope.app.ui.inspect.SessionModelAccess"),
                Class.forName("dev.llamascope.app.ui.train.TrainJob"), Class.forName("dev.llamascope.app.ui.train.RunTap"),
                Class.forName("dev.llamascope.app.ui.train.TrainEvent"), Class.forName("dev.llamascope.app.ui.train.RunRequest"),
                dev.llamascope.app.ui.train.Ema.class)) {
            assertFalse(constantPool(c).contains("javafx/"), c.getName() + " refers to JavaFX but runs on engine threads");
        }
    }

    @Test
    void featurePackagesDoNotReachIntoEachOther() throws IOException {
        for (Class<?> c : List.of(dev.llamascope.app.ui.generate.GenerateController.class, dev.llamascope.app.ui.generate.GenerateView.class,
                dev.llamascope.app.ui.generate.GeneratePane.class)) {
            assertFalse(constantPool(c).contains("dev/llamascope/app/ui/models/"), c.getName());
        }
        for (Class<?> c : List.of(dev.llamascope.app.ui.models.ModelsController.class, dev.llamascope.app.ui.models.ModelsView.class,
                dev.llamascope.app.ui.models.ModelsPane.class)) {
            assertFalse(constantPool(c).contains("dev/llamascope/app/ui/generate/"), c.getName());
        }
        for (Class<?> c : List.of(dev.llamascope.app.ui.inspect.InspectAppPane.class, dev.llamascope.app.ui.inspect.InspectController.class,
                dev.llamascope.app.ui.inspect.InspectPane.class)) {
            String pool = constantPool(c);
            assertFalse(pool.contains("dev/llamascope/app/ui/generate/") || pool.contains("dev/llamascope/app/ui/models/"), c.getName());
        }
        assertFalse(constantPool(dev.llamascope.app.ui.generate.GenerateController.class).contains("dev/llamascope/app/ui/inspect/"));
        for (Class<?> c : List.of(dev.llamascope.app.ui.train.TrainAppPane.class, dev.llamascope.app.ui.train.TrainController.class,
                dev.llamascope.app.ui.train.TrainView.class, dev.llamascope.app.ui.train.TrainForm.class)) {
            String pool = constantPool(c);
            for (String feature : List.of("generate", "models", "inspect"))
                assertFalse(pool.contains("dev/llamascope/app/ui/" + feature + "/"), c.getName() + " names " + feature);
        }
        // The catalog is shared (Models and Generate show it): it names no pane.
        for (Class<?> c : List.of(dev.llamascope.app.ui.catalog.ModelCatalog.class, dev.llamascope.app.ui.catalog.CatalogView.class,
                dev.llamascope.app.ui.catalog.ModelBanner.class)) {
            String pool = constantPool(c);
            for (String feature : List.of("generate", "models", "inspect"))
                assertFalse(pool.contains("dev/llamascope/app/ui/" + feature + "/"), c.getName() + " names " + feature);
        }
        // the check can see references at all
        assertTrue(constantPool(dev.llamascope.app.ui.generate.GenerateController.class).contains("dev/llamascope/app/ui/session/"));
    }
}

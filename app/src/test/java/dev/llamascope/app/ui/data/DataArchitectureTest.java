package dev.llamascope.app.ui.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Data pane's classes that run on engine threads name no JavaFX type, and the pane names no other pane's
 * package (it hands datasets to training through PaneLinks).
 */
class DataArchitectureTest {
    private static String constantPool(Class<?> c) throws IOException {
        String name = c.getName().substring(c.getName().lastIndexOf('.') + 1);
        try (InputStream in = c.getResourceAsStream(name + ".class")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void engineSideClassesHaveNoJavaFx() throws IOException {
        for (Class<?> c : List.of(StoryRun.class, StoryRun.Settings.class, DocumentFiles.class, DatasetLook.class, DatasetJobs.class)) {
            assertFalse(constantPool(c).contains("javafx/"), c.getName() + " refers to JavaFX but runs on engine threads");
        }
        assertTrue(constantPool(StoriesTab.class).contains("javafx/"), "the check can see references");
    }

    @Test
    void theDataPaneNamesNoOtherPane() throws IOException {
        for (Class<?> c : List.of(DataPane.class, DataPaneView.class, PromptsTab.class, StoriesTab.class, DiversityTab.class,
                TokenizerTab.class, DatasetTab.class, StoryRun.class, DataScript.class)) {
            String pool = constantPool(c);
            for (String feature : List.of("generate", "models", "inspect", "train", "catalog"))
                assertFalse(pool.contains("dev/llamascope/app/ui/" + feature + "/"), c.getName() + " names " + feature);
        }
    }
}

package dev.llamascope.engine.data.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's own assets/ folder (engine tests run in engine/). */
final class TestAssets {
    private TestAssets() {}

    static Path folder() {
        String root = System.getProperty("llamascope.root");
        Path p = root != null && !root.isBlank() ? Path.of(root, "assets") : Path.of("..", "assets");
        assertTrue(Files.isDirectory(p.resolve("words")), "the project's assets folder is missing at " + p.toAbsolutePath());
        return p;
    }

    static AssetSource source() {
        return AssetSource.folder(folder());
    }
}

package dev.llamascope.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the test models and references live: ../shared/ beside the project, or LLAMASCOPE_SHARED. Tests that need
 * them skip with a message saying so when they are absent.
 */
public final class SharedData {
    private SharedData() {}

    public static Path root() {
        String env = System.getenv("LLAMASCOPE_SHARED");
        if (env != null && !env.isBlank()) return Path.of(env);
        String prop = System.getProperty("llamascope.shared");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        return Path.of("..", "shared");
    }

    /** A file under the shared folder; skips the test when it is not there. */
    public static Path file(String relative) {
        Path p = root().resolve(relative);
        assumeTrue(Files.exists(p), "test data " + p + " is absent (set LLAMASCOPE_SHARED to the shared folder); skipping");
        return p;
    }
}

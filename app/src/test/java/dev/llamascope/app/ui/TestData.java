package dev.llamascope.app.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared test models and references (../shared, or LLAMASCOPE_SHARED, or -Dllamascope.shared); a test that
 * needs one is skipped with a message when it is absent.
 */
public final class TestData {
    private TestData() {}

    public static Path root() {
        String env = System.getenv("LLAMASCOPE_SHARED");
        if (env != null && !env.isBlank()) return Path.of(env);
        String prop = System.getProperty("llamascope.shared");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        return Path.of("..", "..", "shared");
    }

    public static Path file(String relative) {
        Path p = root().resolve(relative);
        assumeTrue(Files.exists(p), "test data " + p + " is absent (set LLAMASCOPE_SHARED to the shared folder); skipping");
        return p;
    }

    public static Path stories260K() {
        return file("models/stories260K/stories260K.bin");
    }

    public static Path tok512() {
        return file("models/stories260K/tok512.bin");
    }

    /** run.c's stdout for a reference case, without the final newline run.c prints after the story. */
    public static String reference(String name) throws IOException {
        String s = Files.readString(file("reference/runc/" + name), StandardCharsets.UTF_8);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}

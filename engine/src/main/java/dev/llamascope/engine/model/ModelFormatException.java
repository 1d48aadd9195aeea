package dev.llamascope.engine.model;

import java.nio.file.Path;

/** A model or tokenizer file that cannot be used, with a one-line message that names the file and the problem. */
public class ModelFormatException extends Exception {
    public ModelFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}

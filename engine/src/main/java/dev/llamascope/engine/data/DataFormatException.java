package dev.llamascope.engine.data;

import java.io.IOException;
import java.nio.file.Path;

/** A data file that cannot be used for training, with a one-line message naming the file and the problem. */
public class DataFormatException extends IOException {
    private final Path file;

    public DataFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}

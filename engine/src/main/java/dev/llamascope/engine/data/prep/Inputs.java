package dev.llamascope.engine.data.prep;

import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataFormatException;
import dev.llamascope.engine.data.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;

/** Checks shared by the jobs: the input exists and is a non-empty file; AUTO resolved; cancellation. */
final class Inputs {
    private Inputs() {}

    /** The input's format ({@link DataFormat#AUTO} decided by name and content), after checking the file. */
    static DataFormat check(Path in, DataFormat format) throws IOException {
        if (!Files.exists(in)) throw new NoSuchFileException(in.toString(), null, "no such data file");
        if (Files.isDirectory(in)) throw new DataFormatException(in, "is a folder, not a data file");
        if (Files.size(in) == 0) throw new DataFormatException(in, "the file is empty");
        return format == null || format == DataFormat.AUTO ? Datasets.detect(in) : format;
    }

    static void checkCancelled(PrepProgress p) {
        if (p.cancelled()) throw new CancellationException("cancelled; no file was written");
    }

    /** How often (in records) to report progress and check for cancellation. */
    static final int EVERY = 256;
}

package dev.llamascope.app.ui.data;

import dev.llamascope.app.ui.concurrent.CancelToken;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The dataset step's preparation jobs (no JavaFX): convert, split, pretokenize, each writing beside the input under
 * a name that says what it is. (Placeholder until the engine's data-prep package is merged.)
 */
final class DatasetJobs {
    private DatasetJobs() {}

    /** What a job wrote, and one line about it. */
    record Done(List<Path> outputs, String line) {}

    /** NAME.txt or NAME.jsonl for documents, NAME.FORMAT.jsonl for conversations; never the input's own name. */
    static Path convertedName(Path file, DataFormat to) {
        String ext = to == DataFormat.TEXT ? ".txt" : ".jsonl";
        Path p = sibling(file, (to.conversational() ? "." + to.cliName() : "") + ext);
        return p.equals(file.toAbsolutePath()) ? sibling(file, "." + to.cliName() + ext) : p;
    }

    static Path[] splitNames(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 ? name.substring(dot) : "";
        return new Path[]{sibling(file, ".train" + ext), sibling(file, ".eval" + ext)};
    }

    static Path tokenFileName(Path file) {
        return sibling(file, ".u16");
    }

    /** NAME (without its extension) + suffix, in the same folder. */
    static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        Path dir = file.toAbsolutePath().getParent();
        return dir.resolve(stem + suffix);
    }

    static Done convert(Path in, DataFormat from, Path out, DataFormat to, DataTask.Progress progress, CancelToken cancel) throws IOException {
        throw new UnsupportedOperationException("converting arrives with the engine's data-prep package");
    }

    static Done split(Path in, DataFormat from, double evalFraction, Path train, Path eval, DataTask.Progress progress, CancelToken cancel)
            throws IOException {
        throw new UnsupportedOperationException("splitting arrives with the engine's data-prep package");
    }

    static Done pretokenize(Path in, DataFormat from, Tokenizer tok, PromptTemplate template, Path out, DataTask.Progress progress,
                            CancelToken cancel) throws IOException {
        throw new UnsupportedOperationException("pretokenizing arrives with the engine's data-prep package");
    }
}

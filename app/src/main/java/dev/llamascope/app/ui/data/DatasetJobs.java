package dev.llamascope.app.ui.data;

import dev.llamascope.app.ui.concurrent.CancelToken;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.data.prep.DatasetConverter;
import dev.llamascope.engine.data.prep.DatasetSplitter;
import dev.llamascope.engine.data.prep.PrepProgress;
import dev.llamascope.engine.data.prep.PrepResult;
import dev.llamascope.engine.data.prep.Pretokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The dataset step's preparation jobs (no JavaFX), run by the engine's data-prep package: convert, split,
 * pretokenize, each writing beside the input (or into a chosen folder) under a name that says what it is, atomically (a cancel or an error
 * leaves no file), with the progress and the cancel flag of the tab's task.
 */
final class DatasetJobs {
    private DatasetJobs() {}

    /** Records split into train and eval by this seed, so a split is the same every time. */
    static final long SPLIT_SEED = 42;

    /** What a job wrote, and one line about it. */
    record Done(List<Path> outputs, String line) {}

    /** NAME.txt or NAME.jsonl for documents, NAME.FORMAT.jsonl for conversations; never the input's own name. */
    /**
     * NAME.txt or NAME.jsonl for documents, NAME.FORMAT.jsonl for conversations; never the input's own name.
     *
     * @param folder where outputs go, or null for beside the input (as for the other names)
     */
    static Path convertedName(Path file, DataFormat to, Path folder) {
        String ext = to == DataFormat.TEXT ? ".txt" : ".jsonl";
        Path p = sibling(file, (to.conversational() ? "." + to.cliName() : "") + ext, folder);
        return p.equals(file.toAbsolutePath()) ? sibling(file, "." + to.cliName() + ext, folder) : p;
    }

    /** NAME.train.EXT and NAME.eval.EXT. */
    static Path[] splitNames(Path file, Path folder) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 ? name.substring(dot) : "";
        return new Path[]{sibling(file, ".train" + ext, folder), sibling(file, ".eval" + ext, folder)};
    }

    /** NAME.u16. */
    static Path tokenFileName(Path file, Path folder) {
        return sibling(file, ".u16", folder);
    }

    /** NAME (without its extension) + suffix, in {@code folder} or else beside the file. */
    static Path sibling(Path file, String suffix, Path folder) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        Path dir = folder != null ? folder.toAbsolutePath() : file.toAbsolutePath().getParent();
        return dir.resolve(stem + suffix);
    }

    static Done convert(Path in, DataFormat from, Path out, DataFormat to, DataTask.Progress progress, CancelToken cancel) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        PrepResult r = DatasetConverter.convert(in, from, out, to, prep(progress, cancel, "records"));
        return new Done(r.outputs(), String.format(Locale.ROOT, "Wrote %,d %s records to %s%s.", r.written(), to.cliName(), out.getFileName(),
                skipped(r)) + notes(r));
    }

    static Done split(Path in, DataFormat from, double evalFraction, Path train, Path eval, DataTask.Progress progress, CancelToken cancel)
            throws IOException {
        Files.createDirectories(train.toAbsolutePath().getParent());
        PrepResult r = DatasetSplitter.split(in, from, evalFraction, SPLIT_SEED, train, eval, prep(progress, cancel, "records"));
        List<PrepResult.Output> f = r.files();
        return new Done(r.outputs(), String.format(Locale.ROOT, "Split %,d records: %,d into %s, %,d into %s.", r.read(),
                f.get(0).records(), f.get(0).path().getFileName(), f.get(1).records(), f.get(1).path().getFileName()) + notes(r));
    }

    static Done pretokenize(Path in, DataFormat from, Tokenizer tok, PromptTemplate template, Path out, DataTask.Progress progress,
                            CancelToken cancel) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        PrepResult r = Pretokenizer.pretokenize(in, from, tok, template, out, 0, prep(progress, cancel, "documents"));
        return new Done(r.outputs(), String.format(Locale.ROOT, "Wrote %,d tokens of %,d documents to %s.", r.tokens(), r.written(),
                r.outputs().getFirst().getFileName()) + notes(r));
    }

    private static String skipped(PrepResult r) {
        return r.skipped() == 0 ? "" : String.format(Locale.ROOT, "; %,d left out (the first: %s)", r.skipped(), r.firstSkipReason());
    }

    private static String notes(PrepResult r) {
        return r.notes().isEmpty() ? "" : " Note: " + String.join("; ", r.notes()) + ".";
    }

    /** The job's progress as the tab's, and the tab's cancel flag as the job's. */
    private static PrepProgress prep(DataTask.Progress progress, CancelToken cancel, String unit) {
        return new PrepProgress() {
            @Override
            public void progress(long done, long total, String what) {
                progress.report(total > 0 ? (double) done / total : -1, total > 0
                        ? String.format(Locale.ROOT, "%s: %,d of %,d %s", capitalized(what), done, total, unit) : capitalized(what) + "…");
            }

            @Override
            public boolean cancelled() {
                return cancel.isCancelled();
            }
        };
    }

    private static String capitalized(String s) {
        return s == null || s.isEmpty() ? "Working" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

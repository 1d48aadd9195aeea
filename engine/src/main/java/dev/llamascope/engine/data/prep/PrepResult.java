package dev.llamascope.engine.data.prep;

import java.nio.file.Path;
import java.util.List;

/**
 * What a data-preparation job did.
 *
 * @param read            records (documents, conversations) read from the input
 * @param written         records written, over all outputs
 * @param skipped         records left out because the output format cannot hold them
 * @param firstSkipReason why the first of them was left out ("" when none was)
 * @param files           the files written, in order (shards in order; for a split: train, then eval), with their counts
 * @param notes           things the user should know that are not errors, e.g. a lossy mapping ("" never appears)
 */
public record PrepResult(long read, long written, long skipped, String firstSkipReason, List<Output> files, List<String> notes) {

    /**
     * One file written.
     *
     * @param records the records (documents) in it
     * @param tokens  the tokens in it (token files only; 0 otherwise)
     */
    public record Output(Path path, long records, long tokens) {}

    public PrepResult {
        firstSkipReason = firstSkipReason == null ? "" : firstSkipReason;
        files = List.copyOf(files);
        notes = List.copyOf(notes);
    }

    /** The paths of the files written, in order. */
    public List<Path> outputs() {
        return files.stream().map(Output::path).toList();
    }

    /** Tokens over all outputs. */
    public long tokens() {
        long n = 0;
        for (Output o : files) n += o.tokens();
        return n;
    }
}

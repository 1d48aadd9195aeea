package dev.llamascope.engine.data.prep;

/**
 * How a data-preparation job ({@link DatasetConverter}, {@link DatasetSplitter}, {@link Pretokenizer}) reports
 * progress and learns that it should stop. Called on the job's thread, often (every few hundred records): an
 * implementation returns quickly and hands the numbers to its own thread if it has one.
 *
 * <p>Cancelling: once {@link #cancelled()} returns true the job stops at its next check, deletes the temporary
 * files it was writing (no output file is created or replaced) and throws
 * {@link java.util.concurrent.CancellationException}.
 */
public interface PrepProgress {
    /** Does nothing and never cancels. */
    PrepProgress NONE = (done, total, what) -> { };

    /**
     * @param done  units of work done: records for convert and split, bytes of the input for pretokenize
     * @param total units in all, or -1 while unknown (e.g. while the input is read)
     * @param what  what is being done, for a label ("reading", "converting", "tokenizing", "writing")
     */
    void progress(long done, long total, String what);

    /** Whether the job should stop; checked between records. */
    default boolean cancelled() {
        return false;
    }
}

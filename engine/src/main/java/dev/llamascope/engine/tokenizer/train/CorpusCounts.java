package dev.llamascope.engine.tokenizer.train;

import java.util.List;

/**
 * What one pass over the training text found: distinct segments with their counts (in shards), and the held-out
 * lines kept for the statistics.
 *
 * @param bytes          size of the text read, in bytes
 * @param lines          non-empty lines read
 * @param heldOutLines   non-empty lines kept out of training (all of them, whether or not they were kept below)
 * @param heldOut        the held-out lines kept for the statistics (capped, in file order)
 */
record CorpusCounts(SegmentCounter[] shards, long bytes, long lines, long heldOutLines, List<String> heldOut) {

    long distinctSegments() {
        long n = 0;
        for (SegmentCounter s : shards) n += s.size();
        return n;
    }
}

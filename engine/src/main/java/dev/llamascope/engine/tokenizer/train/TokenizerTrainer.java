package dev.llamascope.engine.tokenizer.train;

import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.util.AtomicFiles;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Trains a SentencePiece-style BPE tokenizer on a text file (one sentence or paragraph per line) and writes it in
 * the three formats people need: llama2.c's {@code tokenizer.bin}, SentencePiece's {@code tokenizer.model} and
 * Hugging Face's {@code tokenizer.json}, plus {@code training.json} with the statistics.
 */
public final class TokenizerTrainer {
    private TokenizerTrainer() {}

    /** Progress for a UI or the command line. */
    public interface Listener {
        /** Reading and counting: bytes done of total. */
        default void counting(long done, long total) {}

        /** Merging: pieces learned of total. */
        default void merging(int done, int total) {}

        /** Asked between blocks and merges: true stops the training with a CancellationException. */
        default boolean cancelled() {
            return false;
        }
    }

    /**
     * What a training run made and measured.
     *
     * @param heldOut statistics on the held-out lines (all zero when nothing was held out)
     */
    public record Result(TrainedVocabulary vocabulary, TokenizerStats heldOut, long bytes, long lines, long heldOutLines,
                         long distinctSegments, long countNanos, long mergeNanos) {

        /** Training speed over the whole run (counting and merging), in MB (10^6 bytes) per second. */
        public double megabytesPerSecond() {
            long ns = countNanos + mergeNanos;
            return ns == 0 ? 0 : bytes / 1e6 / (ns / 1e9);
        }

        public double countingMegabytesPerSecond() {
            return countNanos == 0 ? 0 : bytes / 1e6 / (countNanos / 1e9);
        }
    }

    public static Result train(Path data, BpeTrainingConfig config, ComputePool pool, Listener listener) throws IOException {
        if (!Files.isRegularFile(data)) throw new NoSuchFileException(data.toString(), null, "no such text file");
        Listener l = listener != null ? listener : new Listener() {};
        long t0 = System.nanoTime();
        CorpusCounts counts = new CorpusCounter(config, pool).count(data, (done, total) -> {
            l.counting(done, total);
            if (l.cancelled()) throw new CancellationException("tokenizer training cancelled");
        });
        long t1 = System.nanoTime();
        TrainedVocabulary vocab;
        try {
            vocab = new BpeTrainer(config).train(counts, (done, total) -> {
                l.merging(done, total);
                if (l.cancelled()) throw new CancellationException("tokenizer training cancelled");
            });
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(data + ": " + e.getMessage(), e);
        }
        long t2 = System.nanoTime();
        TokenizerStats stats = TokenizerStats.measure(vocab.toTokenizer("trained"), counts.heldOut(), pool);
        return new Result(vocab, stats, counts.bytes(), counts.lines(), counts.heldOutLines(), counts.distinctSegments(),
                t1 - t0, t2 - t1);
    }

    /** Writes tokenizer.bin, tokenizer.model, tokenizer.json and training.json into {@code folder}. */
    public static void write(Result r, Path folder, String inputName) throws IOException {
        Files.createDirectories(folder);
        Llama2cTokenizerWriter.write(folder.resolve("tokenizer.bin"), r.vocabulary());
        SentencePieceModelWriter.write(folder.resolve("tokenizer.model"), r.vocabulary(), inputName);
        HfTokenizerJsonWriter.write(folder.resolve("tokenizer.json"), r.vocabulary());
        AtomicFiles.writeString(folder.resolve("training.json"), Json.write(report(r, inputName)) + "\n");
    }

    /** The run's settings and statistics as JSON-ready data (what the Data pane shows). */
    public static Map<String, Object> report(Result r, String inputName) {
        TrainedVocabulary v = r.vocabulary();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", inputName);
        m.put("vocab_size", v.size());
        m.put("merges", v.merges());
        m.put("characters", v.characters());
        m.put("byte_fallback", v.config().byteFallback());
        m.put("character_coverage", v.characterCoverage());
        m.put("max_piece_length", v.config().maxPieceLength());
        m.put("split_digits", v.config().splitDigits());
        m.put("held_out_fraction", v.config().heldOutFraction());
        m.put("bytes", r.bytes());
        m.put("lines", r.lines());
        m.put("held_out_lines", r.heldOutLines());
        m.put("distinct_segments", r.distinctSegments());
        m.put("count_seconds", r.countNanos() / 1e9);
        m.put("merge_seconds", r.mergeNanos() / 1e9);
        m.put("megabytes_per_second", r.megabytesPerSecond());
        TokenizerStats s = r.heldOut();
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lines", s.lines());
        h.put("characters", s.characters());
        h.put("tokens", s.tokens());
        h.put("tokens_per_character", s.tokensPerCharacter());
        h.put("unknown_rate", s.unknownRate());
        h.put("byte_fallback_rate", s.byteRate());
        m.put("held_out", h);
        return m;
    }
}

package dev.llamascope.engine.data.prep;

import dev.llamascope.engine.data.DataFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The two layouts of JSON dataset files: one JSON array (one record per line between the brackets) or JSON Lines.
 * UTF-8, non-ASCII characters written as they are (not as \\u escapes).
 */
final class JsonOutput {
    private JsonOutput() {}

    /**
     * The layout for an output file: {@code .json} is an array, {@code .jsonl} JSON Lines; any other name gets the
     * format's usual layout — an array for Alpaca, ShareGPT and TinyStories (their files are .json arrays), JSON
     * Lines for BELLE, Dolly and MOSS (released as JSON Lines).
     */
    static boolean arrayFor(Path out, DataFormat format) {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl")) return false;
        if (name.endsWith(".json")) return true;
        return switch (format) {
            case ALPACA, SHAREGPT, JSONL -> true;
            default -> false;
        };
    }

    /** Writes already-serialized records (each a compact JSON object). */
    static void write(OutputStream out, List<String> records, boolean array, PrepProgress p) throws IOException {
        if (array) out.write('[');
        for (int i = 0; i < records.size(); i++) {
            if (i % Inputs.EVERY == 0) {
                Inputs.checkCancelled(p);
                p.progress(i, records.size(), "writing");
            }
            if (array) out.write(i == 0 ? "\n".getBytes(StandardCharsets.UTF_8) : ",\n".getBytes(StandardCharsets.UTF_8));
            out.write(records.get(i).getBytes(StandardCharsets.UTF_8));
            if (!array) out.write('\n');
        }
        if (array) out.write("\n]\n".getBytes(StandardCharsets.UTF_8));
        p.progress(records.size(), records.size(), "writing");
    }
}

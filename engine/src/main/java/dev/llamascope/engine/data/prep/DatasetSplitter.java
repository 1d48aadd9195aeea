package dev.llamascope.engine.data.prep;

import dev.llamascope.engine.data.ConversationReader;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataFormatException;
import dev.llamascope.engine.data.JsonRecords;
import dev.llamascope.engine.data.StoriesJsonReader;
import dev.llamascope.engine.data.TextReader;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splits a dataset into a training file and a held-out eval file of the same format, record by record: a record
 * (a line or an {@code <|endoftext|>}-separated document of plain text, a JSON record, a BOS-started document of a
 * token file) is never cut. Which records are held out depends only on the seed and the record count: the first
 * {@code round(n * evalFraction)} positions (at least one, at most n - 1) of a Fisher-Yates permutation drawn from
 * {@code SplittableRandom(seed)}. Both files keep the records in their original order, and JSON records are written
 * back with all their fields (key order kept) in the input's layout (array or lines). Every record is checked with
 * its format's reader first, so a split never hides a malformed record.
 */
public final class DatasetSplitter {
    private DatasetSplitter() {}

    /** BOS in llama2.c's token files: where a document of a .u16 file starts. */
    static final int BOS = 1;

    /**
     * @param evalFraction share of the records held out, strictly between 0 and 1
     * @throws java.util.concurrent.CancellationException when {@code p} cancelled it (neither file is written)
     */
    public static PrepResult split(Path in, DataFormat fmt, double evalFraction, long seed, Path trainOut, Path evalOut, PrepProgress p)
            throws IOException {
        if (p == null) p = PrepProgress.NONE;
        if (!(evalFraction > 0 && evalFraction < 1)) throw new IllegalArgumentException("the eval fraction must be between 0 and 1, got " + evalFraction);
        if (trainOut.toAbsolutePath().normalize().equals(evalOut.toAbsolutePath().normalize()))
            throw new IllegalArgumentException("the train and eval files must differ");
        p.progress(0, -1, "reading");
        DataFormat f = Inputs.check(in, fmt);
        Inputs.checkCancelled(p);
        Parts parts = switch (f) {
            case TEXT -> text(in);
            case TOKENS -> tokens(in);
            default -> json(in, f, p);
        };
        int n = parts.records.size();
        if (n < 2) throw new DataFormatException(in, "has " + n + " record: too few to split");
        boolean[] held = heldOut(n, evalFraction, seed);
        List<byte[]> train = new ArrayList<>(), eval = new ArrayList<>();
        for (int i = 0; i < n; i++) (held[i] ? eval : train).add(parts.records.get(i));
        try (PendingFiles files = new PendingFiles()) {
            write(files, trainOut, train, parts, p, 0, n);
            write(files, evalOut, eval, parts, p, train.size(), n);
            files.commit(List.of(trainOut, evalOut));
        }
        p.progress(n, n, "writing");
        long tt = f == DataFormat.TOKENS ? bytes(train) / 2 : 0, et = f == DataFormat.TOKENS ? bytes(eval) / 2 : 0;
        return new PrepResult(n, n, 0, "", List.of(new PrepResult.Output(trainOut, train.size(), tt),
                new PrepResult.Output(evalOut, eval.size(), et)), List.of());
    }

    /** Which of n records are held out: reproducible from the seed. */
    static boolean[] heldOut(int n, double fraction, long seed) {
        int eval = (int) Math.max(1, Math.min(n - 1, Math.round(n * fraction)));
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        boolean[] held = new boolean[n];
        for (int i = 0; i < eval; i++) held[perm[i]] = true;
        return held;
    }

    /** The records as bytes, and how a file of them starts, separates them and ends. */
    private record Parts(List<byte[]> records, byte[] head, byte[] separator, byte[] tail) {}

    private static Parts text(Path in) throws IOException {
        String text = JsonRecords.readText(in);
        List<String> docs = TextReader.documents(in);
        List<byte[]> records = new ArrayList<>(docs.size());
        for (String d : docs) records.add(d.getBytes(StandardCharsets.UTF_8));
        if (text.contains(TextReader.END_OF_TEXT))
            return new Parts(records, new byte[0], utf8("\n" + TextReader.END_OF_TEXT + "\n"), utf8("\n"));
        return new Parts(records, new byte[0], utf8("\n"), utf8("\n"));
    }

    private static Parts json(Path in, DataFormat f, PrepProgress p) throws IOException {
        List<JsonRecords.Record> raw = JsonRecords.read(in);
        ConversationReader reader = f.conversational() ? ConversationReader.of(f) : null;
        List<byte[]> records = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            if (i % Inputs.EVERY == 0) {
                Inputs.checkCancelled(p);
                p.progress(i, raw.size(), "checking");
            }
            JsonRecords.Record r = raw.get(i);
            if (reader != null) reader.convert(in, r);
            else if (!StoriesJsonReader.recognizes(r.fields()))
                throw new DataFormatException(in, r.where() + ": no 'story', 'text' or 'content' field (fields: " + r.fields().keySet() + ")");
            records.add(utf8(Json.write(r.fields())));
        }
        boolean array = JsonRecords.readText(in).strip().startsWith("[");
        return array ? new Parts(records, utf8("[\n"), utf8(",\n"), utf8("\n]\n")) : new Parts(records, new byte[0], utf8("\n"), utf8("\n"));
    }

    /** Documents of a token file: each starts at a BOS (the first at the file's start). */
    private static Parts tokens(Path in) throws IOException {
        byte[] b = Files.readAllBytes(in);
        if (b.length % 2 != 0) throw new DataFormatException(in, "has an odd size (" + b.length + " bytes): not a file of uint16 tokens");
        List<byte[]> records = new ArrayList<>();
        int start = 0;
        for (int i = 2; i <= b.length; i += 2) {
            if (i == b.length || ((b[i] & 0xff) | (b[i + 1] & 0xff) << 8) == BOS) {
                records.add(java.util.Arrays.copyOfRange(b, start, i));
                start = i;
            }
        }
        return new Parts(records, new byte[0], new byte[0], new byte[0]);
    }

    private static void write(PendingFiles files, Path out, List<byte[]> records, Parts parts, PrepProgress p, int doneBefore, int total)
            throws IOException {
        try (PendingFiles.Pending f = files.open(out)) {
            f.out.write(parts.head);
            for (int i = 0; i < records.size(); i++) {
                if (i % Inputs.EVERY == 0) {
                    Inputs.checkCancelled(p);
                    p.progress(doneBefore + i, total, "writing");
                }
                if (i > 0) f.out.write(parts.separator);
                f.out.write(records.get(i));
            }
            f.out.write(parts.tail);
        }
    }

    private static long bytes(List<byte[]> l) {
        long n = 0;
        for (byte[] b : l) n += b.length;
        return n;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.llamascope.engine.data.prep;

import dev.llamascope.engine.data.Conversation;
import dev.llamascope.engine.data.ConversationReader;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataFormatException;
import dev.llamascope.engine.data.JsonRecords;
import dev.llamascope.engine.data.StoriesJsonReader;
import dev.llamascope.engine.data.TextReader;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Converts a dataset between the formats the trainer reads, record by record, through the readers of
 * {@code dev.llamascope.engine.data}: instruction/chat data (Alpaca, BELLE, ShareGPT, MOSS, Dolly) among
 * themselves, documents (plain text, TinyStories JSON/JSONL) among themselves. Fields are mapped as
 * {@link ConversationWriter} says; a record the target cannot hold (a multi-turn chat for BELLE or Dolly) is
 * skipped, never cut, and counted with the first reason; an instruction's extra input that a chat format has no
 * field for is appended to the user's text and reported in a note. Fields no reader uses (ids, Dolly's category,
 * TinyStories' summaries) are not carried over.
 *
 * <p>Output: UTF-8, non-ASCII as is, written atomically (nothing is written when a record is malformed, when no
 * record fits the target, or when cancelled). JSON layout by the output's extension ({@code .json} array,
 * {@code .jsonl} lines) or else the format's usual one (see {@link JsonOutput#arrayFor}). Plain text is one
 * document per line, or, when some document spans lines, documents separated by {@code <|endoftext|>} lines
 * (TinyStories' .txt layout), which {@link TextReader} reads back.
 */
public final class DatasetConverter {
    private DatasetConverter() {}

    /**
     * @param from the input's format, or {@link DataFormat#AUTO} to decide by name and content
     * @param to   the output's format (not AUTO; not TOKENS: that is {@link Pretokenizer}'s job)
     * @throws IllegalArgumentException  a conversion between kinds (instructions to plain text or back), or to tokens
     * @throws DataFormatException       a malformed input (the message names the file and the line or record)
     * @throws java.util.concurrent.CancellationException when {@code p} cancelled it
     */
    public static PrepResult convert(Path in, DataFormat from, Path out, DataFormat to, PrepProgress p) throws IOException {
        if (p == null) p = PrepProgress.NONE;
        if (to == null || to == DataFormat.AUTO) throw new IllegalArgumentException("say which format to convert to");
        if (to == DataFormat.TOKENS) throw new IllegalArgumentException("to make a token file, pretokenize the data (it needs a tokenizer)");
        p.progress(0, -1, "reading");
        DataFormat f = Inputs.check(in, from);
        if (f == DataFormat.TOKENS)
            throw new DataFormatException(in, "is a token file: its text cannot be converted without its tokenizer (./llamascope dataset preview shows it)");
        if (f.conversational() != to.conversational())
            throw new IllegalArgumentException("cannot convert " + f.cliName() + " to " + to.cliName() + ": "
                    + (f.conversational() ? "instruction and chat data have no plain-text form (pretokenize renders it with a prompt template)"
                    : "plain documents have no instructions (choose text or jsonl)"));
        Inputs.checkCancelled(p);
        List<String> records = new ArrayList<>();
        long read, skipped = 0, merged = 0;
        String firstSkip = "";
        boolean array = false;
        if (f.conversational()) {
            ConversationReader reader = ConversationReader.of(f);
            List<JsonRecords.Record> raw = JsonRecords.read(in);
            read = raw.size();
            for (int i = 0; i < raw.size(); i++) {
                if (i % Inputs.EVERY == 0) {
                    Inputs.checkCancelled(p);
                    p.progress(i, raw.size(), "converting");
                }
                Conversation c = reader.convert(in, raw.get(i));
                ConversationWriter.Converted r = ConversationWriter.convert(c, to, records.size());
                if (r.json() == null) {
                    if (skipped++ == 0) firstSkip = raw.get(i).where() + ": " + r.skipReason();
                    continue;
                }
                if (r.contextMerged()) merged++;
                records.add(r.json());
            }
            array = JsonOutput.arrayFor(out, to);
        } else {
            List<String> docs = f == DataFormat.TEXT ? TextReader.documents(in) : StoriesJsonReader.documents(in);
            read = docs.size();
            boolean multiLine = to == DataFormat.TEXT && docs.stream().anyMatch(d -> d.indexOf('\n') >= 0 || d.indexOf('\r') >= 0);
            for (int i = 0; i < docs.size(); i++) {
                if (i % Inputs.EVERY == 0) {
                    Inputs.checkCancelled(p);
                    p.progress(i, docs.size(), "converting");
                }
                String d = docs.get(i);
                if (to == DataFormat.TEXT && d.contains(TextReader.END_OF_TEXT)) {
                    if (skipped++ == 0) firstSkip = "document " + (i + 1) + ": it contains " + TextReader.END_OF_TEXT
                            + ", the document separator of plain text";
                    continue;
                }
                records.add(to == DataFormat.JSONL ? Json.write(Map.of("story", d)) : multiLine ? d.strip() : d);
            }
            if (to == DataFormat.TEXT)
                return writeText(in, out, records, read, skipped, firstSkip, p, multiLine ? List.of("documents span several lines, so they are"
                        + " separated by " + TextReader.END_OF_TEXT + " lines") : List.of(), multiLine);
            array = JsonOutput.arrayFor(out, to);
        }
        List<String> notes = new ArrayList<>();
        if (merged > 0)
            notes.add(merged + " record(s) had an input (context) that " + to.cliName()
                    + " has no field for: it was appended to the user's text after a blank line");
        return writeRecords(in, out, to, records, read, skipped, firstSkip, p, notes, array);
    }

    private static PrepResult writeRecords(Path in, Path out, DataFormat to, List<String> records, long read, long skipped,
                                           String firstSkip, PrepProgress p, List<String> notes, boolean array) throws IOException {
        if (records.isEmpty()) throw nothing(in, to, firstSkip);
        try (PendingFiles files = new PendingFiles(); PendingFiles.Pending f = files.open(out)) {
            JsonOutput.write(f.out, records, array, p);
            f.close();
            files.commit(List.of(out));
        }
        return new PrepResult(read, records.size(), skipped, firstSkip, List.of(new PrepResult.Output(out, records.size(), 0)), notes);
    }

    /** Plain text: one document per line, or separated by &lt;|endoftext|&gt; lines. */
    private static PrepResult writeText(Path in, Path out, List<String> docs, long read, long skipped, String firstSkip,
                                        PrepProgress p, List<String> notes, boolean separated) throws IOException {
        if (docs.isEmpty()) throw nothing(in, DataFormat.TEXT, firstSkip);
        try (PendingFiles files = new PendingFiles(); PendingFiles.Pending f = files.open(out)) {
            for (int i = 0; i < docs.size(); i++) {
                if (i % Inputs.EVERY == 0) {
                    Inputs.checkCancelled(p);
                    p.progress(i, docs.size(), "writing");
                }
                if (separated && i > 0) f.out.write(("\n" + TextReader.END_OF_TEXT + "\n").getBytes(StandardCharsets.UTF_8));
                f.out.write(docs.get(i).getBytes(StandardCharsets.UTF_8));
                if (!separated) f.out.write('\n');
            }
            if (separated) f.out.write('\n');
            f.close();
            files.commit(List.of(out));
        }
        p.progress(docs.size(), docs.size(), "writing");
        return new PrepResult(read, docs.size(), skipped, firstSkip, List.of(new PrepResult.Output(out, docs.size(), 0)), notes);
    }

    private static DataFormatException nothing(Path in, DataFormat to, String firstSkip) {
        return new DataFormatException(in, "no record can be written as " + to.cliName() + " (" + firstSkip + "); nothing was written");
    }
}

package dev.llamascope.engine.data;

import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one entry point that turns a data file into a {@link TrainingSet}: token files as they are; plain text and
 * stories (BOS before each document, as llama2.c's pretokenizer) into one token stream; instruction/chat datasets
 * into loss-masked examples through a {@link PromptTemplate}. {@link DataFormat#AUTO} decides by name and content.
 */
public final class Datasets {
    private Datasets() {}

    /**
     * @param tokenizer needed for every format but {@link DataFormat#TOKENS} (null otherwise)
     * @param vocabSize the model's vocabulary: token ids must be below it
     */
    public static TrainingSet load(Path file, DataFormat format, Tokenizer tokenizer, int vocabSize, PromptTemplate template)
            throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no such data file");
        if (Files.isDirectory(file)) throw new DataFormatException(file, "is a folder, not a data file");
        List<JsonRecords.Record> records = null;
        if (format == DataFormat.AUTO) {
            format = sniff(file);
            if (format == DataFormat.AUTO) { // JSON: decided by the first record
                records = JsonRecords.read(file);
                format = detectJson(file, records);
            }
        }
        if (format == DataFormat.TOKENS) {
            int[] t = TokenFileReader.read(file, vocabSize);
            return new TokenStream(t, file.getFileName() + " (" + t.length + " tokens)");
        }
        if (tokenizer == null)
            throw new IllegalArgumentException(file + ": data in " + format.cliName() + " format needs a tokenizer (pass -z TOKENIZER)");
        if (format == DataFormat.TEXT || format == DataFormat.JSONL) {
            List<String> docs = format == DataFormat.TEXT ? TextReader.documents(file)
                    : StoriesJsonReader.documents(file, records != null ? records : JsonRecords.read(file));
            int[] t = tokenize(docs, tokenizer);
            return new TokenStream(t, file.getFileName() + " (" + docs.size() + " documents, " + t.length + " tokens)");
        }
        ConversationReader reader = ConversationReader.of(format);
        if (records == null) records = JsonRecords.read(file);
        List<Example> examples = new ArrayList<>(records.size());
        for (JsonRecords.Record r : records) examples.add(template.encode(reader.convert(file, r), tokenizer));
        ExampleSet set = new ExampleSet(examples, tokenizer.eos(), file.getFileName() + " (" + examples.size() + " "
                + format.cliName() + " conversations, template " + template.name() + ")");
        return set;
    }

    /** The format of a file: by extension and content, reading JSON files' first record when needed. */
    public static DataFormat detect(Path file) throws IOException {
        DataFormat f = sniff(file);
        return f != DataFormat.AUTO ? f : detectJson(file, JsonRecords.read(file));
    }

    /** BOS + the encoded text of each document, concatenated. */
    public static int[] tokenize(List<String> docs, Tokenizer tok) {
        int[] out = new int[1024];
        int n = 0;
        for (String d : docs) {
            int[] t = tok.encode(d, true, false);
            if (n + t.length > out.length) out = java.util.Arrays.copyOf(out, Math.max(n + t.length, out.length * 2));
            System.arraycopy(t, 0, out, n, t.length);
            n += t.length;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** TOKENS, TEXT, or AUTO for "JSON, look at the records". */
    private static DataFormat sniff(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".u16") || name.endsWith(".bin") || name.endsWith(".tok")) return DataFormat.TOKENS;
        if (name.endsWith(".txt") || name.endsWith(".md")) return DataFormat.TEXT;
        if (name.endsWith(".json") || name.endsWith(".jsonl")) return DataFormat.AUTO;
        byte[] head = new byte[4096];
        int len;
        try (InputStream in = Files.newInputStream(file)) {
            len = in.readNBytes(head, 0, head.length);
        }
        if (len == 0) throw new DataFormatException(file, "the file is empty");
        for (int i = 0; i < len; i++) if (head[i] == 0) return DataFormat.TOKENS; // text has no NUL bytes; small token ids do
        for (int i = 0; i < len; i++) {
            byte b = head[i];
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == (byte) 0xEF || b == (byte) 0xBB || b == (byte) 0xBF) continue;
            return b == '[' || b == '{' ? DataFormat.AUTO : DataFormat.TEXT;
        }
        return DataFormat.TEXT;
    }

    private static DataFormat detectJson(Path file, List<JsonRecords.Record> records) throws DataFormatException {
        var first = records.getFirst().fields();
        for (ConversationReader r : ConversationReader.all()) if (r.recognizes(first)) return r.format();
        if (StoriesJsonReader.recognizes(first)) return DataFormat.JSONL;
        throw new DataFormatException(file, "cannot tell the data format from the first record's fields " + first.keySet()
                + " (pass --format alpaca|belle|sharegpt|moss|dolly|jsonl)");
    }
}

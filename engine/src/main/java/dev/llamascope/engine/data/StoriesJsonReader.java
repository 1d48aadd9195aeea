package dev.llamascope.engine.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TinyStories-style JSON or JSONL: one document per record, the text in "story" (TinyStories' data*.json), "text"
 * or "content"; stripped, as llama2.c's pretokenizer does.
 */
public final class StoriesJsonReader {
    static final List<String> KEYS = List.of("story", "text", "content");

    private StoriesJsonReader() {}

    /** Whether a record has a text field this reader uses. */
    public static boolean recognizes(Map<String, Object> fields) {
        for (String k : KEYS) if (fields.get(k) instanceof String) return true;
        return false;
    }

    public static List<String> documents(Path file) throws IOException {
        return documents(file, JsonRecords.read(file));
    }

    static List<String> documents(Path file, List<JsonRecords.Record> records) throws DataFormatException {
        List<String> docs = new ArrayList<>();
        for (JsonRecords.Record r : records) {
            String text = null;
            for (String k : KEYS) {
                text = JsonRecords.string(file, r, k);
                if (text != null) break;
            }
            if (text == null) throw new DataFormatException(file, r.where() + ": no 'story', 'text' or 'content' field (fields: " + r.fields().keySet() + ")");
            String s = text.strip();
            if (!s.isEmpty()) docs.add(s);
        }
        if (docs.isEmpty()) throw new DataFormatException(file, "has no text in its records");
        return docs;
    }
}

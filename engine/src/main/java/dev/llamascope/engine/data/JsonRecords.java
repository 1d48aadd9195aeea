package dev.llamascope.engine.data;

import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The records of a JSON dataset file, whichever of the two usual layouts it has: one JSON array of objects
 * (Alpaca, ShareGPT, TinyStories' data*.json) or JSON Lines, one object per line (BELLE, Dolly, MOSS). Errors name the
 * file and the line or record.
 */
public final class JsonRecords {
    private JsonRecords() {}

    /** A record with the place it came from, for messages. */
    public record Record(Map<String, Object> fields, String where) {}

    public static List<Record> read(Path file) throws IOException {
        String text = readText(file);
        String t = text.strip();
        if (t.isEmpty()) throw new DataFormatException(file, "the file is empty");
        List<Record> out = new ArrayList<>();
        if (t.charAt(0) == '[') {
            Object v;
            try {
                v = Json.parse(t);
            } catch (Json.JsonException e) {
                int lead = text.length() - text.stripLeading().length();
                throw new DataFormatException(file, (e.offset() >= 0 ? "line " + lineOf(text, lead + e.offset()) + ": " : "") + e.getMessage());
            }
            if (!(v instanceof List<?>)) throw new DataFormatException(file, "is not a JSON array of records");
            List<?> list = (List<?>) v;
            for (int i = 0; i < list.size(); i++) out.add(new Record(object(file, list.get(i), "record " + (i + 1)), "record " + (i + 1)));
        } else if (t.charAt(0) == '{') {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty()) continue;
                Object v;
                try {
                    v = Json.parse(line);
                } catch (Json.JsonException e) {
                    if (i == 0 || out.isEmpty()) return single(file, t, e);
                    throw new DataFormatException(file, "line " + (i + 1) + ": " + e.getMessage());
                }
                out.add(new Record(object(file, v, "line " + (i + 1)), "line " + (i + 1)));
            }
        } else {
            throw new DataFormatException(file, "is not JSON: it starts with '" + t.charAt(0) + "', not '[' or '{'");
        }
        if (out.isEmpty()) throw new DataFormatException(file, "has no records");
        return out;
    }

    /** The 1-based line of a character offset. */
    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** A file holding one (pretty-printed) object: one record. */
    private static List<Record> single(Path file, String t, Json.JsonException lineError) throws DataFormatException {
        try {
            Object v = Json.parse(t);
            return List.of(new Record(object(file, v, "record 1"), "record 1"));
        } catch (Json.JsonException e) {
            throw new DataFormatException(file, "line 1: " + lineError.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Path file, Object v, String where) throws DataFormatException {
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new DataFormatException(file, where + " is not a JSON object");
    }

    /** The file as UTF-8 (a BOM is dropped); a clear error for bytes that are not UTF-8. */
    public static String readText(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new DataFormatException(file, "is a folder, not a data file");
        byte[] b = Files.readAllBytes(file);
        try {
            String s = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            throw new DataFormatException(file, "is not UTF-8 text (a binary file? use --format tokens for .u16 token files)");
        }
    }

    /** A string field, or null when absent; an error when present with another type. */
    static String string(Path file, Record r, String key) throws DataFormatException {
        Object v = r.fields().get(key);
        if (v == null) return null;
        if (v instanceof String s) return s;
        if (v instanceof Number || v instanceof Boolean) return String.valueOf(v);
        throw new DataFormatException(file, r.where() + ": field '" + key + "' is not a string");
    }

    /** A string field that must be there. */
    static String required(Path file, Record r, String key) throws DataFormatException {
        String s = string(file, r, key);
        if (s == null) throw new DataFormatException(file, r.where() + ": no '" + key + "' field (fields: " + r.fields().keySet() + ")");
        return s;
    }
}

package dev.llamascope.engine.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one instruction/chat dataset format into {@link Conversation}s. Files may be a JSON array or JSON Lines
 * ({@link JsonRecords}); a reader only knows its record's fields. Auto-detection asks each reader, in
 * {@link #all()} order, whether it recognizes the first record.
 */
public interface ConversationReader {
    DataFormat format();

    /** Whether a record has this format's fields. */
    boolean recognizes(Map<String, Object> fields);

    /** One record as a conversation; a missing or mistyped field is an error naming the record. */
    Conversation convert(Path file, JsonRecords.Record record) throws DataFormatException;

    /** Every record of a file. */
    default List<Conversation> read(Path file) throws IOException {
        List<Conversation> out = new ArrayList<>();
        for (JsonRecords.Record r : JsonRecords.read(file)) out.add(convert(file, r));
        return out;
    }

    /** The readers, most specific first (BELLE records with an instruction read the same as Alpaca's). */
    static List<ConversationReader> all() {
        return List.of(new ShareGptReader(), new MossReader(), new DollyReader(), new AlpacaReader(), new BelleReader());
    }

    static ConversationReader of(DataFormat f) {
        for (ConversationReader r : all()) if (r.format() == f) return r;
        throw new IllegalArgumentException(f.cliName() + " is not a conversation format");
    }
}

package dev.llamascope.engine.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * BELLE: {"input", "output"} (the early releases say "target" for the answer); later releases add an "instruction",
 * in which case the input is its context, as in Alpaca.
 */
public final class BelleReader implements ConversationReader {
    @Override
    public DataFormat format() {
        return DataFormat.BELLE;
    }

    @Override
    public boolean recognizes(Map<String, Object> f) {
        return f.containsKey("input") && (f.containsKey("output") || f.containsKey("target"));
    }

    @Override
    public Conversation convert(Path file, JsonRecords.Record r) throws DataFormatException {
        String instruction = JsonRecords.string(file, r, "instruction");
        String input = JsonRecords.required(file, r, "input");
        String answer = JsonRecords.string(file, r, "output");
        if (answer == null) answer = JsonRecords.string(file, r, "target");
        if (answer == null) throw new DataFormatException(file, r.where() + ": no 'output' (or 'target') field (fields: " + r.fields().keySet() + ")");
        if (instruction != null && !instruction.isBlank()) return Conversation.single(instruction, input, answer);
        return Conversation.single(input, "", answer);
    }
}

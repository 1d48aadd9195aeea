package dev.llamascope.engine.data;

import java.nio.file.Path;
import java.util.Map;

/** Databricks Dolly 15k: {"instruction", "context" (may be empty), "response", "category"}. */
public final class DollyReader implements ConversationReader {
    @Override
    public DataFormat format() {
        return DataFormat.DOLLY;
    }

    @Override
    public boolean recognizes(Map<String, Object> f) {
        return f.containsKey("instruction") && f.containsKey("response");
    }

    @Override
    public Conversation convert(Path file, JsonRecords.Record r) throws DataFormatException {
        return Conversation.single(JsonRecords.required(file, r, "instruction"), JsonRecords.string(file, r, "context"),
                JsonRecords.required(file, r, "response"));
    }
}

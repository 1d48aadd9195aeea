package dev.llamascope.engine.data;

import java.nio.file.Path;
import java.util.Map;

/** Stanford Alpaca: {"instruction", "input" (may be empty), "output"}. */
public final class AlpacaReader implements ConversationReader {
    @Override
    public DataFormat format() {
        return DataFormat.ALPACA;
    }

    @Override
    public boolean recognizes(Map<String, Object> f) {
        return f.containsKey("instruction") && f.containsKey("output");
    }

    @Override
    public Conversation convert(Path file, JsonRecords.Record r) throws DataFormatException {
        String input = JsonRecords.string(file, r, "input");
        return Conversation.single(JsonRecords.required(file, r, "instruction"), input, JsonRecords.required(file, r, "output"));
    }
}

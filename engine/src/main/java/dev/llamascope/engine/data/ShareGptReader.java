package dev.llamascope.engine.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Vicuna/ShareGPT: {"conversations": [{"from": "human" | "gpt" | "system", "value": ...}, ...]} with an optional
 * top-level "system". OpenAI-style {"messages": [{"role": "user" | "assistant" | "system", "content"}]} reads the same.
 */
public final class ShareGptReader implements ConversationReader {
    @Override
    public DataFormat format() {
        return DataFormat.SHAREGPT;
    }

    @Override
    public boolean recognizes(Map<String, Object> f) {
        return f.get("conversations") instanceof List || f.get("messages") instanceof List;
    }

    @Override
    public Conversation convert(Path file, JsonRecords.Record r) throws DataFormatException {
        Object list = r.fields().containsKey("conversations") ? r.fields().get("conversations") : r.fields().get("messages");
        if (!(list instanceof List<?> turns))
            throw new DataFormatException(file, r.where() + ": no 'conversations' list (fields: " + r.fields().keySet() + ")");
        String system = JsonRecords.string(file, r, "system");
        StringBuilder sys = new StringBuilder(system == null ? "" : system);
        List<Conversation.Message> messages = new ArrayList<>();
        int i = 0;
        for (Object o : turns) {
            i++;
            if (!(o instanceof Map<?, ?> m)) throw new DataFormatException(file, r.where() + ": turn " + i + " is not an object");
            Object who = m.containsKey("from") ? m.get("from") : m.get("role");
            Object text = m.containsKey("value") ? m.get("value") : m.get("content");
            if (!(who instanceof String role)) throw new DataFormatException(file, r.where() + ": turn " + i + " has no 'from'");
            if (!(text instanceof String value)) throw new DataFormatException(file, r.where() + ": turn " + i + " has no 'value' text");
            switch (role.toLowerCase(Locale.ROOT)) {
                case "human", "user" -> messages.add(Conversation.Message.user(value));
                case "gpt", "assistant", "chatgpt", "bard", "bing", "model" -> messages.add(Conversation.Message.assistant(value));
                case "system" -> sys.append(sys.isEmpty() ? "" : "\n").append(value);
                default -> throw new DataFormatException(file, r.where() + ": turn " + i + " is from '" + role + "' (expected human, gpt or system)");
            }
        }
        if (messages.isEmpty()) throw new DataFormatException(file, r.where() + ": the conversation has no messages");
        return new Conversation(sys.toString(), messages);
    }
}

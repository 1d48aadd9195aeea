package dev.llamascope.engine.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stanford Alpaca: {"instruction", "input" (may be empty), "output"}, with LLaMA-Factory's optional extensions:
 * "system" (a system text) and "history" (the earlier turns, a list of [instruction, response] pairs), so that a
 * multi-turn conversation fits one Alpaca record.
 */
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
        String instruction = JsonRecords.required(file, r, "instruction"), output = JsonRecords.required(file, r, "output");
        String system = JsonRecords.string(file, r, "system");
        Object history = r.fields().get("history");
        if ((system == null || system.isEmpty()) && (history == null || history instanceof List<?> l && l.isEmpty()))
            return Conversation.single(instruction, input, output);
        List<Conversation.Message> messages = new ArrayList<>();
        if (history != null) {
            if (!(history instanceof List<?> pairs))
                throw new DataFormatException(file, r.where() + ": 'history' is not a list of [instruction, response] pairs");
            int i = 0;
            for (Object p : pairs) {
                i++;
                if (!(p instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof String q) || !(pair.get(1) instanceof String a))
                    throw new DataFormatException(file, r.where() + ": history entry " + i + " is not an [instruction, response] pair of texts");
                messages.add(Conversation.Message.user(q));
                messages.add(Conversation.Message.assistant(a));
            }
        }
        messages.add(new Conversation.Message(Conversation.Role.USER, instruction, input));
        messages.add(Conversation.Message.assistant(output));
        return new Conversation(system, messages);
    }
}

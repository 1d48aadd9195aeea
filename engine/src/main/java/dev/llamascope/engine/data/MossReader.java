package dev.llamascope.engine.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MOSS multi-turn chat, in its two common layouts: moss-003-sft-data's
 * {"meta_instruction", "chat": {"turn_1": {"Human": "&lt;|Human|&gt;: …&lt;eoh&gt;\n", "MOSS": "&lt;|MOSS|&gt;: …&lt;eom&gt;\n"}, …}}
 * (the role tags and end markers are stripped: the prompt template supplies its own), and the flattened
 * {"conversation": [{"human", "assistant"}, …]} many fine-tuning projects convert it to.
 */
public final class MossReader implements ConversationReader {
    @Override
    public DataFormat format() {
        return DataFormat.MOSS;
    }

    @Override
    public boolean recognizes(Map<String, Object> f) {
        return f.get("chat") instanceof Map || f.get("conversation") instanceof List;
    }

    @Override
    public Conversation convert(Path file, JsonRecords.Record r) throws DataFormatException {
        List<Conversation.Message> messages = new ArrayList<>();
        String system = JsonRecords.string(file, r, "meta_instruction");
        if (system == null) system = JsonRecords.string(file, r, "system");
        if (r.fields().get("chat") instanceof Map<?, ?> chat) {
            TreeMap<Integer, Map<?, ?>> turns = new TreeMap<>();
            for (Map.Entry<?, ?> e : chat.entrySet()) {
                String k = String.valueOf(e.getKey());
                int n;
                try {
                    n = Integer.parseInt(k.startsWith("turn_") ? k.substring(5) : "x");
                } catch (NumberFormatException ex) {
                    throw new DataFormatException(file, r.where() + ": chat key '" + k + "' is not turn_N");
                }
                if (!(e.getValue() instanceof Map<?, ?> t)) throw new DataFormatException(file, r.where() + ": " + k + " is not an object");
                turns.put(n, t);
            }
            for (Map.Entry<Integer, Map<?, ?>> e : turns.entrySet()) {
                Object human = e.getValue().get("Human"), moss = e.getValue().get("MOSS");
                if (!(human instanceof String hs) || !(moss instanceof String ms))
                    throw new DataFormatException(file, r.where() + ": turn_" + e.getKey() + " needs 'Human' and 'MOSS' texts");
                messages.add(Conversation.Message.user(strip(hs, "<|Human|>:", "<eoh>")));
                messages.add(Conversation.Message.assistant(strip(ms, "<|MOSS|>:", "<eom>")));
            }
        } else if (r.fields().get("conversation") instanceof List<?> list) {
            int i = 0;
            for (Object o : list) {
                i++;
                if (!(o instanceof Map<?, ?> m) || !(m.get("human") instanceof String hs) || !(m.get("assistant") instanceof String as))
                    throw new DataFormatException(file, r.where() + ": conversation turn " + i + " needs 'human' and 'assistant' texts");
                messages.add(Conversation.Message.user(hs));
                messages.add(Conversation.Message.assistant(as));
            }
        } else {
            throw new DataFormatException(file, r.where() + ": no 'chat' object or 'conversation' list (fields: " + r.fields().keySet() + ")");
        }
        if (messages.isEmpty()) throw new DataFormatException(file, r.where() + ": the conversation has no turns");
        return new Conversation(system, messages);
    }

    /** "&lt;|Human|&gt;: hello&lt;eoh&gt;\n" → "hello". */
    static String strip(String s, String prefix, String end) {
        String t = s.strip();
        if (t.startsWith(prefix)) t = t.substring(prefix.length());
        int e = t.lastIndexOf(end);
        if (e >= 0) t = t.substring(0, e);
        return t.strip();
    }
}

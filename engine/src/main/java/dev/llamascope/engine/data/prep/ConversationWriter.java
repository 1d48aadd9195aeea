package dev.llamascope.engine.data.prep;

import dev.llamascope.engine.data.Conversation;
import dev.llamascope.engine.data.Conversation.Message;
import dev.llamascope.engine.data.Conversation.Role;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Conversation} as one record of an instruction/chat format, laid out as that format's reader
 * ({@code dev.llamascope.engine.data}) reads it back, or the reason the format cannot hold it. The mapping:
 * <ul>
 *   <li>Alpaca: {"instruction", "input", "output"}, plus LLaMA-Factory's "system" and "history" (earlier turns as
 *       [instruction, response] pairs) when the conversation has them;</li>
 *   <li>BELLE {"instruction", "input", "output"} and Dolly {"instruction", "context", "response"}: one instruction
 *       and one answer, no system text — anything more is skipped, never cut;</li>
 *   <li>ShareGPT: {"conversations": [{"from": "human" | "gpt", "value"}], "system"} — any sequence of turns;</li>
 *   <li>MOSS, as Firefly's flattened layout: {"conversation_id", "system", "conversation": [{"human", "assistant"}]}.</li>
 * </ul>
 * Chat formats have no place for an instruction's extra input (Alpaca's "input", Dolly's "context"), nor has an
 * Alpaca history pair: there it is appended to the user's text after a blank line, the usual way instruction data
 * becomes chat data, and counted so that the user is told.
 */
final class ConversationWriter {
    private ConversationWriter() {}

    /** One converted record: its JSON, or why it was skipped; and whether an input was merged into a message. */
    record Converted(String json, String skipReason, boolean contextMerged) {
        static Converted skip(String reason) {
            return new Converted(null, reason, false);
        }
    }

    static Converted convert(Conversation c, DataFormat to, long index) {
        return switch (to) {
            case ALPACA -> alpaca(c);
            case BELLE, DOLLY -> singleTurn(c, to);
            case SHAREGPT -> sharegpt(c);
            case MOSS -> moss(c, index);
            default -> throw new IllegalArgumentException(to.cliName() + " is not a conversation format");
        };
    }

    private static Converted alpaca(Conversation c) {
        if (!alternates(c)) return Converted.skip(notPairs(c, "alpaca"));
        List<Message> m = c.messages();
        boolean merged = false;
        List<Object> history = new ArrayList<>();
        for (int i = 0; i + 2 < m.size(); i += 2) {
            merged |= !m.get(i).context().isBlank();
            history.add(List.of(withContext(m.get(i)), m.get(i + 1).text()));
        }
        Message q = m.get(m.size() - 2), a = m.getLast();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("instruction", q.text());
        r.put("input", q.context());
        r.put("output", a.text());
        if (!c.system().isEmpty()) r.put("system", c.system());
        if (!history.isEmpty()) r.put("history", history);
        return new Converted(Json.write(r), null, merged);
    }

    private static Converted singleTurn(Conversation c, DataFormat to) {
        String name = to.cliName();
        if (!alternates(c)) return Converted.skip(notPairs(c, name));
        if (c.messages().size() > 2)
            return Converted.skip("a conversation of " + c.messages().size() / 2 + " exchanges: " + name
                    + " holds one instruction and one answer (convert to alpaca, sharegpt or moss to keep it)");
        if (!c.system().isEmpty())
            return Converted.skip("a conversation with a system text: " + name + " has no field for it (convert to alpaca, sharegpt or moss to keep it)");
        Message q = c.messages().getFirst(), a = c.messages().getLast();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("instruction", q.text());
        r.put(to == DataFormat.DOLLY ? "context" : "input", q.context());
        r.put(to == DataFormat.DOLLY ? "response" : "output", a.text());
        return new Converted(Json.write(r), null, false);
    }

    private static Converted sharegpt(Conversation c) {
        boolean merged = false;
        List<Object> turns = new ArrayList<>();
        for (Message m : c.messages()) {
            merged |= !m.context().isBlank();
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("from", m.role() == Role.USER ? "human" : "gpt");
            t.put("value", withContext(m));
            turns.add(t);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("conversations", turns);
        if (!c.system().isEmpty()) r.put("system", c.system());
        return new Converted(Json.write(r), null, merged);
    }

    private static Converted moss(Conversation c, long index) {
        if (!alternates(c)) return Converted.skip(notPairs(c, "moss"));
        boolean merged = false;
        List<Object> turns = new ArrayList<>();
        List<Message> m = c.messages();
        for (int i = 0; i < m.size(); i += 2) {
            merged |= !m.get(i).context().isBlank();
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("human", withContext(m.get(i)));
            t.put("assistant", m.get(i + 1).text());
            turns.add(t);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("conversation_id", index + 1);
        if (!c.system().isEmpty()) r.put("system", c.system());
        r.put("conversation", turns);
        return new Converted(Json.write(r), null, merged);
    }

    /** user, assistant, user, assistant, ... ending with an answer. */
    static boolean alternates(Conversation c) {
        List<Message> m = c.messages();
        if (m.isEmpty() || m.size() % 2 != 0) return false;
        for (int i = 0; i < m.size(); i++) if (m.get(i).role() != (i % 2 == 0 ? Role.USER : Role.ASSISTANT)) return false;
        return true;
    }

    private static String notPairs(Conversation c, String format) {
        StringBuilder roles = new StringBuilder();
        for (Message m : c.messages()) roles.append(roles.isEmpty() ? "" : ", ").append(m.role() == Role.USER ? "user" : "assistant");
        return "turns " + roles + " do not alternate user, assistant: " + format + " holds instruction/answer pairs";
    }

    /** The user's text with its extra input after a blank line (the text alone when there is none). */
    static String withContext(Message m) {
        if (m.context().isBlank()) return m.text();
        return m.text().isEmpty() ? m.context() : m.text() + "\n\n" + m.context();
    }
}

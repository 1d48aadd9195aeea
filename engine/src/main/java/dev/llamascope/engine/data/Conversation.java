package dev.llamascope.engine.data;

import java.util.List;
import java.util.Objects;

/**
 * One record of an instruction or chat dataset, independent of its file format: an optional system text and the
 * messages in order. Readers produce these; a {@link PromptTemplate} turns them into token sequences.
 *
 * @param system text that frames the whole conversation ("" when none)
 */
public record Conversation(String system, List<Message> messages) {
    public enum Role { USER, ASSISTANT }

    /**
     * @param context extra input that goes with a user message (Alpaca's "input", Dolly's "context"), "" when none
     */
    public record Message(Role role, String text, String context) {
        public Message {
            Objects.requireNonNull(role);
            text = text == null ? "" : text;
            context = context == null ? "" : context;
        }

        public static Message user(String text) {
            return new Message(Role.USER, text, "");
        }

        public static Message assistant(String text) {
            return new Message(Role.ASSISTANT, text, "");
        }
    }

    public Conversation {
        system = system == null ? "" : system;
        messages = List.copyOf(messages);
    }

    /** A single instruction and its answer. */
    public static Conversation single(String instruction, String context, String answer) {
        return new Conversation("", List.of(new Message(Role.USER, instruction, context), Message.assistant(answer)));
    }
}

package dev.llamascope.engine.data;

import dev.llamascope.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a {@link Conversation} becomes text a model is trained on. Each user message becomes a prompt segment
 * ({@code system} before the first one when there is a system text, then {@code user}, then {@code context} when the
 * message has one, then {@code response}, the cue the answer follows); each assistant message becomes an answer
 * segment followed by EOS. Placeholders: {system}, {user}, {context}.
 *
 * <p>Tokens: BOS, then each segment encoded on its own (so a prompt encodes the same at training and at inference
 * time), prompt segments masked out of the loss, answer segments and their EOS trained.
 */
public record PromptTemplate(String name, String system, String user, String context, String response) {

    /** Stanford Alpaca's sections. */
    public static final PromptTemplate ALPACA = new PromptTemplate("alpaca", "{system}\n\n",
            "### Instruction:\n{user}\n\n", "### Input:\n{context}\n\n", "### Response:\n");
    /** Vicuna-style turns. */
    public static final PromptTemplate CHAT = new PromptTemplate("chat", "{system}\n\n", "USER: {user}\n", "{context}\n", "ASSISTANT:");

    public static final List<PromptTemplate> BUILT_IN = List.of(ALPACA, CHAT);

    public PromptTemplate {
        if (!user.contains("{user}")) throw new IllegalArgumentException("the user part of a template needs {user}");
    }

    public static PromptTemplate named(String name) {
        for (PromptTemplate t : BUILT_IN) if (t.name.equalsIgnoreCase(name.trim())) return t;
        throw new IllegalArgumentException("unknown prompt template '" + name + "' (known: "
                + String.join(", ", BUILT_IN.stream().map(PromptTemplate::name).toList()) + ")");
    }

    /** A piece of rendered text and whether it is trained (answers) or masked (prompts). */
    public record Segment(String text, boolean trained) {}

    public List<Segment> segments(Conversation c) {
        List<Segment> out = new ArrayList<>();
        boolean first = true;
        for (Conversation.Message m : c.messages()) {
            if (m.role() == Conversation.Role.USER) {
                StringBuilder sb = new StringBuilder();
                if (first && !c.system().isBlank()) sb.append(system.replace("{system}", c.system()));
                sb.append(user.replace("{user}", m.text()));
                if (!m.context().isBlank()) sb.append(context.replace("{context}", m.context()));
                sb.append(response);
                out.add(new Segment(sb.toString(), false));
            } else {
                if (first && !c.system().isBlank()) out.add(new Segment(system.replace("{system}", c.system()), false));
                out.add(new Segment(m.text(), true));
            }
            first = false;
        }
        return out;
    }

    /** The prompt for generation: everything the template puts before an answer to {@code userText}. */
    public String prompt(String userText, String contextText) {
        return segments(new Conversation("", List.of(new Conversation.Message(Conversation.Role.USER, userText, contextText)))).getFirst().text();
    }

    /** The conversation as one text, answers followed by "</s>": what a preview shows. */
    public String render(Conversation c) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments(c)) {
            sb.append(s.text());
            if (s.trained()) sb.append("</s>");
        }
        return sb.toString();
    }

    /** Tokens and loss mask: BOS, then each segment encoded separately; answers end with EOS. */
    public Example encode(Conversation c, Tokenizer tok) {
        int[] ids = new int[16];
        boolean[] trained = new boolean[16];
        int n = 0;
        ids[n++] = tok.bos();
        for (Segment s : segments(c)) {
            int[] t = s.text().isEmpty() ? new int[0] : tok.encode(s.text(), false, false);
            int need = n + t.length + 1;
            if (need > ids.length) {
                int cap = Math.max(need, ids.length * 2);
                ids = Arrays.copyOf(ids, cap);
                trained = Arrays.copyOf(trained, cap);
            }
            for (int id : t) {
                trained[n] = s.trained();
                ids[n++] = id;
            }
            if (s.trained()) {
                trained[n] = true;
                ids[n++] = tok.eos();
            }
        }
        return new Example(Arrays.copyOf(ids, n), Arrays.copyOf(trained, n));
    }

    @Override
    public String toString() {
        return name.toLowerCase(Locale.ROOT);
    }
}

package dev.llamascope.engine.data.synth;

import java.io.IOException;

/**
 * Something that writes a reply to a prompt: our own engine with a loaded model, or an OpenAI-compatible
 * chat-completions endpoint. Implementations may be called from several threads at once.
 */
public interface GenerationBackend extends AutoCloseable {

    /**
     * Generates the reply to one prompt, retrying where that makes sense.
     *
     * @throws GenerationException when it failed for good ({@link GenerationException#fatal()} when no other prompt
     *                             will fare better, e.g. a wrong API key)
     */
    Completion complete(String prompt) throws IOException, InterruptedException;

    /**
     * Generates the reply to a prompt of a prompt set; {@code labels} holds the words it was built from (verb, noun,
     * adjective), for backends that do not send the instruction itself (a small base model is given a story opening
     * made from the words instead). By default the prompt text is all that counts.
     */
    default Completion complete(String prompt, java.util.Map<String, String> labels) throws IOException, InterruptedException {
        return complete(prompt);
    }

    /** The model's name, kept with each record. */
    String model();

    @Override
    default void close() {}
}

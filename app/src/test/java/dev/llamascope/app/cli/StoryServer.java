package dev.llamascope.app.cli;

import dev.llamascope.app.testing.LocalChatServer;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local chat-completions endpoint that answers a TinyStories prompt with a short story built
 * from the prompt's own verb, noun and adjective by a small template grammar: a choice of sentences per slot, picked
 * by a hash of the prompt, so the same prompt always gets the same story and nothing outside the test is needed.
 */
final class StoryServer extends LocalChatServer {
    private static final Pattern WORDS = Pattern.compile("the verb \"([^\"]+)\", the noun \"([^\"]+)\" and the adjective \"([^\"]+)\"");
    private static final String[] NAMES = {"Lily", "Tom", "Ben", "Mia", "Sam", "Anna", "Max", "Sue"};

    StoryServer() throws IOException {
        super(0, StoryServer::story);
    }

    /** The story for a prompt: five sentences, each chosen from three by bits of the prompt's hash. */
    static String story(String prompt) {
        Matcher m = WORDS.matcher(prompt);
        if (!m.find()) throw new IllegalArgumentException("not a story prompt: " + prompt);
        String verb = m.group(1), noun = m.group(2), adj = m.group(3);
        long h = prompt.hashCode() * 0x9E3779B97F4A7C15L;
        String name = NAMES[(int) ((h >>> 8) & 7)];
        boolean girl = "Lily Mia Anna Sue".contains(name);
        String kid = girl ? "girl" : "boy", she = girl ? "She" : "He", her = girl ? "her" : "his";
        String[][] slots = {
                {"Once upon a time, there was a little " + kid + " named " + name + ".",
                        "One day, a little " + kid + " named " + name + " went to the park.",
                        name + " was a happy " + kid + " who lived in a small house."},
                {she + " had a " + adj + " " + noun + ".",
                        name + " found a " + adj + " " + noun + " under a big tree.",
                        "Mom gave " + name + " a " + adj + " " + noun + "."},
                {name + " wanted to " + verb + " with the " + noun + " all day.",
                        "Every day, " + name + " liked to " + verb + " near the " + noun + ".",
                        name + " tried to " + verb + ", but it was hard."},
                {"Then " + name + " saw a friend and said, \"Can you " + verb + " with me?\"",
                        name + " and " + her + " friend played together and had fun.",
                        "The sun was warm and the sky was blue."},
                {"At the end of the day, " + name + " was very happy.",
                        name + " learned that it is good to share.",
                        "They played until it was time for bed."}};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < slots.length; i++) {
            int pick = (int) Long.remainderUnsigned(h >>> (16 + 4 * i), 3);
            sb.append(i == 0 ? "" : " ").append(slots[i][pick]);
        }
        return sb.toString();
    }
}

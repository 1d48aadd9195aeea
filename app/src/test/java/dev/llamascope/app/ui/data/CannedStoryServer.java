package dev.llamascope.app.ui.data;

import dev.llamascope.app.testing.LocalChatServer;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local chat-completions server for tests and for the Data pane's screenshots: it answers each prompt with a short
 * canned story that uses the prompt's three words (so the diversity report finds them); English and Chinese prompts,
 * and the plan step of hierarchical ones.
 *
 * <p>{@code java -cp app/target/test-classes:engine/target/classes dev.llamascope.app.ui.data.CannedStoryServer PORT [DELAY_MS]}
 * serves until killed.
 */
public final class CannedStoryServer extends LocalChatServer {
    private static final Pattern EN_WORDS = Pattern.compile("the verb \"([^\"]+)\", the noun \"([^\"]+)\" and the adjective \"([^\"]+)\"");
    private static final Pattern ZH_WORDS = Pattern.compile("动词“([^”]+)”、名词“([^”]+)”和形容词“([^”]+)”");
    private static final String[] NAMES = {"Lily", "Tom", "Mia", "Ben", "Sue", "Max", "Anna", "Sam"};
    private static final String[] PLACES = {"the park", "the garden", "a small house", "the forest", "the beach", "the big hill"};

    public CannedStoryServer(int port) throws IOException {
        super(port, CannedStoryServer::story);
    }

    /** A story built from the prompt's words; the same prompt always gets the same story. */
    static String story(String prompt) {
        Matcher en = EN_WORDS.matcher(prompt), zh = ZH_WORDS.matcher(prompt);
        int h = Math.abs(prompt.hashCode());
        if (prompt.contains("starts with \"Summary:\"")) // the first step of a hierarchical prompt: the plan
            return en.find() ? "Summary: A child finds a " + en.group(3) + " " + en.group(2) + ".\nSentence: \"I like to " + en.group(1) + "!\""
                    : "Summary: A child plays.\nSentence: \"I am happy.\"";
        if (prompt.contains("第一行以“概要：”开头"))
            return zh.find() ? "概要：小明找到了一个" + zh.group(3) + "的" + zh.group(2) + "。\n句子：“我想" + zh.group(1) + "！”" : "概要：小明在玩。\n句子：“我很开心。”";
        if (zh.find()) {
            return "从前，有一个" + zh.group(3) + "的" + zh.group(2) + "。有一天，小明想" + zh.group(1) + "。他和妈妈一起去公园，"
                    + "看到了很多花。最后，大家都很开心。";
        }
        String verb = "play", noun = "ball", adjective = "happy";
        if (en.find()) {
            verb = en.group(1);
            noun = en.group(2);
            adjective = en.group(3);
        }
        String name = NAMES[h % NAMES.length], place = PLACES[(h / 7) % PLACES.length];
        String article = "aeiou".indexOf(adjective.charAt(0)) >= 0 ? "an" : "a";
        return "Once upon a time, " + name + " found " + article + " " + adjective + " " + noun + " in " + place + ". "
                + name + " wanted to " + verb + " with it all day. "
                + (prompt.contains("dialogue") ? "\"Look at this!\" " + name + " said to Mom. \"It is so " + adjective + "!\" " : "")
                + "The sun was warm and the birds sang. "
                + (prompt.contains("bad ending") ? "But then the " + noun + " broke, and " + name + " was sad." : name + " smiled and went home happy.")
                + (prompt.contains("moral") ? " " + name + " learned that sharing makes everyone glad." : "");
    }

    public static void main(String[] args) throws Exception {
        CannedStoryServer s = new CannedStoryServer(args.length > 0 ? Integer.parseInt(args[0]) : 18080);
        if (args.length > 1) s.delay(Integer.parseInt(args[1]));
        System.err.println("canned stories at " + s.baseUrl());
        Thread.currentThread().join();
    }
}

package dev.llamascope.engine.data.synth;

import dev.llamascope.engine.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One prompt of a synthetic data set with what it was built from, so the words and features can serve as labels.
 *
 * @param id       stable across runs of the same seed ("en-42-000017"); resumable generation keys on it
 * @param prompt   what is sent first: the story prompt, or in the hierarchical variant the plan prompt
 * @param followUp for the hierarchical variant, how to ask for the story once the plan is back; else null
 */
public record StoryPrompt(String id, String language, String verb, String noun, String adjective, List<String> features,
                          String prompt, FollowUp followUp) {

    public StoryPrompt {
        features = List.copyOf(features);
        if (id == null || id.isBlank()) throw new IllegalArgumentException("a prompt needs an id");
        if (prompt == null || prompt.isBlank()) throw new IllegalArgumentException("prompt " + id + " has no text");
    }

    public boolean hierarchical() {
        return followUp != null;
    }

    /**
     * The second step of a hierarchical prompt.
     *
     * @param template the story-from-plan prompt with everything but {summary} and {sentence} filled in
     */
    public record FollowUp(String template, String summaryLabel, String sentenceLabel) {

        /** The story prompt for a plan. */
        public String storyPrompt(Plan plan) {
            return Template.fill(template, Map.of("summary", plan.summary(), "sentence", plan.sentence()));
        }

        /**
         * Reads the plan from a reply: the text after the summary label (up to the sentence label or the end of its
         * paragraph) and the sentence after the sentence label. Models decorate (bold, quotes), which is removed.
         */
        public Plan parse(String reply) {
            String text = reply.replace("**", "").replace("\r", "");
            int s = indexOfLabel(text, summaryLabel), t = indexOfLabel(text, sentenceLabel);
            if (s < 0 || t < 0)
                throw new IllegalArgumentException("the plan lacks a '" + (s < 0 ? summaryLabel : sentenceLabel) + "' line");
            String summary = t > s ? text.substring(s + summaryLabel.length(), t) : untilBlankLine(text, s + summaryLabel.length());
            String sentence = untilBlankLine(text, t + sentenceLabel.length());
            summary = clean(summary);
            sentence = stripQuotes(clean(sentence));
            if (summary.isEmpty() || sentence.isEmpty()) throw new IllegalArgumentException("the plan's summary or sentence is empty");
            return new Plan(summary, sentence);
        }

        private static int indexOfLabel(String text, String label) {
            int i = text.indexOf(label);
            if (i >= 0) return i;
            // Tolerate a different case or an ASCII colon where a full-width one was asked for, and the reverse.
            String alt = label.replace('：', ':');
            if (alt.equals(label)) alt = label.replace(':', '：');
            i = text.indexOf(alt);
            return i >= 0 ? i : text.toLowerCase(java.util.Locale.ROOT).indexOf(label.toLowerCase(java.util.Locale.ROOT));
        }

        private static String untilBlankLine(String text, int from) {
            int e = text.indexOf("\n\n", from);
            return text.substring(from, e < 0 ? text.length() : e);
        }

        private static String clean(String s) {
            return s.replace('\n', ' ').strip();
        }

        private static String stripQuotes(String s) {
            if (s.length() >= 2) {
                char a = s.charAt(0), b = s.charAt(s.length() - 1);
                if ((a == '"' && b == '"') || (a == '“' && b == '”') || (a == '「' && b == '」')) return s.substring(1, s.length() - 1).strip();
            }
            return s;
        }
    }

    /** What the first step of a hierarchical prompt returns. */
    public record Plan(String summary, String sentence) {}

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("language", language);
        Map<String, Object> words = new LinkedHashMap<>();
        words.put("verb", verb);
        words.put("noun", noun);
        words.put("adjective", adjective);
        m.put("words", words);
        m.put("features", features);
        m.put("prompt", prompt);
        if (followUp != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("template", followUp.template());
            f.put("summary_label", followUp.summaryLabel());
            f.put("sentence_label", followUp.sentenceLabel());
            m.put("follow_up", f);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    public static StoryPrompt fromJson(Map<String, Object> m) {
        Object w = m.get("words");
        if (!(w instanceof Map<?, ?>)) throw new IllegalArgumentException("'words' should be an object with verb, noun and adjective");
        Map<String, Object> words = (Map<String, Object>) w;
        List<String> features = new ArrayList<>();
        if (m.get("features") instanceof List<?> l) for (Object f : l) features.add(String.valueOf(f));
        FollowUp follow = null;
        if (m.get("follow_up") instanceof Map<?, ?> f) {
            Map<String, Object> fm = (Map<String, Object>) f;
            follow = new FollowUp(Json.string(fm, "template", ""), Json.string(fm, "summary_label", "Summary:"),
                    Json.string(fm, "sentence_label", "Sentence:"));
            if (!follow.template().contains("{summary}") || !follow.template().contains("{sentence}"))
                throw new IllegalArgumentException("the follow-up template needs {summary} and {sentence}");
        }
        return new StoryPrompt(Json.string(m, "id", null), Json.string(m, "language", ""), Json.string(words, "verb", ""),
                Json.string(words, "noun", ""), Json.string(words, "adjective", ""), features, Json.string(m, "prompt", null), follow);
    }
}

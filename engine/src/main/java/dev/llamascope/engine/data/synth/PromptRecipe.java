package dev.llamascope.engine.data.synth;

import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How prompts of one language are worded: the story template, the two-step ("hierarchical") templates that first
 * ask for a plan (a summary and a sentence the story must contain) and then for the story from it, and the list of
 * story features. Read from {@code prompts/tinystories.LANG.json}.
 *
 * @param story            the one-step prompt: {verb} {noun} {adjective} {features}
 * @param featuresSentence what {features} becomes when there are features: {list}; empty when there are none
 * @param plan             step one of the hierarchical variant: asks for the summary and the sentence
 * @param storyFromPlan    step two: {summary} {sentence} besides the word placeholders
 * @param summaryLabel     the line prefix the plan's summary comes after ("Summary:")
 * @param sentenceLabel    the line prefix of the required sentence ("Sentence:")
 */
public record PromptRecipe(String language, String story, String featuresSentence, String featureSeparator, String plan,
                           String storyFromPlan, String summaryLabel, String sentenceLabel, List<StoryFeature> features) {

    public PromptRecipe {
        features = List.copyOf(features);
        if (features.isEmpty()) throw new IllegalArgumentException("the " + language + " prompt recipe lists no story features");
        for (String t : List.of(story, storyFromPlan, plan))
            for (String p : List.of("{verb}", "{noun}", "{adjective}", "{features}"))
                if (!t.contains(p)) throw new IllegalArgumentException("a " + language + " prompt template lacks " + p);
        if (!storyFromPlan.contains("{summary}") || !storyFromPlan.contains("{sentence}"))
            throw new IllegalArgumentException("the " + language + " story_from_plan template needs {summary} and {sentence}");
    }

    public static PromptRecipe load(AssetSource assets, String language) throws IOException {
        String path = "prompts/tinystories." + language + ".json";
        try (InputStream in = assets.open(path)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (Json.JsonException | IllegalArgumentException | ClassCastException e) {
            throw new IOException(assets.describe(path) + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static PromptRecipe parse(String json) {
        Map<String, Object> o = Json.parseObject(json);
        List<StoryFeature> features = new ArrayList<>();
        Object list = o.get("features");
        if (!(list instanceof List<?> l)) throw new IllegalArgumentException("'features' should be a list");
        for (Object f : l) {
            if (!(f instanceof Map<?, ?> m)) throw new IllegalArgumentException("each feature should be an object with id and text");
            Map<String, Object> fm = (Map<String, Object>) m;
            features.add(new StoryFeature(Json.string(fm, "id", null), Json.string(fm, "text", null)));
        }
        return new PromptRecipe(required(o, "language"), required(o, "story"), required(o, "features_sentence"),
                required(o, "feature_separator"), required(o, "plan"), required(o, "story_from_plan"),
                required(o, "summary_label"), required(o, "sentence_label"), features);
    }

    private static String required(Map<String, Object> o, String key) {
        String v = Json.string(o, key, null);
        if (v == null) throw new IllegalArgumentException("'" + key + "' is missing");
        return v;
    }

    /** The text that replaces {features}: empty for none, else the features sentence with the list. */
    String featuresText(List<StoryFeature> chosen) {
        if (chosen.isEmpty()) return "";
        StringBuilder list = new StringBuilder();
        for (StoryFeature f : chosen) list.append(list.isEmpty() ? "" : featureSeparator).append(f.text());
        return Template.fill(featuresSentence, Map.of("list", list.toString()));
    }
}

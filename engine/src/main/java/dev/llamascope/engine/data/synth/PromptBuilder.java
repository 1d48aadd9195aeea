package dev.llamascope.engine.data.synth;

import dev.llamascope.engine.util.AtomicFiles;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds prompts the TinyStories way: for each prompt a verb, a noun and an adjective drawn uniformly from the
 * word lists and a uniform number of distinct story features, put into the recipe's template. Prompt i depends
 * only on the seed and i (its own random stream), so a set is reproducible byte for byte and a longer set starts
 * with the shorter one.
 */
public final class PromptBuilder {
    private final WordLists words;
    private final PromptRecipe recipe;

    public PromptBuilder(WordLists words, PromptRecipe recipe) {
        if (recipe.features().size() > 64) throw new IllegalArgumentException("at most 64 story features are supported");
        this.words = words;
        this.recipe = recipe;
    }

    public WordLists words() {
        return words;
    }

    public PromptRecipe recipe() {
        return recipe;
    }

    public List<StoryPrompt> build(PromptOptions options) {
        if (options.maxFeatures() > recipe.features().size())
            throw new IllegalArgumentException("at most " + recipe.features().size() + " features per prompt (the recipe lists "
                    + recipe.features().size() + "), asked for " + options.maxFeatures());
        List<StoryPrompt> out = new ArrayList<>(options.count());
        for (int i = 0; i < options.count(); i++) out.add(prompt(options, i));
        return out;
    }

    /** Prompt number {@code index} of the set {@code options} describes. */
    public StoryPrompt prompt(PromptOptions options, int index) {
        SplitMix64 rng = SplitMix64.forItem(options.seed(), index);
        String verb = words.verbs().get(rng.nextInt(words.verbs().size()));
        String noun = words.nouns().get(rng.nextInt(words.nouns().size()));
        String adjective = words.adjectives().get(rng.nextInt(words.adjectives().size()));
        int k = options.minFeatures() + rng.nextInt(options.maxFeatures() - options.minFeatures() + 1);
        List<StoryFeature> chosen = chooseFeatures(rng, k);
        String features = recipe.featuresText(chosen);
        Map<String, String> values = Map.of("verb", verb, "noun", noun, "adjective", adjective, "features", features);
        String id = recipe.language() + "-" + options.seed() + "-" + String.format("%06d", index);
        List<String> ids = chosen.stream().map(StoryFeature::id).toList();
        if (!options.hierarchical())
            return new StoryPrompt(id, recipe.language(), verb, noun, adjective, ids, Template.fill(recipe.story(), values), null);
        String follow = Template.fill(recipe.storyFromPlan(), values);
        return new StoryPrompt(id, recipe.language(), verb, noun, adjective, ids, Template.fill(recipe.plan(), values),
                new StoryPrompt.FollowUp(follow, recipe.summaryLabel(), recipe.sentenceLabel()));
    }

    /** k distinct features, uniformly (a partial Fisher-Yates shuffle), kept in the recipe's order. */
    private List<StoryFeature> chooseFeatures(SplitMix64 rng, int k) {
        int n = recipe.features().size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        long mask = 0;
        for (int i = 0; i < k; i++) mask |= 1L << idx[i];
        List<StoryFeature> out = new ArrayList<>(k);
        for (int i = 0; i < n; i++) if ((mask & (1L << i)) != 0) out.add(recipe.features().get(i));
        return out;
    }

    /** The set as JSONL: one prompt per line, UTF-8, '\n' line ends. */
    public static byte[] toJsonl(List<StoryPrompt> prompts) {
        StringBuilder sb = new StringBuilder();
        for (StoryPrompt p : prompts) {
            Json.write(sb, p.toJson());
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static void write(Path file, List<StoryPrompt> prompts) throws IOException {
        byte[] b = toJsonl(prompts);
        AtomicFiles.write(file, out -> out.write(b));
    }
}

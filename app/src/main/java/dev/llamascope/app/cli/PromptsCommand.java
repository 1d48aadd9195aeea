package dev.llamascope.app.cli;

import dev.llamascope.engine.data.synth.AssetSource;
import dev.llamascope.engine.data.synth.PromptBuilder;
import dev.llamascope.engine.data.synth.PromptOptions;
import dev.llamascope.engine.data.synth.PromptRecipe;
import dev.llamascope.engine.data.synth.StoryPrompt;
import dev.llamascope.engine.data.synth.WordLists;
import java.nio.file.Path;
import java.util.List;

/** {@code prompts}: a seeded set of TinyStories-style prompts as JSONL, each with its words and features. */
public final class PromptsCommand implements Command {
    @Override
    public String name() {
        return "prompts";
    }

    @Override
    public String summary() {
        return "build a seeded set of TinyStories-style story prompts (JSONL)";
    }

    @Override
    public String usage() {
        return "llamascope prompts -n COUNT [--seed S=42] [--lang en|zh] [--features MIN-MAX=0-3] [--hierarchical] -o FILE.jsonl";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("-n|--count", "--seed", "--lang", "--features", "-o|--output"),
                List.of("--hierarchical", "-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            return 0;
        }
        a.maxPositional(0);
        if (!a.has("-n")) throw new Args.UsageException("missing -n COUNT");
        Path out = a.path("-o");
        if (out == null) throw new Args.UsageException("missing -o FILE");
        int count = a.integer("-n", 0);
        String lang = a.string("--lang", "en");
        if (!lang.matches("[a-z]{2,3}")) throw new Args.UsageException("--lang wants a language code such as en or zh, got '" + lang + "'");
        String features = a.string("--features", "0-3");
        String[] range = features.split("-");
        int min, max;
        try {
            min = Integer.parseInt(range[0].trim());
            max = range.length > 1 ? Integer.parseInt(range[1].trim()) : min;
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--features wants MIN-MAX such as 1-3, got '" + features + "'");
        }
        PromptOptions options;
        try {
            options = new PromptOptions(a.longValue("--seed", 42), count, min, max, a.flag("--hierarchical"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        AssetSource assets = AppAssets.source();
        PromptBuilder builder = new PromptBuilder(WordLists.load(assets, lang), PromptRecipe.load(assets, lang));
        List<StoryPrompt> set = builder.build(options);
        PromptBuilder.write(out, set);
        System.err.printf("wrote %d prompts (seed %d, %s, %d-%d features%s) to %s%n", set.size(), options.seed(), lang, min, max,
                options.hierarchical() ? ", hierarchical" : "", out);
        if (!set.isEmpty()) System.err.println("first: " + set.get(0).prompt());
        return 0;
    }
}

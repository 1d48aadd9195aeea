package dev.llamascope.engine.data.synth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The simple words prompts are built from, by part of speech. Files hold one word per line; blank lines and lines
 * starting with '#' are comments; a word listed twice counts once (so every word is equally likely).
 */
public record WordLists(String language, List<String> nouns, List<String> verbs, List<String> adjectives) {

    public WordLists {
        nouns = List.copyOf(nouns);
        verbs = List.copyOf(verbs);
        adjectives = List.copyOf(adjectives);
        if (nouns.isEmpty() || verbs.isEmpty() || adjectives.isEmpty())
            throw new IllegalArgumentException("the " + language + " word lists need at least one noun, one verb and one adjective");
    }

    /** Reads {@code words/LANG/nouns.txt}, {@code verbs.txt} and {@code adjectives.txt} from the assets. */
    public static WordLists load(AssetSource assets, String language) throws IOException {
        return new WordLists(language, read(assets, "words/" + language + "/nouns.txt"),
                read(assets, "words/" + language + "/verbs.txt"), read(assets, "words/" + language + "/adjectives.txt"));
    }

    private static List<String> read(AssetSource assets, String path) throws IOException {
        try (InputStream in = assets.open(path)) {
            List<String> words = parse(in);
            if (words.isEmpty()) throw new IOException(assets.describe(path) + ": the word list is empty");
            return words;
        }
    }

    /** The words of one list file, in file order, each once. */
    public static List<String> parse(InputStream in) throws IOException {
        Set<String> words = new LinkedHashSet<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String w = line.strip();
                if (!w.isEmpty() && !w.startsWith("#")) words.add(w);
            }
        }
        return new ArrayList<>(words);
    }

    /** Every word once, in list order (nouns, verbs, adjectives). */
    public List<String> all() {
        Set<String> s = new LinkedHashSet<>(nouns);
        s.addAll(verbs);
        s.addAll(adjectives);
        return List.copyOf(s);
    }
}

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

    /**
     * Irregular forms of list words from {@code words/LANG/forms.txt} ("run: ran"), for matching words in text;
     * empty when the language has no such file.
     */
    public static java.util.Map<String, List<String>> loadForms(AssetSource assets, String language) throws IOException {
        java.util.Map<String, List<String>> forms = new java.util.LinkedHashMap<>();
        String path = "words/" + language + "/forms.txt";
        InputStream in;
        try {
            in = assets.open(path);
        } catch (java.nio.file.NoSuchFileException e) {
            return forms;
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int n = 0;
            for (String line; (line = r.readLine()) != null; ) {
                n++;
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                int colon = l.indexOf(':');
                if (colon <= 0) throw new IOException(assets.describe(path) + ": line " + n + " should read 'word: form form ...'");
                List<String> f = new ArrayList<>(List.of(l.substring(colon + 1).strip().split("\\s+")));
                f.removeIf(String::isEmpty);
                forms.computeIfAbsent(l.substring(0, colon).strip(), k -> new ArrayList<>()).addAll(f);
            }
        }
        return forms;
    }

    /** The lists by name, for the diversity report's coverage. */
    public java.util.Map<String, List<String>> byName() {
        java.util.Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        m.put("nouns", nouns);
        m.put("verbs", verbs);
        m.put("adjectives", adjectives);
        return m;
    }

    /** Every word once, in list order (nouns, verbs, adjectives). */
    public List<String> all() {
        Set<String> s = new LinkedHashSet<>(nouns);
        s.addAll(verbs);
        s.addAll(adjectives);
        return List.copyOf(s);
    }
}

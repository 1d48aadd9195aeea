package dev.llamascope.engine.data.diversity;

import java.util.List;

/**
 * How many of the word-list words the texts use, per list (nouns, verbs, adjectives, and all of them).
 *
 * @param categories one per list, then "all"
 */
public record VocabularyCoverage(List<Category> categories) {

    /**
     * @param listed   words in the list
     * @param used     of them, how many appear in at least one document
     * @param unused   the words never used, in list order (what to prompt for next)
     * @param mostUsed the most used words with the number of documents they appear in, most first
     */
    public record Category(String name, int listed, int used, List<String> unused, List<WordCount> mostUsed) {
        public double ratio() {
            return listed == 0 ? 0 : (double) used / listed;
        }
    }

    public record WordCount(String word, long documents) {}

    public Category category(String name) {
        return categories.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }
}

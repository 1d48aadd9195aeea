package dev.llamascope.engine.data.diversity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts, per word-list word, the documents that use it. English words are matched in their inflected forms too
 * (jump/jumps/jumped/jumping, happy/happier, leaf/leaves, plus irregular forms given as data: ran, mice); words
 * of a list without spaces between words (Chinese) are found as substrings.
 */
public final class CoverageCounter {
    private final Map<String, List<String>> lists;      // category -> words
    private final List<String> lemmas = new ArrayList<>();
    private final Map<String, Integer> lemmaId = new HashMap<>();
    private final Map<String, Integer> formToLemma = new HashMap<>();
    private final boolean substringMode;
    private final int maxWordLength;
    private final long[] documentCount;

    /**
     * @param lists          named word lists, e.g. nouns, verbs, adjectives (order kept)
     * @param irregularForms lemma -> extra forms (went, ran, children) for English
     */
    public CoverageCounter(Map<String, List<String>> lists, Map<String, List<String>> irregularForms) {
        this.lists = new LinkedHashMap<>(lists);
        boolean cjk = false;
        int maxLen = 1;
        for (List<String> l : lists.values()) {
            for (String w : l) {
                lemmaId.computeIfAbsent(w, k -> {
                    lemmas.add(k);
                    return lemmas.size() - 1;
                });
                cjk |= w.codePoints().anyMatch(TextWords::isCjk);
                maxLen = Math.max(maxLen, w.length());
            }
        }
        this.substringMode = cjk;
        this.maxWordLength = maxLen;
        this.documentCount = new long[lemmas.size()];
        if (!cjk) {
            for (String w : lemmas) formToLemma.put(w.toLowerCase(java.util.Locale.ROOT), lemmaId.get(w));
            for (Map.Entry<String, List<String>> e : irregularForms.entrySet()) {
                Integer id = lemmaId.get(e.getKey());
                if (id != null) for (String f : e.getValue()) formToLemma.putIfAbsent(f, id);
            }
            for (String w : lemmas) for (String f : regularForms(w)) formToLemma.putIfAbsent(f, lemmaId.get(w));
        }
    }

    /** Regular English inflections of a base word (some are not words; they simply never match). */
    static Set<String> regularForms(String w) {
        Set<String> f = new LinkedHashSet<>();
        int n = w.length();
        if (n == 0) return f;
        char last = w.charAt(n - 1);
        for (String s : new String[]{"s", "es", "ed", "ing", "er", "est", "ly"}) f.add(w + s);
        if (last == 'e') {
            String stem = w.substring(0, n - 1);
            f.add(w + "d");
            f.add(w + "r");
            f.add(w + "st");
            f.add(stem + "ing");
        }
        if (last == 'y' && n > 1 && !isVowel(w.charAt(n - 2))) {
            String stem = w.substring(0, n - 1) + "i";
            for (String s : new String[]{"es", "ed", "er", "est", "ly", "ness"}) f.add(stem + s);
        }
        // big -> bigger, run -> running, hop -> hopped: consonant-vowel-consonant endings double the consonant
        if (n >= 3 && !isVowel(last) && last != 'w' && last != 'x' && last != 'y' && isVowel(w.charAt(n - 2)) && !isVowel(w.charAt(n - 3))) {
            for (String s : new String[]{"ed", "ing", "er", "est", "y"}) f.add(w + last + s);
        }
        if (w.endsWith("f")) f.add(w.substring(0, n - 1) + "ves");
        if (w.endsWith("fe")) f.add(w.substring(0, n - 2) + "ves");
        return f;
    }

    private static boolean isVowel(char c) {
        return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
    }

    /** Counts one document, given its text and its words (from {@link TextWords}). Not thread-safe. */
    public void add(String text, List<String> words) {
        Set<Integer> seen = new java.util.HashSet<>();
        if (substringMode) {
            for (int i = 0; i < text.length(); i++) {
                for (int len = 1; len <= maxWordLength && i + len <= text.length(); len++) {
                    Integer id = lemmaId.get(text.substring(i, i + len));
                    if (id != null) seen.add(id);
                }
            }
        } else {
            for (String w : words) {
                Integer id = formToLemma.get(w);
                if (id != null) seen.add(id);
            }
        }
        for (int id : seen) documentCount[id]++;
    }

    public VocabularyCoverage result(int topWords) {
        List<VocabularyCoverage.Category> cats = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : lists.entrySet()) cats.add(category(e.getKey(), e.getValue(), topWords));
        if (lists.size() > 1) cats.add(category("all", lemmas, topWords));
        return new VocabularyCoverage(cats);
    }

    private VocabularyCoverage.Category category(String name, List<String> words, int topWords) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(words));
        List<String> unused = new ArrayList<>();
        List<VocabularyCoverage.WordCount> used = new ArrayList<>();
        for (String w : distinct) {
            long c = documentCount[lemmaId.get(w)];
            if (c == 0) unused.add(w);
            else used.add(new VocabularyCoverage.WordCount(w, c));
        }
        used.sort((a, b) -> a.documents() != b.documents() ? Long.compare(b.documents(), a.documents()) : a.word().compareTo(b.word()));
        return new VocabularyCoverage.Category(name, distinct.size(), distinct.size() - unused.size(), unused,
                List.copyOf(used.subList(0, Math.min(topWords, used.size()))));
    }
}

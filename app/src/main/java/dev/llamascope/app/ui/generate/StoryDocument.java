package dev.llamascope.app.ui.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The story as the view shows it: its tokens, its text, and the text cut into paragraphs (at newlines, and softly
 * after {@value #SOFT_LIMIT} characters at a word boundary, or anywhere after twice that for text without spaces) — the unit the virtualized view lays out, so that
 * appending to a 100k-character story costs as much as appending to a short one. Appending changes only the last
 * paragraph and adds new ones. FX thread only.
 */
public final class StoryDocument {
    /** Paragraphs longer than this are continued in a new one at the next word boundary, to bound layout cost. */
    public static final int SOFT_LIMIT = 2000;

    /** A run of one token's text inside a paragraph. */
    public record Segment(int token, String text) {}

    /** One laid-out unit of text (a paragraph, or part of a very long one). */
    public static final class Paragraph {
        private final List<Segment> segments = new ArrayList<>();
        private int chars;

        public List<Segment> segments() {
            return Collections.unmodifiableList(segments);
        }

        public int size() {
            return segments.size();
        }

        public int chars() {
            return chars;
        }

        void add(Segment s) {
            segments.add(s);
            chars += s.text().length();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (Segment s : segments) sb.append(s.text());
            return sb.toString();
        }
    }

    private final List<StoryToken> tokens = new ArrayList<>();
    private int[] tokenStart = new int[256];
    private final StringBuilder text = new StringBuilder();
    private final ObservableList<Paragraph> paragraphs = FXCollections.observableArrayList();
    private final ObservableList<Paragraph> paragraphsView = FXCollections.unmodifiableObservableList(paragraphs);
    private final ReadOnlyIntegerWrapper tokenCount = new ReadOnlyIntegerWrapper(this, "tokenCount");

    public ObservableList<Paragraph> paragraphs() {
        return paragraphsView;
    }

    public ReadOnlyIntegerProperty tokenCountProperty() {
        return tokenCount.getReadOnlyProperty();
    }

    public int tokenCount() {
        return tokens.size();
    }

    public StoryToken token(int index) {
        return tokens.get(index);
    }

    /** The whole text shown: prompt and story. */
    public String text() {
        return text.toString();
    }

    public int length() {
        return text.length();
    }

    /** Adds tokens at the end; one list change for the grown last paragraph, one for the new ones. */
    public void append(List<StoryToken> batch) {
        if (batch.isEmpty()) return;
        int lastBefore = paragraphs.size() - 1;
        Paragraph existing = lastBefore >= 0 ? paragraphs.get(lastBefore) : null;
        int existingSize = existing == null ? 0 : existing.size();
        List<Paragraph> added = new ArrayList<>();
        Paragraph cur = existing;
        for (StoryToken t : batch) {
            int index = tokens.size();
            tokens.add(t);
            if (index == tokenStart.length) tokenStart = Arrays.copyOf(tokenStart, index * 2);
            tokenStart[index] = text.length();
            text.append(t.text());
            cur = layOut(index, t.text(), cur, added);
        }
        tokenCount.set(tokens.size());
        if (existing != null && existing.size() != existingSize) paragraphs.set(lastBefore, existing);
        if (!added.isEmpty()) paragraphs.addAll(added);
    }

    /** Adds characters to the last token (an unfinished UTF-8 sequence flushed at the end). */
    public void appendToLast(String more) {
        if (more.isEmpty() || tokens.isEmpty()) return;
        int last = tokens.size() - 1;
        StoryToken t = tokens.get(last);
        tokens.set(last, new StoryToken(t.pos(), t.id(), t.text() + more, t.prompt(), t.odds()));
        text.append(more);
        int lastBefore = paragraphs.size() - 1;
        Paragraph existing = paragraphs.get(lastBefore);
        int existingSize = existing.size();
        List<Paragraph> added = new ArrayList<>();
        layOut(last, more, existing, added);
        if (existing.size() != existingSize) paragraphs.set(lastBefore, existing);
        if (!added.isEmpty()) paragraphs.addAll(added);
    }

    /** Keeps the first {@code count} tokens (a branch replaces what follows). */
    public void truncate(int count) {
        if (count >= tokens.size()) return;
        text.setLength(tokenStart[Math.max(0, count)]);
        tokens.subList(count, tokens.size()).clear();
        tokenCount.set(tokens.size());
        List<Paragraph> rebuilt = new ArrayList<>();
        Paragraph cur = null;
        for (int i = 0; i < tokens.size(); i++) cur = layOut(i, tokens.get(i).text(), cur, rebuilt);
        paragraphs.setAll(rebuilt);
    }

    public void clear() {
        tokens.clear();
        text.setLength(0);
        tokenCount.set(0);
        paragraphs.clear();
    }

    /** The index of the paragraph that shows a token's first characters (for scrolling to it). */
    public int paragraphOf(int tokenIndex) {
        for (int p = paragraphs.size() - 1; p >= 0; p--) {
            List<Segment> s = paragraphs.get(p).segments;
            if (!s.isEmpty() && s.getFirst().token() <= tokenIndex) return p;
        }
        return 0;
    }

    /** Cuts one token's text into the current paragraph and new ones; returns the paragraph now last. */
    private static Paragraph layOut(int index, String s, Paragraph cur, List<Paragraph> added) {
        if (s.isEmpty()) return cur;
        int from = 0;
        while (true) {
            int nl = s.indexOf('\n', from);
            String part = nl < 0 ? s.substring(from) : s.substring(from, nl);
            if (cur == null) {
                cur = new Paragraph();
                added.add(cur);
            }
            if (!part.isEmpty()) {
                if (cur.chars >= SOFT_LIMIT && (Character.isWhitespace(part.charAt(0)) || cur.chars >= 2 * SOFT_LIMIT)) {
                    cur = new Paragraph();
                    added.add(cur);
                }
                cur.add(new Segment(index, part));
            }
            if (nl < 0) return cur;
            cur = new Paragraph();
            added.add(cur);
            from = nl + 1;
        }
    }
}

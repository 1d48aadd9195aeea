package dev.llamascope.app.ui.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

class StoryDocumentTest {
    private static StoryToken t(int pos, String text) {
        return new StoryToken(pos, pos, text, false, null);
    }

    private static List<String> paragraphs(StoryDocument d) {
        return d.paragraphs().stream().map(Object::toString).toList();
    }

    @Test
    void newlinesStartParagraphsAndTheTextIsKeptWhole() {
        StoryDocument d = new StoryDocument();
        d.append(List.of(t(1, "Once"), t(2, " upon"), t(3, ".\n"), t(4, "Lily"), t(5, "\n\nThe"), t(6, " end")));
        assertEquals("Once upon.\nLily\n\nThe end", d.text());
        assertEquals(List.of("Once upon.", "Lily", "", "The end"), paragraphs(d));
        assertEquals(6, d.tokenCount());
    }

    @Test
    void appendingChangesOnlyTheLastParagraphAndAddsNewOnes() {
        StoryDocument d = new StoryDocument();
        d.append(List.of(t(1, "a"), t(2, "\nb")));
        List<String> changes = new ArrayList<>();
        d.paragraphs().addListener((ListChangeListener<StoryDocument.Paragraph>) c -> {
            while (c.next()) changes.add(c.wasReplaced() ? "replaced " + c.getFrom() : c.wasAdded() ? "added " + c.getFrom() + ".." + c.getTo() : "other");
        });
        d.append(List.of(t(3, "c"), t(4, " d\ne"), t(5, "\nf")));
        assertEquals(List.of("a", "bc d", "e", "f"), paragraphs(d));
        assertEquals(List.of("replaced 1", "added 2..4"), changes);
    }

    @Test
    void truncateKeepsTheTokensBeforeABranchPoint() {
        StoryDocument d = new StoryDocument();
        d.append(List.of(t(1, "One"), t(2, " day\n"), t(3, "she"), t(4, " ran")));
        d.truncate(2);
        assertEquals("One day\n", d.text());
        assertEquals(List.of("One day", ""), paragraphs(d));
        d.append(List.of(t(3, "he")));
        assertEquals("One day\nhe", d.text());
        assertEquals(List.of("One day", "he"), paragraphs(d));
    }

    @Test
    void veryLongParagraphsAreCutAtAWordAndTextWithoutSpacesAnywhere() {
        StoryDocument d = new StoryDocument();
        List<StoryToken> words = new ArrayList<>();
        for (int i = 0; i < 1000; i++) words.add(t(i + 1, " word"));
        d.append(words);
        assertEquals(5000, d.length());
        assertEquals(3, d.paragraphs().size());
        for (var p : d.paragraphs()) assertEquals(true, p.chars() <= StoryDocument.SOFT_LIMIT);
        StoryDocument zh = new StoryDocument();
        List<StoryToken> chars = new ArrayList<>();
        for (int i = 0; i < 5000; i++) chars.add(t(i + 1, "从"));
        zh.append(chars);
        assertEquals(2, zh.paragraphs().size(), "cut anywhere after twice the soft limit");
        assertEquals(5000, zh.text().length());
    }

    @Test
    void lateCharactersJoinTheLastToken() {
        StoryDocument d = new StoryDocument();
        d.append(List.of(t(1, "a"), t(2, "")));
        d.appendToLast("\uFFFD");
        assertEquals("a\uFFFD", d.text());
        assertEquals("\uFFFD", d.token(1).text());
    }
}

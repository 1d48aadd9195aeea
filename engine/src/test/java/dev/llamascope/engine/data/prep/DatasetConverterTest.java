package dev.llamascope.engine.data.prep;

import static dev.llamascope.engine.data.prep.PrepFixtures.assertOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.data.Conversation;
import dev.llamascope.engine.data.ConversationReader;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataFormatException;
import dev.llamascope.engine.data.Datasets;
import dev.llamascope.engine.data.StoriesJsonReader;
import dev.llamascope.engine.data.TextReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetConverterTest {
    @TempDir
    Path dir;

    static final String ALPACA = """
            [
              {"instruction": "Name a colour.", "input": "", "output": "Blue."},
              {"instruction": "把这句话翻译成英文。", "input": "", "output": "Translate this sentence into English. ✓"},
              {"instruction": "And then?", "input": "", "output": "Then we eat.", "system": "You are kind.",
               "history": [["Hi", "Hello!"], ["What now?", "We cook."]]}
            ]
            """;

    static final String SHAREGPT = """
            [{"id": "a", "conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello! 你好"},
              {"from": "human", "value": "Tell me a joke"}, {"from": "gpt", "value": "No."}], "system": "Be brief."},
             {"conversations": [{"from": "system", "value": "Sys"}, {"from": "human", "value": "Q"}, {"from": "gpt", "value": "A"}]}]
            """;

    static final String DOLLY = """
            {"instruction": "Summarize.", "context": "Lily had a red ball.", "response": "A girl had a ball.", "category": "summarization"}
            {"instruction": "Who?", "context": "", "response": "Tom.", "category": "open_qa"}
            """;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static List<Conversation> read(Path file, DataFormat f) throws Exception {
        return ConversationReader.of(f).read(file);
    }

    /** in → via → back: the same conversations as in, and the middle file reads as the same conversations too. */
    private void roundTrip(Path in, DataFormat from, DataFormat via, String viaName) throws Exception {
        Path mid = dir.resolve(viaName), back = dir.resolve("back-" + in.getFileName());
        PrepResult r1 = DatasetConverter.convert(in, from, mid, via, PrepProgress.NONE);
        PrepResult r2 = DatasetConverter.convert(mid, DataFormat.AUTO, back, from, PrepProgress.NONE);
        List<Conversation> original = read(in, from);
        assertEquals(original.size(), r1.written(), r1.toString());
        assertEquals(0, r1.skipped());
        assertEquals(original, read(mid, via), from + " -> " + via);
        assertEquals(original, read(back, from), from + " -> " + via + " -> " + from);
        assertEquals(List.of(back), r2.outputs());
    }

    @Test
    void alpacaThroughShareGptAndMossAndBack() throws Exception {
        Path alpaca = write("a.json", ALPACA);
        roundTrip(alpaca, DataFormat.ALPACA, DataFormat.SHAREGPT, "s.json");
        roundTrip(alpaca, DataFormat.ALPACA, DataFormat.MOSS, "m.jsonl");
        // the multi-turn record keeps system and history in LLaMA-Factory's fields
        List<Conversation> c = read(alpaca, DataFormat.ALPACA);
        assertEquals(6, c.get(2).messages().size());
        assertEquals("You are kind.", c.get(2).system());
    }

    @Test
    void shareGptThroughAlpacaAndMossAndBack() throws Exception {
        Path sg = write("s.json", SHAREGPT);
        roundTrip(sg, DataFormat.SHAREGPT, DataFormat.ALPACA, "a.json");
        roundTrip(sg, DataFormat.SHAREGPT, DataFormat.MOSS, "m.jsonl");
        assertEquals("Sys", read(sg, DataFormat.SHAREGPT).get(1).system());
    }

    @Test
    void dollyAndBelleThroughAlpacaKeepTheirContext() throws Exception {
        Path dolly = write("d.jsonl", DOLLY);
        roundTrip(dolly, DataFormat.DOLLY, DataFormat.ALPACA, "a.json");
        roundTrip(dolly, DataFormat.DOLLY, DataFormat.BELLE, "b.jsonl");
        Path belle = dir.resolve("b.jsonl");
        roundTrip(belle, DataFormat.BELLE, DataFormat.DOLLY, "d2.jsonl");
        assertEquals("Lily had a red ball.", read(belle, DataFormat.BELLE).getFirst().messages().getFirst().context());
    }

    @Test
    void exactOutputLayoutsAndNonAsciiAsIs() throws Exception {
        Path dolly = write("d.jsonl", DOLLY);
        Path a = dir.resolve("out.json"), s = dir.resolve("out.jsonl");
        DatasetConverter.convert(dolly, DataFormat.DOLLY, a, DataFormat.ALPACA, PrepProgress.NONE);
        assertEquals("""
                [
                {"instruction":"Summarize.","input":"Lily had a red ball.","output":"A girl had a ball."},
                {"instruction":"Who?","input":"","output":"Tom."}
                ]
                """, Files.readString(a));
        Path sg = write("s.json", SHAREGPT);
        DatasetConverter.convert(sg, DataFormat.AUTO, s, DataFormat.SHAREGPT, PrepProgress.NONE);
        List<String> lines = Files.readAllLines(s, StandardCharsets.UTF_8);
        assertEquals(2, lines.size(), "JSON Lines for .jsonl");
        assertEquals("{\"conversations\":[{\"from\":\"human\",\"value\":\"Hi\"},{\"from\":\"gpt\",\"value\":\"Hello! 你好\"},"
                + "{\"from\":\"human\",\"value\":\"Tell me a joke\"},{\"from\":\"gpt\",\"value\":\"No.\"}],\"system\":\"Be brief.\"}", lines.get(0));
        // no extension: the format's usual layout (Dolly: lines; Alpaca: array)
        Path noExt = dir.resolve("dolly-out");
        DatasetConverter.convert(a, DataFormat.ALPACA, noExt, DataFormat.DOLLY, PrepProgress.NONE);
        assertTrue(Files.readString(noExt).startsWith("{\"instruction\":\"Summarize.\",\"context\":\"Lily had a red ball.\""));
    }

    @Test
    void inputThatAChatFormatCannotHoldIsMergedAndSaid() throws Exception {
        Path dolly = write("d.jsonl", DOLLY);
        Path sg = dir.resolve("s.json");
        PrepResult r = DatasetConverter.convert(dolly, DataFormat.DOLLY, sg, DataFormat.SHAREGPT, PrepProgress.NONE);
        assertEquals(1, r.notes().size());
        assertTrue(r.notes().getFirst().startsWith("1 record(s) had an input (context) that sharegpt has no field for"), r.notes().toString());
        assertEquals("Summarize.\n\nLily had a red ball.", read(sg, DataFormat.SHAREGPT).getFirst().messages().getFirst().text());
    }

    @Test
    void multiTurnChatsAreSkippedForSingleTurnFormats() throws Exception {
        Path sg = write("s.json", SHAREGPT.strip().replaceFirst("]$", ", {\"conversations\": [{\"from\": \"human\", \"value\": \"Q2\"},"
                + " {\"from\": \"gpt\", \"value\": \"A2\"}]}]"));
        Path out = dir.resolve("d.jsonl");
        PrepResult r = DatasetConverter.convert(sg, DataFormat.SHAREGPT, out, DataFormat.DOLLY, PrepProgress.NONE);
        assertEquals(3, r.read());
        assertEquals(1, r.written());
        assertEquals(2, r.skipped(), "one is multi-turn, one has a system text");
        assertEquals("record 1: a conversation of 2 exchanges: dolly holds one instruction and one answer (convert to alpaca, sharegpt"
                + " or moss to keep it)", r.firstSkipReason());
        assertEquals("{\"instruction\":\"Q2\",\"context\":\"\",\"response\":\"A2\"}\n", Files.readString(out));
    }

    @Test
    void nothingWrittenWhenNoRecordFits() throws Exception {
        Path sg = write("s.json", SHAREGPT);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DatasetConverter.convert(sg, DataFormat.SHAREGPT, dir.resolve("d.jsonl"), DataFormat.DOLLY, PrepProgress.NONE));
        assertTrue(e.getMessage().contains("no record can be written as dolly"), e.getMessage());
        assertOnly(dir, "s.json");
    }

    @Test
    void textAndStoriesConvertBothWays() throws Exception {
        Path text = write("t.txt", "Once upon a time there was a cat.\nThe dog said \"hi\" — 你好.\n\nThe end.\n");
        Path jsonl = dir.resolve("t.jsonl"), back = dir.resolve("back.txt");
        DatasetConverter.convert(text, DataFormat.AUTO, jsonl, DataFormat.JSONL, PrepProgress.NONE);
        assertEquals("{\"story\":\"Once upon a time there was a cat.\"}", Files.readAllLines(jsonl).getFirst());
        DatasetConverter.convert(jsonl, DataFormat.AUTO, back, DataFormat.TEXT, PrepProgress.NONE);
        assertEquals(TextReader.documents(text), TextReader.documents(back));
        assertEquals("Once upon a time there was a cat.\nThe dog said \"hi\" — 你好.\nThe end.\n", Files.readString(back));

        // stories with paragraphs: documents separated by <|endoftext|> lines, read back the same
        Path stories = write("s.json", "[{\"story\": \"Lily ran.\\n\\nShe fell.\"}, {\"story\": \"Tom sat.\", \"summary\": \"x\"}]");
        Path txt = dir.resolve("s.txt");
        PrepResult r = DatasetConverter.convert(stories, DataFormat.AUTO, txt, DataFormat.TEXT, PrepProgress.NONE);
        assertEquals("Lily ran.\n\nShe fell.\n<|endoftext|>\nTom sat.\n", Files.readString(txt));
        assertEquals(StoriesJsonReader.documents(stories), TextReader.documents(txt));
        assertTrue(r.notes().getFirst().contains("separated by <|endoftext|>"));
    }

    @Test
    void conversionsBetweenKindsAreRefused() throws Exception {
        Path alpaca = write("a.json", ALPACA), text = write("t.txt", "hello\n");
        var e1 = assertThrows(IllegalArgumentException.class,
                () -> DatasetConverter.convert(alpaca, DataFormat.AUTO, dir.resolve("x.txt"), DataFormat.TEXT, PrepProgress.NONE));
        assertEquals("cannot convert alpaca to text: instruction and chat data have no plain-text form (pretokenize renders it with a"
                + " prompt template)", e1.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DatasetConverter.convert(text, DataFormat.AUTO, dir.resolve("x.json"), DataFormat.ALPACA, PrepProgress.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> DatasetConverter.convert(text, DataFormat.AUTO, dir.resolve("x.u16"), DataFormat.TOKENS, PrepProgress.NONE));
        Path u16 = Files.write(dir.resolve("t.u16"), new byte[]{1, 0, 5, 0});
        var e2 = assertThrows(DataFormatException.class,
                () -> DatasetConverter.convert(u16, DataFormat.AUTO, dir.resolve("x.txt"), DataFormat.TEXT, PrepProgress.NONE));
        assertTrue(e2.getMessage().contains("is a token file"), e2.getMessage());
        assertOnly(dir, "a.json", "t.txt", "t.u16");
    }

    @Test
    void badInputsAreOneLineErrorsAndWriteNothing() throws Exception {
        Path out = dir.resolve("out.json");
        assertThrows(NoSuchFileException.class,
                () -> DatasetConverter.convert(dir.resolve("none.json"), DataFormat.AUTO, out, DataFormat.ALPACA, PrepProgress.NONE));
        Path empty = write("empty.json", "");
        var e = assertThrows(DataFormatException.class, () -> DatasetConverter.convert(empty, DataFormat.AUTO, out, DataFormat.ALPACA, PrepProgress.NONE));
        assertEquals(empty + ": the file is empty", e.getMessage());
        Path broken = write("broken.json", "[\n{\"instruction\": \"a\", \"output\": \"b\"},\n{\"instruction\": \"c\" \"output\": \"d\"}\n]\n");
        e = assertThrows(DataFormatException.class, () -> DatasetConverter.convert(broken, DataFormat.AUTO, out, DataFormat.SHAREGPT, PrepProgress.NONE));
        assertTrue(e.getMessage().startsWith(broken + ": line 3: invalid JSON"), e.getMessage());
        Path brokenLines = write("broken.jsonl", "{\"instruction\": \"a\", \"output\": \"b\"}\n{\"instruction\": \"a\", \"output\": }\n");
        e = assertThrows(DataFormatException.class, () -> DatasetConverter.convert(brokenLines, DataFormat.AUTO, out, DataFormat.SHAREGPT, PrepProgress.NONE));
        assertTrue(e.getMessage().startsWith(brokenLines + ": line 2: invalid JSON"), e.getMessage());
        Path missingField = write("m.json", "[{\"instruction\": \"a\", \"output\": \"b\"}, {\"instruction\": \"a\", \"response\": \"b\"}]");
        e = assertThrows(DataFormatException.class, () -> DatasetConverter.convert(missingField, DataFormat.ALPACA, out, DataFormat.SHAREGPT, PrepProgress.NONE));
        assertEquals(missingField + ": record 2: no 'output' field (fields: [instruction, response])", e.getMessage());
        var u = assertThrows(IllegalArgumentException.class, () -> DataFormat.parse("csv"));
        assertTrue(u.getMessage().startsWith("unknown data format 'csv'"));
        assertOnly(dir, "broken.json", "broken.jsonl", "empty.json", "m.json");
    }

    @Test
    void cancellingLeavesNoFile() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) sb.append("{\"instruction\": \"q").append(i).append("\", \"input\": \"\", \"output\": \"a\"}\n");
        Path in = write("big.jsonl", sb.toString());
        for (int after : new int[]{1, 3, 12}) {
            assertThrows(CancellationException.class,
                    () -> DatasetConverter.convert(in, DataFormat.AUTO, dir.resolve("out.json"), DataFormat.SHAREGPT, PrepFixtures.cancelAfter(after)));
            assertOnly(dir, "big.jsonl");
        }
        // and without cancelling, the same call writes it
        DatasetConverter.convert(in, DataFormat.AUTO, dir.resolve("out.json"), DataFormat.SHAREGPT, PrepProgress.NONE);
        assertEquals(DataFormat.SHAREGPT, Datasets.detect(dir.resolve("out.json")));
    }
}

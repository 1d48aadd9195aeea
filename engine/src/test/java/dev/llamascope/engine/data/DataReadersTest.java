package dev.llamascope.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.data.Conversation.Message;
import dev.llamascope.engine.data.Conversation.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every dataset format from a small fixture, auto-detection, and the errors for bad files. */
class DataReadersTest {
    @TempDir
    Path tmp;

    static Path fixture(String name) throws Exception {
        return Path.of(DataReadersTest.class.getResource("/data/" + name).toURI());
    }

    @Test
    void alpaca() throws Exception {
        List<Conversation> c = new AlpacaReader().read(fixture("alpaca.json"));
        assertEquals(2, c.size());
        assertEquals(List.of(new Message(Role.USER, "Tell a story about a cat.", ""),
                Message.assistant("Once upon a time, there was a cat named Tom.")), c.get(0).messages());
        assertEquals(new Message(Role.USER, "Make this sentence happy.", "The dog was sad."), c.get(1).messages().get(0));
        assertEquals(DataFormat.ALPACA, Datasets.detect(fixture("alpaca.json")));
    }

    @Test
    void belle() throws Exception {
        List<Conversation> c = new BelleReader().read(fixture("belle.jsonl"));
        assertEquals(3, c.size());
        assertEquals(Conversation.single("Write a short line about the sun.", "", "The sun is warm and bright."), c.get(0));
        assertEquals(Conversation.single("Say hello.", "", "Hello!"), c.get(1), "early BELLE says 'target'");
        assertEquals(Conversation.single("Translate to French.", "cat", "chat"), c.get(2), "with an instruction the input is context");
        assertEquals(DataFormat.BELLE, Datasets.detect(fixture("belle.jsonl")));
    }

    @Test
    void shareGpt() throws Exception {
        List<Conversation> c = new ShareGptReader().read(fixture("sharegpt.json"));
        assertEquals(1, c.size());
        assertEquals("You tell stories to children.", c.get(0).system());
        assertEquals(List.of(Message.user("Tell me about Lily."), Message.assistant("Lily was a little girl who loved flowers."),
                Message.user("What did she do?"), Message.assistant("She planted a garden.")), c.get(0).messages());
        assertEquals(DataFormat.SHAREGPT, Datasets.detect(fixture("sharegpt.json")));
    }

    @Test
    void moss() throws Exception {
        List<Conversation> c = new MossReader().read(fixture("moss.jsonl"));
        assertEquals(2, c.size());
        assertEquals("You are MOSS.", c.get(0).system());
        assertEquals(List.of(Message.user("What does a cat say?"), Message.assistant("A cat says meow."),
                Message.user("And a dog?"), Message.assistant("A dog barks.")), c.get(0).messages(), "turns in order, tags stripped");
        assertEquals(List.of(Message.user("Hi"), Message.assistant("Hello there.")), c.get(1).messages());
        assertEquals(DataFormat.MOSS, Datasets.detect(fixture("moss.jsonl")));
    }

    @Test
    void dolly() throws Exception {
        List<Conversation> c = new DollyReader().read(fixture("dolly.jsonl"));
        assertEquals(Conversation.single("Who is in the story?", "Tom and Sue went to the park.", "Tom and Sue."), c.get(0));
        assertEquals(Conversation.single("Name a color.", "", "Blue."), c.get(1));
        assertEquals(DataFormat.DOLLY, Datasets.detect(fixture("dolly.jsonl")));
    }

    @Test
    void storiesAndText() throws Exception {
        assertEquals(List.of("Tom had a red ball. He liked to play.", "Sue saw a bird."), StoriesJsonReader.documents(fixture("stories.json")));
        assertEquals(List.of("One day, a cat sat on a mat.", "The end."), StoriesJsonReader.documents(fixture("stories.jsonl")));
        assertEquals(DataFormat.JSONL, Datasets.detect(fixture("stories.json")));
        assertEquals(DataFormat.JSONL, Datasets.detect(fixture("stories.jsonl")));
        assertEquals(List.of("Once upon a time, there was a cat.\nThe cat was happy.", "Tom had a ball."),
                TextReader.documents(fixture("stories-eot.txt")), "documents split at <|endoftext|>, lines kept");
        Path lines = tmp.resolve("lines.txt");
        Files.writeString(lines, "First story.\n\n  Second story.  \r\n");
        assertEquals(List.of("First story.", "  Second story.  "), TextReader.documents(lines), "else one document per non-blank line, as is");
        assertEquals(DataFormat.TEXT, Datasets.detect(lines));
    }

    @Test
    void tokenFiles() throws Exception {
        Path f = tmp.resolve("t.u16");
        Files.write(f, new byte[]{1, 0, 2, 1, (byte) 0xff, (byte) 0xff});
        assertEquals(DataFormat.TOKENS, Datasets.detect(f));
        assertEquals(List.of(1, 258, 65535), java.util.Arrays.stream(TokenFileReader.read(f, 0)).boxed().toList());
        DataFormatException e = assertThrows(DataFormatException.class, () -> TokenFileReader.read(f, 512));
        assertTrue(e.getMessage().contains("token 65535 at position 2 is outside the model's vocabulary of 512"), e.getMessage());
    }

    @Test
    void previewShowsTemplatedExamplesWithTokenCounts() throws Exception {
        DataPreview p = DataPreview.of(fixture("dolly.jsonl"), DataFormat.AUTO, TestTokenizers.chars(), 259, PromptTemplate.ALPACA, 1);
        assertEquals(DataFormat.DOLLY, p.format());
        assertEquals(2, p.units());
        assertEquals(1, p.items().size());
        DataPreview.Item first = p.items().getFirst();
        assertEquals("### Instruction:\nWho is in the story?\n\n### Input:\nTom and Sue went to the park.\n\n### Response:\nTom and Sue.</s>",
                first.text());
        int answer = "Tom and Sue.".length() + 1; // a byte tokenizer: one token per byte, plus EOS
        assertEquals(answer, first.trainedTokens());
        assertEquals(1 + first.text().length() - "</s>".length() + 1, first.tokens(), "BOS + every byte + EOS");
        assertEquals(answer + "Blue.".length() + 1, p.trainedTokens());
        // the same text in pieces: the prompt (masked) apart from the answer (trained), for a preview to set apart
        assertEquals(List.of(new PromptTemplate.Segment("### Instruction:\nWho is in the story?\n\n### Input:\nTom and Sue went to the park.\n\n### Response:\n", false),
                new PromptTemplate.Segment("Tom and Sue.</s>", true)), first.segments());
        assertEquals(first.text(), String.join("", first.segments().stream().map(PromptTemplate.Segment::text).toList()));

        Path u16 = tmp.resolve("docs.u16");
        Files.write(u16, new byte[]{1, 0, 72, 0, 73, 0, 1, 0, 74, 0});
        DataPreview t = DataPreview.of(u16, DataFormat.AUTO, null, 0, PromptTemplate.ALPACA, 5);
        assertEquals(2, t.units(), "documents start at BOS");
        assertEquals(5, t.tokens());
        assertEquals(List.of(3, 2), t.items().stream().map(DataPreview.Item::tokens).toList());
        assertTrue(t.items().getFirst().segments().getFirst().trained(), "a document is one trained piece");
    }

    @Test
    void badFilesGetClearErrors() throws Exception {
        assertError(write("odd.u16", new byte[]{1, 0, 2}), DataFormat.TOKENS, "odd size");
        assertError(write("empty.u16", new byte[0]), DataFormat.TOKENS, "empty");
        assertError(write("empty.json", new byte[0]), DataFormat.ALPACA, "empty");
        assertError(text("broken.jsonl", "{\"input\": \"a\", \"output\": \"b\"}\n{\"input\": \"a\", \n"), DataFormat.BELLE, "line 2: invalid JSON");
        assertError(text("missing.json", "[{\"instruction\": \"x\", \"input\": \"\"}]"), DataFormat.ALPACA, "record 1: no 'output' field");
        assertError(text("unknown.jsonl", "{\"question\": \"x\", \"answer\": \"y\"}\n"), DataFormat.AUTO, "cannot tell the data format");
        assertError(text("scalar.json", "[1, 2]"), DataFormat.ALPACA, "record 1 is not a JSON object");
        assertError(text("role.json", "[{\"conversations\": [{\"from\": \"robot\", \"value\": \"x\"}]}]"), DataFormat.SHAREGPT,
                "turn 1 is from 'robot'");
        assertError(text("nochat.jsonl", "{\"chat\": {\"turn_1\": {\"Human\": \"hi\"}}}\n"), DataFormat.MOSS, "needs 'Human' and 'MOSS'");
        assertError(write("latin1.txt", new byte[]{'c', 'a', 'f', (byte) 0xe9}), DataFormat.TEXT, "not UTF-8");
        assertError(text("blank.txt", "\n  \n"), DataFormat.TEXT, "has no text");
        Path folder = Files.createDirectories(tmp.resolve("folder"));
        assertError(folder, DataFormat.AUTO, "is a folder");
    }

    private Path write(String name, byte[] b) throws Exception {
        return Files.write(tmp.resolve(name), b);
    }

    private Path text(String name, String s) throws Exception {
        return Files.writeString(tmp.resolve(name), s);
    }

    /** Loading fails with a message that names the file and the problem. */
    private static void assertError(Path file, DataFormat format, String problem) {
        Exception e = assertThrows(Exception.class, () -> Datasets.load(file, format, TestTokenizers.chars(), 512, PromptTemplate.ALPACA));
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), "says '" + problem + "': " + e.getMessage());
    }
}

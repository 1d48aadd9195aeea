package dev.llamascope.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.data.ConversationReader;
import dev.llamascope.engine.data.DataFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pretokenize} and {@code dataset preview|convert|split} through the command line, and the errors a user can cause. */
class DatasetCommandsTest {
    @TempDir
    Path dir;

    static final String ALPACA = """
            [{"instruction": "Name a colour.", "input": "", "output": "Blue."},
             {"instruction": "Translate.", "input": "你好", "output": "Hello."},
             {"instruction": "Add.", "input": "1 and 2", "output": "3"},
             {"instruction": "Why?", "input": "", "output": "Because.", "history": [["Hi", "Hello!"]]}]
            """;

    @Test
    void pretokenizeWritesLlama2cShardOfTheSample() throws Exception {
        Path text = TrainCommandTest.shared("data/tinystories-sample.txt"), tok = TrainCommandTest.shared("models/stories260K/tok512.bin");
        Path shard = TrainCommandTest.shared("data/tinystories-sample.tok512.u16");
        CliRunner.Result r = CliRunner.run("pretokenize", "--data", text.toString(), "-z", tok.toString(), "--limit", "400",
                "-o", dir.resolve("sample").toString());
        assertEquals(0, r.code(), r.stderr());
        assertArrayEquals(Files.readAllBytes(shard), Files.readAllBytes(dir.resolve("sample.u16")));
        String last = r.stderr().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("pretokenized 400 documents: ") && last.contains(String.format(java.util.Locale.ROOT, "%,d tokens in 1 shard", Files.size(shard) / 2))
                && last.endsWith("MB/s"), last);

        CliRunner.Result s = CliRunner.run("pretokenize", "--data", text.toString(), "-z", tok.toString(), "--shard-tokens", "20000",
                "-o", dir.resolve("sh").toString());
        assertEquals(0, s.code(), s.stderr());
        assertTrue(Files.size(dir.resolve("sh.000.u16")) <= 40000 && Files.exists(dir.resolve("sh.001.u16")), s.stderr());
        assertTrue(s.stderr().contains(" shards ("), s.stderr());
    }

    @Test
    void convertSplitAndPreview() throws Exception {
        Path alpaca = Files.writeString(dir.resolve("a.json"), ALPACA);
        CliRunner.Result c = CliRunner.run("dataset", "convert", alpaca.toString(), dir.resolve("chat.jsonl").toString(), "--to", "sharegpt");
        assertEquals(0, c.code(), c.stderr());
        assertTrue(c.stderr().contains("converted 4 of 4 records to sharegpt"), c.stderr());
        assertTrue(c.stderr().contains("note: 2 record(s) had an input (context) that sharegpt has no field for"), c.stderr());
        assertEquals(4, ConversationReader.of(DataFormat.SHAREGPT).read(dir.resolve("chat.jsonl")).size());

        CliRunner.Result d = CliRunner.run("dataset", "convert", alpaca.toString(), dir.resolve("d.jsonl").toString(), "--to", "dolly");
        assertEquals(0, d.code(), d.stderr());
        assertTrue(d.stderr().contains("skipped 1 record(s); the first: record 4: a conversation of 2 exchanges"), d.stderr());

        CliRunner.Result s = CliRunner.run("dataset", "split", alpaca.toString(), "--eval", "0.25", "--seed", "3", "-o", dir.resolve("x").toString());
        assertEquals(0, s.code(), s.stderr());
        assertTrue(s.stderr().contains("split 4 records: 3 to " + dir.resolve("x.train.json") + ", 1 to " + dir.resolve("x.eval.json")), s.stderr());

        CliRunner.Result p = CliRunner.run("dataset", "preview", alpaca.toString(), "-n", "2");
        assertEquals(0, p.code(), p.stderr());
        assertTrue(p.out().startsWith(alpaca + ": alpaca, 4 conversations, "), p.out());
        assertTrue(p.out().contains("1 with more than one exchange; template alpaca"), p.out());
        assertTrue(p.out().contains("--- 2\n### Instruction:\nTranslate.\n\n### Input:\n你好\n\n### Response:\nHello.</s>"), p.out());
        assertFalse(p.out().contains("--- 3"));

        Path tok = TrainCommandTest.shared("models/stories260K/tok512.bin");
        CliRunner.Result u = CliRunner.run("pretokenize", "--data", alpaca.toString(), "-z", tok.toString(), "-o", dir.resolve("a").toString());
        assertEquals(0, u.code(), u.stderr());
        assertTrue(u.stderr().startsWith("warning: a .u16 file has no loss mask: the prompt part of each alpaca conversation"), u.stderr());
        assertTrue(u.stderr().contains("pretokenized 4 documents"), u.stderr());
        CliRunner.Result pt = CliRunner.run("dataset", "preview", TrainCommandTest.shared("data/tinystories-sample.tok512.u16").toString(),
                "-z", tok.toString(), "-n", "1");
        assertEquals(0, pt.code(), pt.stderr());
        assertTrue(pt.out().contains(": tokens, 400 documents, 33,873 tokens"), pt.out());
    }

    /** Each one line on stderr, a non-zero exit, no stack trace, and no file written. */
    @Test
    void badInputsAreOneLineErrors() throws Exception {
        Path tok = TrainCommandTest.shared("models/stories260K/tok512.bin");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        Path broken = Files.writeString(dir.resolve("broken.json"), "[\n{\"instruction\": \"a\", \"output\": \"b\"},\n{\"instruction\": \"c\" \"output\": 1}\n]\n");
        Path text = Files.writeString(dir.resolve("t.txt"), "hello world\n");
        String out = dir.resolve("out").toString();
        Object[][] cases = {
                {new String[]{"pretokenize", "--data", dir.resolve("none.txt").toString(), "-z", tok.toString(), "-o", out}, "none.txt: no such file"},
                {new String[]{"pretokenize", "--data", empty.toString(), "-z", tok.toString(), "-o", out}, "empty.txt: the file is empty"},
                {new String[]{"pretokenize", "--data", broken.toString(), "-z", tok.toString(), "-o", out}, "broken.json: line 3: invalid JSON"},
                {new String[]{"pretokenize", "--data", text.toString(), "--format", "csv", "-z", tok.toString(), "-o", out}, "unknown data format 'csv'"},
                {new String[]{"pretokenize", "--data", text.toString(), "-z", text.toString(), "-o", out}, "t.txt"},
                {new String[]{"dataset", "convert", dir.resolve("none.json").toString(), out + ".json", "--to", "alpaca"}, "none.json: no such file"},
                {new String[]{"dataset", "convert", empty.toString(), out + ".txt", "--to", "jsonl"}, "empty.txt: the file is empty"},
                {new String[]{"dataset", "convert", broken.toString(), out + ".json", "--to", "sharegpt"}, "broken.json: line 3: invalid JSON"},
                {new String[]{"dataset", "convert", text.toString(), out + ".json", "--to", "csv"}, "unknown data format 'csv'"},
                {new String[]{"dataset", "convert", text.toString(), out + ".json", "--to", "alpaca"}, "cannot convert text to alpaca"},
                {new String[]{"dataset", "split", broken.toString(), "--eval", "0.5", "-o", out}, "broken.json: line 3: invalid JSON"},
                {new String[]{"dataset", "split", empty.toString(), "--eval", "0.5", "-o", out}, "empty.txt: the file is empty"},
                {new String[]{"dataset", "preview", broken.toString()}, "broken.json: line 3: invalid JSON"},
                {new String[]{"dataset", "preview", text.toString(), "-z", text.toString()}, "t.txt"},
        };
        for (Object[] c : cases) {
            String[] args = (String[]) c[0];
            CliRunner.Result r = CliRunner.run(args);
            String what = String.join(" ", args) + " -> " + r.stderr();
            assertEquals(1, r.code(), what);
            assertEquals(1, r.stderr().strip().lines().count(), "one line: " + what);
            assertTrue(r.stderr().startsWith("llamascope: ") && r.stderr().contains((String) c[1]), what);
            assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), what);
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of("broken.json", "empty.txt", "t.txt"), files.map(f -> f.getFileName().toString()).sorted().toList(), what);
            }
        }
    }
}

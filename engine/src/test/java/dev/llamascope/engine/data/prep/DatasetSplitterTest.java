package dev.llamascope.engine.data.prep;

import static dev.llamascope.engine.data.prep.PrepFixtures.assertOnly;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataFormatException;
import dev.llamascope.engine.data.JsonRecords;
import dev.llamascope.engine.data.TextReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSplitterTest {
    @TempDir
    Path dir;

    private Path lines(int n) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append("story number ").append(i).append(" é\n");
        return Files.writeString(dir.resolve("t.txt"), sb.toString());
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() throws Exception {
        Path in = lines(200);
        PrepResult a = DatasetSplitter.split(in, DataFormat.AUTO, 0.1, 7, dir.resolve("a.train.txt"), dir.resolve("a.eval.txt"), PrepProgress.NONE);
        DatasetSplitter.split(in, DataFormat.AUTO, 0.1, 7, dir.resolve("b.train.txt"), dir.resolve("b.eval.txt"), PrepProgress.NONE);
        DatasetSplitter.split(in, DataFormat.AUTO, 0.1, 8, dir.resolve("c.train.txt"), dir.resolve("c.eval.txt"), PrepProgress.NONE);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.train.txt")), Files.readAllBytes(dir.resolve("b.train.txt")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.eval.txt")), Files.readAllBytes(dir.resolve("b.eval.txt")));
        assertFalse(Files.readString(dir.resolve("a.eval.txt")).equals(Files.readString(dir.resolve("c.eval.txt"))), "another seed, another split");
        assertEquals(200, a.read());
        assertEquals(180, a.files().get(0).records());
        assertEquals(20, a.files().get(1).records());
    }

    @Test
    void everyRecordLandsInExactlyOneFileInItsOrder() throws Exception {
        Path in = lines(101);
        for (double f : new double[]{0.01, 0.1, 0.25, 0.5, 0.99}) {
            Path t = dir.resolve("x.train.txt"), e = dir.resolve("x.eval.txt");
            DatasetSplitter.split(in, DataFormat.TEXT, f, 3, t, e, PrepProgress.NONE);
            List<String> train = TextReader.documents(t), eval = TextReader.documents(e);
            long expectEval = Math.max(1, Math.min(100, Math.round(101 * f)));
            assertEquals(expectEval, eval.size(), "fraction " + f);
            assertEquals(101 - expectEval, train.size());
            List<String> merged = new ArrayList<>(train);
            merged.addAll(eval);
            merged.sort((x, y) -> Integer.compare(num(x), num(y)));
            assertEquals(TextReader.documents(in), merged);
            for (List<String> part : List.of(train, eval))
                for (int i = 1; i < part.size(); i++) assertTrue(num(part.get(i - 1)) < num(part.get(i)), "original order kept");
        }
    }

    private static int num(String s) {
        return Integer.parseInt(s.split(" ")[2]);
    }

    @Test
    void jsonKeepsItsLayoutAndEveryField() throws Exception {
        Path in = Files.writeString(dir.resolve("a.json"), """
                [{"instruction": "q1", "input": "", "output": "a1", "id": 1, "score": 0.5},
                 {"instruction": "q2", "input": "", "output": "a2", "tags": ["x", "y"]},
                 {"instruction": "q3", "input": "", "output": "a3 你好"},
                 {"instruction": "q4", "input": "", "output": "a4"}]
                """);
        Path t = dir.resolve("s.train.json"), e = dir.resolve("s.eval.json");
        DatasetSplitter.split(in, DataFormat.AUTO, 0.25, 1, t, e, PrepProgress.NONE);
        assertTrue(Files.readString(t).startsWith("[\n{\"instruction\":"), Files.readString(t));
        List<JsonRecords.Record> all = new ArrayList<>(JsonRecords.read(t));
        assertEquals(1, JsonRecords.read(e).size());
        all.addAll(JsonRecords.read(e));
        all.sort((x, y) -> ((String) x.fields().get("instruction")).compareTo((String) y.fields().get("instruction")));
        List<JsonRecords.Record> original = JsonRecords.read(in);
        for (int i = 0; i < 4; i++) assertEquals(original.get(i).fields(), all.get(i).fields());

        Path jl = Files.writeString(dir.resolve("b.jsonl"), "{\"story\": \"one\"}\n{\"story\": \"two\"}\n{\"story\": \"three\"}\n");
        DatasetSplitter.split(jl, DataFormat.AUTO, 0.3, 1, dir.resolve("b.train.jsonl"), dir.resolve("b.eval.jsonl"), PrepProgress.NONE);
        assertEquals(1, Files.readAllLines(dir.resolve("b.eval.jsonl")).size());
        assertTrue(Files.readString(dir.resolve("b.eval.jsonl")).startsWith("{\"story\":\""));
    }

    @Test
    void tokenFilesSplitAtBos() throws Exception {
        short[] ids = {1, 10, 11, 1, 20, 1, 30, 31, 32, 1, 40};
        byte[] b = new byte[ids.length * 2];
        for (int i = 0; i < ids.length; i++) {
            b[2 * i] = (byte) ids[i];
            b[2 * i + 1] = (byte) (ids[i] >> 8);
        }
        Path in = Files.write(dir.resolve("d.u16"), b);
        PrepResult r = DatasetSplitter.split(in, DataFormat.AUTO, 0.5, 5, dir.resolve("d.train.u16"), dir.resolve("d.eval.u16"), PrepProgress.NONE);
        assertEquals(4, r.read());
        assertEquals(2, r.files().get(1).records());
        assertEquals(ids.length, r.tokens());
        byte[] train = Files.readAllBytes(dir.resolve("d.train.u16")), eval = Files.readAllBytes(dir.resolve("d.eval.u16"));
        assertEquals(b.length, train.length + eval.length);
        assertEquals(1, train[0]);
        assertEquals(1, eval[0]);
    }

    @Test
    void badInputsAndCancellingWriteNothing() throws Exception {
        Path one = Files.writeString(dir.resolve("one.txt"), "only one\n");
        Path t = dir.resolve("o.train.txt"), e = dir.resolve("o.eval.txt");
        var ex = assertThrows(DataFormatException.class, () -> DatasetSplitter.split(one, DataFormat.AUTO, 0.1, 1, t, e, PrepProgress.NONE));
        assertEquals(one + ": has 1 record: too few to split", ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetSplitter.split(one, DataFormat.AUTO, 1.0, 1, t, e, PrepProgress.NONE));
        assertThrows(IllegalArgumentException.class, () -> DatasetSplitter.split(one, DataFormat.AUTO, 0.1, 1, t, t, PrepProgress.NONE));
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"instruction\": \"q\", \"output\": \"a\"}\n{\"instruction\": \"q\"}\n");
        ex = assertThrows(DataFormatException.class, () -> DatasetSplitter.split(bad, DataFormat.ALPACA, 0.5, 1, t, e, PrepProgress.NONE));
        assertEquals(bad + ": line 2: no 'output' field (fields: [instruction])", ex.getMessage());
        Path in = lines(3000);
        for (int after : new int[]{1, 4}) {
            assertThrows(CancellationException.class, () -> DatasetSplitter.split(in, DataFormat.AUTO, 0.1, 1, t, e, PrepFixtures.cancelAfter(after)));
        }
        assertOnly(dir, "bad.jsonl", "one.txt", "t.txt");
    }
}

package dev.llamascope.engine.data.prep;

import static dev.llamascope.engine.data.prep.PrepFixtures.assertOnly;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.data.ConversationReader;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataFormatException;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.data.TokenFileReader;
import dev.llamascope.engine.tokenizer.Llama2cTokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretokenizerTest {
    @TempDir
    Path dir;

    /** The first 400 documents of the sample text are exactly llama2.c's shard of them (run.c's encoder, BOS before each). */
    @Test
    void plainTextIsByteIdenticalToLlama2cShard() throws Exception {
        Tokenizer tok = Llama2cTokenizer.read(SharedData.file("models/stories260K/tok512.bin"));
        Path text = SharedData.file("data/tinystories-sample.txt"), shard = SharedData.file("data/tinystories-sample.tok512.u16");
        PrepResult r = Pretokenizer.pretokenize(text, DataFormat.AUTO, tok, null, dir.resolve("sample.u16"), 0, 400, 1, PrepProgress.NONE);
        assertEquals(List.of(dir.resolve("sample.u16")), r.outputs(), "a trailing .u16 on the prefix is not doubled");
        assertEquals(400, r.written());
        assertEquals(Files.size(shard) / 2, r.tokens());
        assertArrayEquals(Files.readAllBytes(shard), Files.readAllBytes(dir.resolve("sample.u16")));
        assertTrue(r.notes().isEmpty());
    }

    /** Chunks on several threads come out in input order: the same bytes as one thread. */
    @Test
    void threadsDoNotChangeTheOutput() throws Exception {
        Tokenizer tok = Llama2cTokenizer.read(SharedData.file("models/stories260K/tok512.bin"));
        Path text = SharedData.file("data/tinystories-sample.txt");
        PrepResult one = Pretokenizer.pretokenize(text, DataFormat.TEXT, tok, null, dir.resolve("one"), 0, 0, 1, PrepProgress.NONE);
        PrepResult three = Pretokenizer.pretokenize(text, DataFormat.TEXT, tok, null, dir.resolve("three"), 0, 0, 3, PrepProgress.NONE);
        assertTrue(one.written() > 2 * Pretokenizer.CHUNK_DOCS, "enough documents for several chunks: " + one.written());
        assertArrayEquals(Files.readAllBytes(dir.resolve("one.u16")), Files.readAllBytes(dir.resolve("three.u16")));
        assertEquals(one.tokens(), three.tokens());
    }

    @Test
    void shardsHoldWholeDocumentsUpToTheLimit() throws Exception {
        Tokenizer tok = PrepFixtures.bytes(0);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1500; i++) sb.append("doc ").append(i).append(i % 7 == 0 ? " with some more words" : "").append('\n');
        sb.append("x".repeat(150)).append('\n'); // longer than a shard: a shard of its own
        Path in = Files.writeString(dir.resolve("d.txt"), sb.toString());
        PrepResult whole = Pretokenizer.pretokenize(in, DataFormat.AUTO, tok, null, dir.resolve("whole"), 0, 0, 2, PrepProgress.NONE);
        PrepResult r = Pretokenizer.pretokenize(in, DataFormat.AUTO, tok, null, dir.resolve("part"), 100, 0, 2, PrepProgress.NONE);
        assertTrue(r.files().size() > 100, "shards: " + r.files().size());
        assertEquals(dir.resolve("part.000.u16"), r.outputs().getFirst());
        assertEquals(String.format("part.%03d.u16", r.files().size() - 1), r.outputs().getLast().getFileName().toString());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        long docs = 0;
        for (PrepResult.Output o : r.files()) {
            int[] t = TokenFileReader.read(o.path(), 0);
            assertEquals(o.tokens(), t.length);
            assertEquals(1, t[0], "a shard starts with a document's BOS");
            long bos = Arrays.stream(t).filter(x -> x == 1).count();
            assertEquals(o.records(), bos);
            assertTrue(t.length <= 100 || o.records() == 1, o.path() + " has " + t.length + " tokens in " + o.records() + " documents");
            docs += o.records();
            all.write(Files.readAllBytes(o.path()));
        }
        assertEquals(1501, docs);
        assertEquals(151, r.files().getLast().tokens(), "the long document alone");
        assertArrayEquals(Files.readAllBytes(dir.resolve("whole.u16")), all.toByteArray(), "the shards are the whole file, cut between documents");
        assertEquals(List.of("1 document(s) longer than 100 tokens got a shard of their own"), r.notes());
    }

    @Test
    void instructionDataIsRenderedAndTheMissingMaskIsSaid() throws Exception {
        Tokenizer tok = PrepFixtures.bytes(0);
        Path in = Files.writeString(dir.resolve("a.jsonl"), """
                {"instruction": "Say hi", "input": "", "output": "hi"}
                {"instruction": "Count", "input": "to two", "output": "1 2"}
                """);
        PrepResult r = Pretokenizer.pretokenize(in, DataFormat.AUTO, tok, PromptTemplate.CHAT, dir.resolve("a"), 0, PrepProgress.NONE);
        int[] got = TokenFileReader.read(dir.resolve("a.u16"), 0);
        var convs = ConversationReader.of(DataFormat.ALPACA).read(in);
        int[] a = PromptTemplate.CHAT.encode(convs.get(0), tok).tokens(), b = PromptTemplate.CHAT.encode(convs.get(1), tok).tokens();
        int[] expect = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, expect, a.length, b.length);
        assertArrayEquals(expect, got);
        assertEquals(2, got[a.length - 1], "EOS after the answer");
        assertEquals(1, r.notes().size());
        assertTrue(r.notes().getFirst().startsWith("a .u16 file has no loss mask: the prompt part of each alpaca conversation (rendered with"
                + " the chat template) is trained too"), r.notes().getFirst());
    }

    @Test
    void refusesWhatAU16CannotHold() throws Exception {
        Path in = Files.writeString(dir.resolve("t.txt"), "hello\n");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Pretokenizer.pretokenize(in, DataFormat.AUTO, PrepFixtures.bytes(70000), null, dir.resolve("o"), 0, PrepProgress.NONE));
        assertEquals("the tokenizer bytes+70000 has 70259 tokens: ids above 65535 do not fit in a .u16 file of uint16 ids (use a vocabulary"
                + " of at most 65536 tokens)", e.getMessage());
        // the largest vocabulary that fits is accepted
        Pretokenizer.pretokenize(in, DataFormat.AUTO, PrepFixtures.bytes(65536 - 259), null, dir.resolve("ok"), 0, PrepProgress.NONE);
        Path u16 = Files.write(dir.resolve("x.u16"), new byte[]{1, 0});
        var d = assertThrows(DataFormatException.class,
                () -> Pretokenizer.pretokenize(u16, DataFormat.AUTO, PrepFixtures.bytes(0), null, dir.resolve("o"), 0, PrepProgress.NONE));
        assertEquals(u16 + ": is already a token file", d.getMessage());
        Path empty = Files.writeString(dir.resolve("e.txt"), "");
        d = assertThrows(DataFormatException.class,
                () -> Pretokenizer.pretokenize(empty, DataFormat.AUTO, PrepFixtures.bytes(0), null, dir.resolve("o"), 0, PrepProgress.NONE));
        assertEquals(empty + ": the file is empty", d.getMessage());
        Path blank = Files.writeString(dir.resolve("b.txt"), "\n \n");
        d = assertThrows(DataFormatException.class,
                () -> Pretokenizer.pretokenize(blank, DataFormat.AUTO, PrepFixtures.bytes(0), null, dir.resolve("o"), 0, PrepProgress.NONE));
        assertEquals(blank + ": has no text", d.getMessage());
        assertOnly(dir, "b.txt", "e.txt", "ok.u16", "t.txt", "x.u16");
    }

    @Test
    void cancellingLeavesNoShard() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) sb.append("line ").append(i).append('\n');
        Path in = Files.writeString(dir.resolve("t.txt"), sb.toString());
        for (int threads : new int[]{1, 2}) {
            for (int after : new int[]{1, 3, 6}) {
                assertThrows(CancellationException.class, () -> Pretokenizer.pretokenize(in, DataFormat.AUTO, PrepFixtures.bytes(0), null,
                        dir.resolve("o"), 2000, 0, threads, PrepFixtures.cancelAfter(after)));
                assertOnly(dir, "t.txt");
            }
        }
    }
}

package dev.llamascope.engine.data.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.data.DataFormatException;
import dev.llamascope.engine.data.TextReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streamed documents are exactly {@link TextReader}'s, whatever falls on a buffer boundary. */
class TextDocumentStreamTest {
    @TempDir
    Path dir;

    private static List<String> stream(Path p) throws Exception {
        List<String> out = new ArrayList<>();
        try (TextDocumentStream s = new TextDocumentStream(p)) {
            for (String d; (d = s.next()) != null; ) out.add(d);
        }
        return out;
    }

    private void same(String name, String text) throws Exception {
        Path p = Files.writeString(dir.resolve(name), text);
        assertEquals(TextReader.documents(p), stream(p), name);
    }

    @Test
    void linesAsTextReaderSplitsThem() throws Exception {
        same("crlf.txt", "one\r\ntwo\r\n\r\n three \n");
        same("cr.txt", "a\rb\nc\r\r\nd\r");
        same("bom.txt", "\uFEFFfirst\nsecond");
        same("blank.txt", "\n \n\t\nx\n\n");
        same("unicode.txt", "你好 😀\nñ\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30000; i++) sb.append(i % 97 == 0 ? "\n" : "line ").append(i).append(i % 5 == 0 ? "\r\n" : "\n");
        same("long.txt", sb.toString()); // many 64K-character buffers
    }

    @Test
    void endOfTextDocumentsAcrossBuffers() throws Exception {
        same("eot.txt", "  first story.\nmore\n<|endoftext|>\nsecond<|endoftext|><|endoftext|>\n third \n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20000; i++) sb.append("story ").append(i).append(" has words.\n\n<|endoftext|>\n");
        same("many.txt", sb.toString());
    }

    @Test
    void findsTheMarkerAcrossReadBlocks() throws Exception {
        byte[] eot = TextReader.END_OF_TEXT.getBytes(StandardCharsets.US_ASCII);
        for (int at : new int[]{(1 << 20) - 5, (1 << 20) - 1, 1 << 20, (1 << 20) + 1}) {
            byte[] b = new byte[(1 << 20) + 100];
            java.util.Arrays.fill(b, (byte) 'a');
            System.arraycopy(eot, 0, b, at, eot.length);
            assertTrue(TextDocumentStream.contains(Files.write(dir.resolve("b.txt"), b), eot), "marker at " + at);
        }
        byte[] none = new byte[(1 << 20) * 2 + 7];
        java.util.Arrays.fill(none, (byte) '<');
        assertFalse(TextDocumentStream.contains(Files.write(dir.resolve("n.txt"), none), eot));
    }

    @Test
    void errorsAsTextReader() throws Exception {
        Path blank = Files.writeString(dir.resolve("blank.txt"), "\n  \n");
        var e = assertThrows(DataFormatException.class, () -> stream(blank));
        assertEquals(blank + ": has no text", e.getMessage());
        Path bin = Files.write(dir.resolve("bin.txt"), new byte[]{'o', 'k', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
        e = assertThrows(DataFormatException.class, () -> stream(bin));
        assertTrue(e.getMessage().startsWith(bin + ": is not UTF-8 text"), e.getMessage());
    }
}

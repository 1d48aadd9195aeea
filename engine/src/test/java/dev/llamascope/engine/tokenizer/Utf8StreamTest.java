package dev.llamascope.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8StreamTest {
    @Test
    void neverSplitsACharacterAcrossPieces() {
        byte[] llama = "🦙".getBytes(StandardCharsets.UTF_8);
        Utf8Stream s = new Utf8Stream();
        StringBuilder seen = new StringBuilder();
        for (byte b : llama) {
            String out = s.feed(new byte[]{b});
            if (!out.isEmpty()) seen.append('|').append(out);
        }
        assertEquals("|🦙", seen.toString(), "the emoji appears once, whole, after its last byte");
        assertEquals("", s.finish());
    }

    @Test
    void mixesTextAndBytes() {
        Utf8Stream s = new Utf8Stream();
        byte[] cong = "从".getBytes(StandardCharsets.UTF_8);
        assertEquals("a", s.feed("a".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", s.feed(new byte[]{cong[0], cong[1]}));
        assertEquals("从 b", s.feed(new byte[]{cong[2], ' ', 'b'}));
    }

    @Test
    void invalidBytesAreReplacedOrSkipped() {
        Utf8Stream shown = new Utf8Stream(true);
        assertEquals("x\uFFFDy", shown.feed(new byte[]{'x', (byte) 0x80, 'y'}));
        assertEquals("\uFFFD", shown.feed(new byte[]{(byte) 0xE4}) + shown.finish(), "an unfinished sequence at the end");
        Utf8Stream skipped = new Utf8Stream(false);
        assertEquals("xy", skipped.feed(new byte[]{'x', (byte) 0x80, 'y'}));
        assertEquals("", skipped.feed(new byte[]{(byte) 0xE4}) + skipped.finish());
    }
}

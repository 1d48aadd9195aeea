package dev.llamascope.engine.tokenizer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a stream of byte pieces into text without ever splitting a character: bytes of an incomplete UTF-8
 * sequence wait for the next piece, so a character made of several byte tokens appears whole, once. Bytes that
 * cannot be part of any character (a model can sample any byte token) become U+FFFD, or are skipped when the
 * stream is made with {@code replaceInvalid = false} (what run.c's output shows for them: nothing).
 */
public final class Utf8Stream {
    private final CharsetDecoder decoder;
    private ByteBuffer pending = ByteBuffer.allocate(16);

    /** A stream that shows invalid bytes as U+FFFD. */
    public Utf8Stream() {
        this(true);
    }

    public Utf8Stream(boolean replaceInvalid) {
        CodingErrorAction onError = replaceInvalid ? CodingErrorAction.REPLACE : CodingErrorAction.IGNORE;
        decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(onError).onUnmappableCharacter(onError);
    }

    /** Adds bytes; returns the text of every character now complete. */
    public String feed(byte[] bytes) {
        if (pending.remaining() < bytes.length) {
            ByteBuffer bigger = ByteBuffer.allocate(pending.position() + bytes.length + 16);
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        pending.put(bytes);
        pending.flip();
        CharBuffer out = CharBuffer.allocate(pending.remaining() + 2);
        decoder.decode(pending, out, false);
        pending.compact();
        out.flip();
        return out.toString();
    }

    /** True when bytes of an unfinished character are waiting. */
    public boolean hasPending() {
        return pending.position() > 0;
    }

    /** Ends the stream: what is still waiting is an invalid sequence (see above); the stream can then be reused. */
    public String finish() {
        pending.flip();
        CharBuffer out = CharBuffer.allocate(pending.remaining() + 2);
        decoder.decode(pending, out, true);
        decoder.flush(out);
        decoder.reset();
        pending.clear();
        out.flip();
        return out.toString();
    }
}

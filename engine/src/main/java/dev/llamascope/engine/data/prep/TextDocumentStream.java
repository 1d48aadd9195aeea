package dev.llamascope.engine.data.prep;

import dev.llamascope.engine.data.DataFormatException;
import dev.llamascope.engine.data.TextReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The documents of a plain-text file, read as a stream so that files larger than memory (TinyStories' 2 GB .txt
 * releases) can be pretokenized: exactly {@link TextReader}'s documents — separated by {@code <|endoftext|>} where
 * the file has that marker (each stripped), else one per non-blank line as it is (split at "\n", one "\r" before it
 * dropped) — with the same errors for text that is not UTF-8 and for a file without text.
 */
final class TextDocumentStream implements AutoCloseable {
    private static final String EOT = TextReader.END_OF_TEXT;

    private final Path file;
    private final Reader in;
    private final Counting counting;
    private final boolean separated;
    private final char[] buf = new char[1 << 16];
    private final StringBuilder pending = new StringBuilder();
    private boolean eof, first = true;
    private long documents;

    TextDocumentStream(Path file) throws IOException {
        this.file = file;
        this.separated = contains(file, EOT.getBytes(StandardCharsets.US_ASCII));
        counting = new Counting(Files.newInputStream(file));
        in = new InputStreamReader(counting, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /** Bytes of the file read so far (a little ahead of the documents handed out). */
    long bytesRead() {
        return counting.count;
    }

    /** The next document, or null after the last; a file with none is an error, as for {@link TextReader}. */
    String next() throws IOException {
        while (true) {
            String d = separated ? nextSeparated() : nextLine();
            if (d == null) {
                if (documents == 0) throw new DataFormatException(file, "has no text");
                return null;
            }
            if (separated ? !d.isEmpty() : !d.isBlank()) {
                documents++;
                return d;
            }
        }
    }

    /** Text read but not handed out yet starts at {@code pos} of {@code pending}; compacted when more is read. */
    private int pos;
    private boolean eofDone;

    private String nextLine() throws IOException {
        int from = pos;
        while (true) {
            int nl = indexOf(pending, '\n', from);
            if (nl >= 0) {
                String line = pending.substring(pos, nl > pos && pending.charAt(nl - 1) == '\r' ? nl - 1 : nl);
                pos = nl + 1;
                return line;
            }
            from = pending.length() - pos;
            if (!fill()) {
                if (pos >= pending.length()) return null;
                String last = pending.substring(pos);
                pos = pending.length();
                return last;
            }
            from += pos;
        }
    }

    private String nextSeparated() throws IOException {
        int from = pos;
        while (true) {
            int at = pending.indexOf(EOT, from);
            if (at >= 0) {
                String d = pending.substring(pos, at).strip();
                pos = at + EOT.length();
                return d;
            }
            from = Math.max(0, pending.length() - pos - EOT.length() + 1);
            if (!fill()) {
                if (eofDone) return null;
                eofDone = true;
                String d = pending.substring(pos).strip();
                pos = pending.length();
                return d;
            }
            from += pos;
        }
    }

    private static int indexOf(StringBuilder sb, char c, int from) {
        for (int i = from; i < sb.length(); i++) if (sb.charAt(i) == c) return i;
        return -1;
    }

    /** Reads more text into pending; false at the end of the file. */
    private boolean fill() throws IOException {
        if (eof) return false;
        int n;
        try {
            n = in.read(buf);
        } catch (CharacterCodingException e) {
            throw new DataFormatException(file, "is not UTF-8 text (a binary file? use --format tokens for .u16 token files)");
        }
        if (n < 0) {
            eof = true;
            return false;
        }
        int off = 0;
        if (first) {
            first = false;
            if (n > 0 && buf[0] == '\uFEFF') off = 1; // a byte-order mark is not text
        }
        if (pos > 0) { // drop what was handed out; callers keep their search positions relative to pos
            pending.delete(0, pos);
            pos = 0;
        }
        pending.append(buf, off, n - off);
        return true;
    }

    /** Whether the file holds these bytes anywhere (one pass in blocks, a match across blocks included). */
    static boolean contains(Path file, byte[] needle) throws IOException {
        byte[] block = new byte[(1 << 20) + needle.length];
        try (InputStream s = Files.newInputStream(file)) {
            int carry = 0;
            while (true) {
                int n = s.readNBytes(block, carry, block.length - carry);
                int len = carry + n;
                outer:
                for (int i = 0; i + needle.length <= len; i++) {
                    for (int k = 0; k < needle.length; k++) if (block[i + k] != needle[k]) continue outer;
                    return true;
                }
                if (n == 0 || len < block.length) return false;
                carry = Math.min(needle.length - 1, len);
                System.arraycopy(block, len - carry, block, 0, carry);
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static final class Counting extends FilterInputStream {
        volatile long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}

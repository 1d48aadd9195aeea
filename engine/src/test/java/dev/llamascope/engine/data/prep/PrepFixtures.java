package dev.llamascope.engine.data.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer.TokenType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Small datasets, tokenizers and progress listeners for the prep tests. */
final class PrepFixtures {
    private PrepFixtures() {}

    /** &lt;unk&gt;, BOS, EOS, then the 256 byte tokens, then {@code extra} unused pieces: every byte is a token. */
    static Tokenizer bytes(int extra) {
        int n = 3 + 256 + extra;
        byte[][] pieces = new byte[n][];
        float[] scores = new float[n];
        TokenType[] types = new TokenType[n];
        int[] values = new int[n];
        pieces[0] = "<unk>".getBytes();
        pieces[1] = "<s>".getBytes();
        pieces[2] = "</s>".getBytes();
        types[0] = TokenType.UNKNOWN;
        types[1] = types[2] = TokenType.CONTROL;
        values[0] = values[1] = values[2] = -1;
        for (int b = 0; b < 256; b++) {
            pieces[3 + b] = String.format("<0x%02X>", b).getBytes();
            types[3 + b] = TokenType.BYTE;
            values[3 + b] = b;
        }
        for (int i = 259; i < n; i++) {
            pieces[i] = ("<unused" + i + ">").getBytes();
            types[i] = TokenType.UNUSED;
            values[i] = -1;
        }
        return new Tokenizer("bytes+" + extra, pieces, scores, types, values, 1, 2, 0, false);
    }

    /** Cancels on the {@code after}-th progress call. */
    static PrepProgress cancelAfter(int after) {
        AtomicInteger calls = new AtomicInteger();
        return new PrepProgress() {
            @Override
            public void progress(long done, long total, String what) {
                calls.incrementAndGet();
            }

            @Override
            public boolean cancelled() {
                return calls.get() >= after;
            }
        };
    }

    /** The names in a folder, hidden temporary files included. */
    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static void assertOnly(Path dir, String... names) throws IOException {
        assertEquals(List.of(names).stream().sorted().toList(), names(dir), "files in " + dir);
    }
}

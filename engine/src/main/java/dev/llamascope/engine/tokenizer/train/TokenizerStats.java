package dev.llamascope.engine.tokenizer.train;

import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How a tokenizer does on some lines of text, each encoded on its own without BOS as training saw them.
 *
 * @param characters    code points in the lines
 * @param tokens        tokens they encode to
 * @param unknownTokens tokens that are &lt;unk&gt; (characters the vocabulary lost)
 * @param byteTokens    byte-fallback tokens (characters spelled as their UTF-8 bytes)
 */
public record TokenizerStats(long lines, long characters, long tokens, long unknownTokens, long byteTokens) {

    public double tokensPerCharacter() {
        return characters == 0 ? 0 : (double) tokens / characters;
    }

    public double unknownRate() {
        return tokens == 0 ? 0 : (double) unknownTokens / tokens;
    }

    public double byteRate() {
        return tokens == 0 ? 0 : (double) byteTokens / tokens;
    }

    public static TokenizerStats measure(Tokenizer tokenizer, List<String> lines, ComputePool pool) {
        AtomicLongArray sums = new AtomicLongArray(4);
        pool.parallelFor(lines.size(), (from, to) -> {
            long chars = 0, tokens = 0, unk = 0, bytes = 0;
            for (int i = from; i < to; i++) {
                String line = lines.get(i);
                chars += line.codePointCount(0, line.length());
                for (int t : tokenizer.encode(line, false, false)) {
                    tokens++;
                    if (t == tokenizer.unk()) unk++;
                    else if (tokenizer.type(t) == Tokenizer.TokenType.BYTE) bytes++;
                }
            }
            sums.addAndGet(0, chars);
            sums.addAndGet(1, tokens);
            sums.addAndGet(2, unk);
            sums.addAndGet(3, bytes);
        });
        return new TokenizerStats(lines.size(), sums.get(0), sums.get(1), sums.get(2), sums.get(3));
    }
}

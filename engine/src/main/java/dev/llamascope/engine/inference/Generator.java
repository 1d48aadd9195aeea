package dev.llamascope.engine.inference;

import dev.llamascope.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * The generation loop of run.c: positions 0 .. steps-1, the prompt fed token by token (here: prefilled in one
 * block, which fills the same KV cache), then sampled tokens, stopping early when BOS is sampled. Every token
 * after the first reaches the listener with its piece, prompt tokens included, so a caller prints exactly what
 * run.c prints.
 */
public final class Generator {

    public enum StopReason { LENGTH, BOS, EOS, CANCELLED }

    /** What one generation did; times in nanoseconds. */
    public record Result(int[] tokens, int promptTokens, int generatedTokens, StopReason stopReason,
                         long prefillNanos, long firstTokenNanos, long decodeNanos) {
        /** Sampled tokens per second, not counting the first (whose time is the prompt's), as run.c reports it. */
        public double decodeTokensPerSecond() {
            return generatedTokens > 1 && decodeNanos > 0 ? (generatedTokens - 1) * 1e9 / decodeNanos : 0;
        }
    }

    /** Receives each token as it is produced. */
    public interface Listener {
        /**
         * @param pos    the position the token occupies
         * @param token  the token id
         * @param piece  the bytes it adds to the text (run.c's decode: leading space dropped after BOS)
         * @param logits the distribution it was sampled from (before sampling changed them), or null for prompt tokens
         *               and when {@link #wantsLogits()} is false; valid only during the call
         */
        void onToken(int pos, int token, byte[] piece, float[] logits);

        /** Whether {@link #onToken} needs the logits (copying them costs vocab_size floats per token). */
        default boolean wantsLogits() {
            return false;
        }
    }

    private final Transformer transformer;
    private final Tokenizer tokenizer;

    public Generator(Transformer transformer, Tokenizer tokenizer) {
        if (tokenizer.size() != transformer.config().vocabSize())
            throw new IllegalArgumentException("vocabulary mismatch: the tokenizer has " + tokenizer.size()
                    + " tokens, the model " + transformer.config().vocabSize());
        this.transformer = transformer;
        this.tokenizer = tokenizer;
    }

    public Transformer transformer() {
        return transformer;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Generates from scratch.
     *
     * @param prompt    token ids, BOS first (at least one)
     * @param steps     total positions including the prompt, as run.c's -n; 0 or more than the context = the context
     * @param stopAtEos also stop when EOS is sampled (run.c does not; a chat-like UI does)
     */
    public Result generate(int[] prompt, int steps, SamplerSettings settings, boolean stopAtEos,
                           Listener listener, BooleanSupplier cancelled) {
        // The cache holds only the positions this run can reach: a header claiming a huge context costs nothing.
        int seq = transformer.config().seqLen();
        int positions = steps <= 0 || steps > seq ? seq : steps;
        return generate(new KvCache(transformer.config(), positions), prompt, 0, steps, settings, stopAtEos, listener, cancelled);
    }

    /**
     * Continues a sequence whose first {@code reuse} tokens are already in the cache (0 = none): the cache entries
     * of positions below reuse are kept, which makes re-branching from an earlier token cheap.
     */
    public Result generate(KvCache cache, int[] prompt, int reuse, int steps, SamplerSettings settings,
                           boolean stopAtEos, Listener listener, BooleanSupplier cancelled) {
        int seq = transformer.config().seqLen();
        if (prompt.length < 1) throw new IllegalArgumentException("the prompt needs at least one token (BOS)");
        if (steps <= 0 || steps > seq) steps = seq;
        steps = Math.min(steps, cache.capacity());
        if (prompt.length > seq)
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens, more than the context of " + seq);
        Sampler sampler = new Sampler(transformer.config().vocabSize(), settings);
        int[] tokens = Arrays.copyOf(prompt, Math.max(steps + 1, prompt.length));
        int n = prompt.length;
        long t0 = System.nanoTime();
        // Prompt tokens that are only printed: run.c prints prompt[1 .. steps] even when steps cuts the prompt short.
        for (int pos = 0; pos < Math.min(n - 1, steps); pos++) {
            if (cancelled.getAsBoolean()) return new Result(Arrays.copyOf(tokens, pos + 1), n, 0, StopReason.CANCELLED, 0, 0, 0);
            listener.onToken(pos + 1, tokens[pos + 1], tokenizer.decode(tokens[pos], tokens[pos + 1]), null);
        }
        if (steps < n) return new Result(Arrays.copyOf(tokens, steps + 1), n, 0, StopReason.LENGTH, 0, 0, 0);
        reuse = Math.max(0, Math.min(reuse, n - 1));
        transformer.prefill(cache, tokens, reuse, n - 1 - reuse, reuse, false);
        long tPrefill = System.nanoTime();
        int token = tokens[n - 1];
        int generated = 0;
        long tFirst = 0;
        StopReason stop = StopReason.LENGTH;
        float[] copy = listener.wantsLogits() ? new float[transformer.config().vocabSize()] : null;
        for (int pos = n - 1; pos < steps; pos++) {
            if (cancelled.getAsBoolean()) {
                stop = StopReason.CANCELLED;
                break;
            }
            float[] logits = transformer.forward(cache, token, pos);
            if (copy != null) System.arraycopy(logits, 0, copy, 0, copy.length);
            int next = sampler.sample(logits, tokens, pos + 1);
            generated++;
            if (generated == 1) tFirst = System.nanoTime();
            if (next == tokenizer.bos()) {
                stop = StopReason.BOS;
                break;
            }
            tokens[pos + 1] = next;
            listener.onToken(pos + 1, next, tokenizer.decode(token, next), copy);
            token = next;
            if (stopAtEos && next == tokenizer.eos()) {
                stop = StopReason.EOS;
                break;
            }
        }
        long tEnd = System.nanoTime();
        int length = n + generated - (stop == StopReason.BOS ? 1 : 0);
        return new Result(Arrays.copyOf(tokens, length), n, generated, stop, tPrefill - t0,
                tFirst == 0 ? 0 : tFirst - t0, tFirst == 0 ? 0 : tEnd - tFirst);
    }
}

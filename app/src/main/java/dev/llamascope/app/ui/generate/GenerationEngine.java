package dev.llamascope.app.ui.generate;

import dev.llamascope.app.ui.concurrent.ComputeLane;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.engine.inference.Generator;
import dev.llamascope.engine.inference.KvCache;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.tokenizer.Utf8Stream;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The engine side of the Generate pane (no JavaFX): keeps, between generations, the
 * transformer and the KV cache of the current model together with the last story's tokens, so that
 * <ul>
 *   <li>a branch from token p reuses the cache below p (only the new tail is computed), and</li>
 *   <li>a new story whose prompt starts like the last one skips the shared prefix.</li>
 * </ul>
 * Runs one generation at a time (synchronized); the events go to a consumer that must not block. The compute pool
 * is borrowed from a {@link ComputeLane} for each run, so a generation never runs beside an inspection on the same
 * cores; the warm-up borrows it as yielding work, which stops as soon as anyone else asks.
 */
public final class GenerationEngine {
    private final ComputeLane lane;
    private final boolean ownsLane;
    private ModelHandle model;
    private ComputePool pool;
    private Generator generator;
    private KvCache cache;
    private int[] tokens = new int[0];
    private int cacheValid; // positions 0 .. cacheValid-1 of the cache hold the K/V of tokens[0 .. cacheValid)
    private int lastSteps;

    /** With a lane of its own (tests, benchmarks): nothing else competes for its pool. */
    public GenerationEngine() {
        this(new ComputeLane(), true);
    }

    /** Borrowing the app's compute pool from its lane. */
    public GenerationEngine(ComputeLane lane) {
        this(lane, false);
    }

    private GenerationEngine(ComputeLane lane, boolean ownsLane) {
        this.lane = lane;
        this.ownsLane = ownsLane;
    }

    /** Runs one request to the end (or until cancelled), sending Started, Token* and Finished or Failed. */
    public synchronized void run(ModelHandle handle, GenerationRequest req, Consumer<StreamEvent> out, BooleanSupplier cancelled) {
        if (!handle.acquire()) {
            out.accept(new StreamEvent.Failed(new IllegalStateException("the model was unloaded")));
            return;
        }
        ComputeLane.Lease lease;
        try {
            lease = lane.acquire(req.threads(), cancelled, null, ComputeLane.WaitListener.NONE);
        } catch (java.util.concurrent.CancellationException e) {
            // Stopped while waiting for the pool (an inspection had it): nothing was written, nothing changed.
            handle.release();
            out.accept(new StreamEvent.Finished(new Generator.Result(tokens.clone(), 0, 0, Generator.StopReason.CANCELLED, 0, 0, 0), ""));
            return;
        }
        try (lease) {
            prepare(handle, lease.pool());
            Tokenizer tok = generator.tokenizer();
            int seq = generator.transformer().config().seqLen();
            int[] prompt;
            int steps, reuse, firstPos;
            if (req.isBranch()) {
                int p = req.branchPos();
                if (p < 1 || p >= tokens.length)
                    throw new IllegalArgumentException("cannot branch at position " + p + ": the story has " + tokens.length + " tokens");
                prompt = Arrays.copyOf(tokens, p + 1);
                prompt[p] = req.branchToken();
                steps = Math.min(seq, Math.max(lastSteps, p + 1));
                reuse = Math.min(p, cacheValid);
                firstPos = p;
            } else {
                prompt = tok.encode(req.prompt(), true, false);
                if (prompt.length > seq)
                    throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens, more than the model's context of " + seq);
                steps = (int) Math.min(seq, (long) prompt.length - 1 + req.maxTokens());
                reuse = Math.min(commonPrefix(tokens, prompt), cacheValid);
                firstPos = 1;
            }
            out.accept(new StreamEvent.Started(req.isBranch() ? -1 : prompt.length, seq, firstPos));
            int branchPos = req.branchPos();
            TokenOdds branchOdds = req.branchOdds();
            int vocab = generator.transformer().config().vocabSize();
            Utf8Stream text = new Utf8Stream(true);
            int promptLength = prompt.length;
            Generator.Listener listener = new Generator.Listener() {
                @Override
                public void onToken(int pos, int token, byte[] piece, float[] logits) {
                    String s = isControlByte(piece) ? "" : text.feed(piece);
                    if (pos < firstPos) return; // the shared prefix of a branch is already on screen
                    StoryToken t;
                    if (logits != null) {
                        t = new StoryToken(pos, token, s, false, TokenOdds.of(logits, vocab, token, TokenOdds.TOP_K));
                    } else if (pos == branchPos && branchOdds != null) {
                        t = new StoryToken(pos, token, s, false, branchOdds.withChosen(token));
                    } else {
                        t = new StoryToken(pos, token, s, pos < promptLength, null);
                    }
                    out.accept(new StreamEvent.Token(t, System.nanoTime()));
                }

                @Override
                public boolean wantsLogits() {
                    return true;
                }
            };
            Generator.Result r = generator.generate(cache, prompt, reuse, steps, req.sampler(), true, listener, cancelled);
            tokens = r.tokens();
            lastSteps = steps;
            cacheValid = r.generatedTokens() == 0 ? 0
                    : tokens.length - (r.stopReason() == Generator.StopReason.BOS ? 0 : 1);
            out.accept(new StreamEvent.Finished(r, text.finish()));
        } catch (Throwable t) {
            // The cache may hold a half-written position: start the next story from scratch.
            tokens = new int[0];
            cacheValid = 0;
            out.accept(new StreamEvent.Failed(t));
        } finally {
            handle.release();
        }
    }

    /**
     * Runs the model for a moment on a throw-away story, so that the JIT compiles the kernels before the user's
     * first generation (a cold JVM runs the Vector API code many times slower). Stops after {@code positions}
     * positions or when cancelled; leaves no story behind.
     */
    public synchronized void warmUp(ModelHandle handle, int threads, int positions, dev.llamascope.app.ui.concurrent.CancelToken cancelled) {
        if (!handle.acquire()) return;
        ComputeLane.Lease lease;
        try {
            lease = lane.acquire(threads, cancelled, cancelled::cancel, ComputeLane.WaitListener.NONE);
        } catch (java.util.concurrent.CancellationException e) {
            handle.release();
            return;
        }
        try (lease) {
            prepare(handle, lease.pool());
            int vocab = generator.transformer().config().vocabSize();
            Generator.Listener sink = new Generator.Listener() {
                @Override
                public void onToken(int pos, int token, byte[] piece, float[] logits) {
                    if (logits != null) TokenOdds.of(logits, vocab, token, TokenOdds.TOP_K);
                }

                @Override
                public boolean wantsLogits() {
                    return true;
                }
            };
            int[] prompt = generator.tokenizer().encode("Once upon a time", true, false);
            int steps = Math.min(generator.transformer().config().seqLen(), positions);
            generator.generate(cache, prompt, 0, steps, dev.llamascope.engine.inference.SamplerSettings.runC(1f, 0.9f, 1), false, sink, cancelled);
        } finally {
            tokens = new int[0];
            cacheValid = 0;
            handle.release();
        }
    }

    /** The last story's token ids (BOS first). */
    public synchronized int[] tokens() {
        return tokens.clone();
    }

    /** Forgets the model, and closes the lane when it is this engine's own (at exit). */
    public synchronized void close() {
        if (ownsLane) lane.close();
        pool = null;
        generator = null;
        cache = null;
        model = null;
        tokens = new int[0];
        cacheValid = 0;
    }

    private void prepare(ModelHandle handle, ComputePool lent) {
        if (handle != model) {
            model = handle;
            cache = new KvCache(handle.loaded().model().config());
            tokens = new int[0];
            cacheValid = 0;
            generator = null;
        }
        if (pool != lent) { // the lane made a new pool (another thread count): the transformer must use it
            pool = lent;
            generator = null;
        }
        if (generator == null)
            generator = new Generator(new Transformer(handle.loaded().model(), pool), handle.loaded().tokenizer());
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length), i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }

    /**
     * A single ASCII control byte other than white space (a sampled byte token such as &lt;0x05&gt;): not text;
     * run.c does not print it either.
     */
    static boolean isControlByte(byte[] piece) {
        if (piece.length != 1) return false;
        int b = piece[0] & 0xff;
        return (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != 0x0b && b != 0x0c) || b == 0x7f;
    }
}

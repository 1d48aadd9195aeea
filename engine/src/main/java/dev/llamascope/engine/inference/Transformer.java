package dev.llamascope.engine.inference;

import dev.llamascope.engine.model.LayerWeights;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.tensor.Activation;
import dev.llamascope.engine.tensor.AttentionScores;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tensor.FloatScratch;
import dev.llamascope.engine.tensor.Half;
import dev.llamascope.engine.tensor.Kernels;
import dev.llamascope.engine.tensor.Matrix;
import dev.llamascope.engine.tensor.PrefillBatch;
import dev.llamascope.engine.tensor.Q4_0Matrix;

/**
 * The Llama-2 forward pass, in run.c's order: embedding, then per layer RMSNorm, q/k/v, RoPE, causal attention
 * with GQA, output projection and residual, RMSNorm, SwiGLU and residual; final RMSNorm and the classifier.
 *
 * <p>Two entry points: {@link #forward} runs one token (decode: memory-bound matrix-vector products split across
 * the pool) and {@link #prefill} runs a block of prompt tokens at once (compute-bound matrix-matrix products
 * through {@link Gemm}). Both write the same KV cache. Not thread-safe: one generation per instance at a time.
 */
public final class Transformer {
    /** Prompt tokens processed per prefill block: bounds the activation buffers (block x hidden_dim floats). */
    public static final int PREFILL_BLOCK = 256;

    private final LlamaModel model;
    private final ModelConfig c;
    private final ComputePool pool;
    private final Rope rope;
    private final float attnScale;

    // decode buffers
    private final float[] x;
    private final Activation xb, hb, xFinal;
    private final float[] q, xb2, hb2, att, logits, cos, sin;
    // prefill buffers, allocated on first use
    private float[] px, pxb, pq, pxb2, ph1, ph3, patt;
    /** The normed inputs (in pxb: of q, k, v, then of w1, w3), the attention mix (pxb2, of wo), the gated hidden (ph1, of w2). */
    private PrefillBatch normed, mixed, gated;
    /** The rotary angles of a prefill block's positions: row i (head_size / 2 values) for position pos0 + i. */
    private float[] pcos, psin;

    private Probe probe;
    private boolean halfPrecisionAttention;

    public Transformer(LlamaModel model, ComputePool pool) {
        this.model = model;
        this.c = model.config();
        this.pool = pool;
        this.rope = new Rope(c.headSize(), c.ropeTheta());
        this.attnScale = (float) Math.sqrt(c.headSize());
        x = new float[c.dim()];
        xb = new Activation(c.dim());
        xFinal = new Activation(c.dim());
        hb = new Activation(c.hiddenDim());
        q = new float[c.dim()];
        xb2 = new float[c.dim()];
        hb2 = new float[c.hiddenDim()];
        att = new float[(int) Math.min((long) c.nHeads() * c.seqLen(), Integer.MAX_VALUE - 16)];
        logits = new float[c.vocabSize()];
        cos = new float[c.headSize() / 2];
        sin = new float[c.headSize() / 2];
    }

    public ModelConfig config() {
        return c;
    }

    public LlamaModel model() {
        return model;
    }

    public ComputePool pool() {
        return pool;
    }

    /** Records internals on the following forward passes; null turns recording off (and costs nothing). */
    public void setProbe(Probe probe) {
        this.probe = probe;
    }

    /**
     * Rounds what attention reads to fp16, as llama.cpp does with its default fp16 KV cache: keys and values as they
     * enter the cache, the query, and the attention weights before they weigh the values. Off by default (run.c's
     * fp32 numerics); on, greedy output of GGUF models follows llama.cpp's where fp32 attention diverges on close calls.
     * Set it before the first token of a cache.
     */
    public void setHalfPrecisionAttention(boolean on) {
        this.halfPrecisionAttention = on;
    }

    public boolean halfPrecisionAttention() {
        return halfPrecisionAttention;
    }

    /** Runs one token at a position; returns the logits (a buffer reused by the next call). */
    public float[] forward(KvCache cache, int token, int pos) {
        checkPosition(cache, pos, 1);
        checkToken(token);
        int dim = c.dim(), kvDim = c.kvDim(), hidden = c.hiddenDim();
        Probe p = probe;
        model.tokenEmbedding().readRow(token, x, 0);
        if (p != null) p.activation(Probe.Site.EMBEDDING, -1, pos, x, 0, dim);
        rope.angles(pos, cos, sin); // one position: the same angles in every layer
        for (int l = 0; l < c.nLayers(); l++) {
            LayerWeights w = model.layers().get(l);
            float[] kc = cache.keys[l], vc = cache.values[l];
            Kernels.rmsnorm(xb.data, 0, x, 0, w.attnNorm(), dim, c.rmsEps());
            xb.changed();
            matvecs(xb, w.wq(), q, 0, w.wk(), kc, pos * kvDim, w.wv(), vc, pos * kvDim);
            if (p != null) {
                p.activation(Probe.Site.ATTN_NORM, l, pos, xb.data, 0, dim);
                p.activation(Probe.Site.Q, l, pos, q, 0, dim);
                p.activation(Probe.Site.K, l, pos, kc, pos * kvDim, kvDim);
                p.activation(Probe.Site.V, l, pos, vc, pos * kvDim, kvDim);
            }
            rope.rotate(q, 0, dim, cos, sin);
            rope.rotate(kc, pos * kvDim, kvDim, cos, sin);
            if (halfPrecisionAttention) roundToHalf(q, 0, dim, kc, vc, pos * kvDim, kvDim);
            if (p != null) {
                p.activation(Probe.Site.Q_ROPE, l, pos, q, 0, dim);
                p.activation(Probe.Site.K_ROPE, l, pos, kc, pos * kvDim, kvDim);
            }
            attention(l, q, 0, kc, vc, pos, xb.data, 0, att);
            xb.changed();
            matvecs(xb, w.wo(), xb2, 0, null, null, 0, null, null, 0);
            if (p != null) {
                p.activation(Probe.Site.ATTN_MIX, l, pos, xb.data, 0, dim);
                p.activation(Probe.Site.ATTN_OUT, l, pos, xb2, 0, dim);
            }
            Kernels.add(x, 0, xb2, 0, dim);
            Kernels.rmsnorm(xb.data, 0, x, 0, w.ffnNorm(), dim, c.rmsEps());
            xb.changed();
            matvecs(xb, w.w1(), hb.data, 0, w.w3(), hb2, 0, null, null, 0);
            if (p != null) {
                p.activation(Probe.Site.FFN_NORM, l, pos, xb.data, 0, dim);
                p.activation(Probe.Site.W1, l, pos, hb.data, 0, hidden);
                p.activation(Probe.Site.W3, l, pos, hb2, 0, hidden);
            }
            Kernels.swiglu(hb.data, 0, hb2, 0, hidden);
            hb.changed();
            matvecs(hb, w.w2(), xb2, 0, null, null, 0, null, null, 0);
            Kernels.add(x, 0, xb2, 0, dim);
            if (p != null) {
                p.activation(Probe.Site.SWIGLU, l, pos, hb.data, 0, hidden);
                p.activation(Probe.Site.FFN_OUT, l, pos, xb2, 0, dim);
                p.residual(l, pos, x, 0);
            }
        }
        Kernels.rmsnorm(xFinal.data, 0, x, 0, model.finalNorm(), dim, c.rmsEps());
        xFinal.changed();
        matvecs(xFinal, model.classifier(), logits, 0, null, null, 0, null, null, 0);
        if (p != null) {
            p.activation(Probe.Site.FINAL_NORM, -1, pos, xFinal.data, 0, dim);
            p.logits(pos, logits);
        }
        return logits;
    }

    /**
     * Runs {@code count} prompt tokens starting at {@code pos0}, filling the KV cache; returns the logits of the
     * last one when {@code wantLogits}, else null (the classifier is skipped: it is the largest matrix of small models).
     */
    public float[] prefill(KvCache cache, int[] tokens, int from, int count, int pos0, boolean wantLogits) {
        checkPosition(cache, pos0, count);
        for (int i = 0; i < count; i++) checkToken(tokens[from + i]);
        if (count == 1) {
            float[] r = null;
            for (int i = 0; i < count; i++) r = forward(cache, tokens[from + i], pos0 + i);
            return wantLogits ? r : null;
        }
        for (int done = 0; done < count; done += PREFILL_BLOCK) {
            int n = Math.min(PREFILL_BLOCK, count - done);
            prefillBlock(cache, tokens, from + done, n, pos0 + done);
            Probe p = probe;
            if (p != null) probeBlockOutputs(p, n, pos0 + done);
        }
        if (!wantLogits) return null;
        int dim = c.dim();
        int last = (count - 1) % PREFILL_BLOCK;
        Kernels.rmsnorm(xFinal.data, 0, px, last * dim, model.finalNorm(), dim, c.rmsEps());
        xFinal.changed();
        matvecs(xFinal, model.classifier(), logits, 0, null, null, 0, null, null, 0);
        System.arraycopy(px, last * dim, x, 0, dim);
        return logits;
    }

    private void prefillBlock(KvCache cache, int[] tokens, int from, int n, int pos0) {
        int dim = c.dim(), kvDim = c.kvDim(), hidden = c.hiddenDim();
        Probe p = probe;
        ensurePrefillBuffers();
        for (int i = 0; i < n; i++) model.tokenEmbedding().readRow(tokens[from + i], px, i * dim);
        if (p != null) probeRows(p, Probe.Site.EMBEDDING, -1, pos0, n, px, 0, dim);
        // The rotary angles of the block's positions, once for all layers (they were 64 cos/sin per token and layer
        // for the 42M shape, on the calling thread while the other waited); per-token steps below run on all threads.
        int half = c.headSize() / 2;
        pool.parallelFor(n, (s, e) -> {
            for (int i = s; i < e; i++) rope.angles(pos0 + i, pcos, psin, i * half);
        });
        for (int l = 0; l < c.nLayers(); l++) {
            LayerWeights w = model.layers().get(l);
            float[] kc = cache.keys[l], vc = cache.values[l];
            rmsnormRows(px, pxb, n, w.attnNorm());
            normed.fresh(n); // q, k and v share its quantization
            gemm(normed, w.wq(), pq, 0, dim);
            gemm(normed, w.wk(), kc, pos0 * kvDim, kvDim);
            gemm(normed, w.wv(), vc, pos0 * kvDim, kvDim);
            if (p != null) {
                probeRows(p, Probe.Site.ATTN_NORM, l, pos0, n, pxb, 0, dim);
                probeRows(p, Probe.Site.Q, l, pos0, n, pq, 0, dim);
                probeRows(p, Probe.Site.K, l, pos0, n, kc, pos0 * kvDim, kvDim);
                probeRows(p, Probe.Site.V, l, pos0, n, vc, pos0 * kvDim, kvDim);
            }
            pool.parallelFor(n, (s, e) -> {
                for (int i = s; i < e; i++) {
                    rope.rotate(pq, i * dim, dim, pcos, psin, i * half);
                    rope.rotate(kc, (pos0 + i) * kvDim, kvDim, pcos, psin, i * half);
                    if (halfPrecisionAttention) roundToHalf(pq, i * dim, dim, kc, vc, (pos0 + i) * kvDim, kvDim);
                }
            });
            if (p != null) {
                probeRows(p, Probe.Site.Q_ROPE, l, pos0, n, pq, 0, dim);
                probeRows(p, Probe.Site.K_ROPE, l, pos0, n, kc, pos0 * kvDim, kvDim);
            }
            final int nn = n, layer = l;
            int heads = c.nHeads(), seq = c.seqLen(), hs = c.headSize(), quads = (nn + 3) / 4;
            // Jobs of four consecutive queries of one head: their scores share each key's load from L2
            // (AttentionScores.scaledQuad) and their weighted sums each value row's load (Kernels.weightedSumQuad);
            // every query's arithmetic is the same as alone, as in decode.
            pool.parallelFor(quads * heads, 1, (s, e) -> {
                float[] scores = SCORES.get(4 * seq);
                for (int job = s; job < e; job++) {
                    int i0 = job / heads * 4, h = job % heads, count = Math.min(4, nn - i0);
                    int kvOff = kvOffset(h), xo = i0 * dim + h * hs;
                    if (count == 4) {
                        AttentionScores.scaledQuad(pq, xo, dim, kc, kvOff, kvDim, hs, attnScale, scores, 0, seq, pos0 + i0 + 1);
                        for (int r = 0; r < 4; r++) weightsFromScores(h, pos0 + i0 + r, scores, r * seq, p, layer);
                        Kernels.weightedSumQuad(scores, 0, seq, pos0 + i0 + 1, vc, kvOff, kvDim, pxb2, xo, dim, hs);
                    } else {
                        for (int r = 0; r < count; r++) {
                            headWeights(h, pq, (i0 + r) * dim, kc, pos0 + i0 + r, scores, r * seq, p, layer);
                            Kernels.weightedSum(scores, r * seq, pos0 + i0 + r + 1, vc, kvOff, kvDim, pxb2, xo + r * dim, hs);
                        }
                    }
                }
            });
            gemm(mixed.fresh(n), w.wo(), pxb, 0, dim);
            if (p != null) {
                probeRows(p, Probe.Site.ATTN_MIX, l, pos0, n, pxb2, 0, dim);
                probeRows(p, Probe.Site.ATTN_OUT, l, pos0, n, pxb, 0, dim);
            }
            addRows(px, pxb, n);
            rmsnormRows(px, pxb, n, w.ffnNorm());
            normed.fresh(n); // w1 and w3 share its quantization
            gemm(normed, w.w1(), ph1, 0, hidden);
            gemm(normed, w.w3(), ph3, 0, hidden);
            if (p != null) {
                probeRows(p, Probe.Site.FFN_NORM, l, pos0, n, pxb, 0, dim);
                probeRows(p, Probe.Site.W1, l, pos0, n, ph1, 0, hidden);
                probeRows(p, Probe.Site.W3, l, pos0, n, ph3, 0, hidden);
            }
            pool.parallelFor(n, (s, e) -> {
                for (int i = s; i < e; i++) Kernels.swiglu(ph1, i * hidden, ph3, i * hidden, hidden);
            });
            gemm(gated.fresh(n), w.w2(), pxb, 0, dim);
            addRows(px, pxb, n);
            if (p != null) {
                probeRows(p, Probe.Site.SWIGLU, l, pos0, n, ph1, 0, hidden);
                probeRows(p, Probe.Site.FFN_OUT, l, pos0, n, pxb, 0, dim);
                for (int i = 0; i < n; i++) p.residual(l, pos0 + i, px, i * dim);
            }
        }
    }

    /** Reports one activation of each of n rows (row i at buf[off + i * width ..]) at positions pos0 .. pos0 + n - 1. */
    private static void probeRows(Probe p, Probe.Site site, int layer, int pos0, int n, float[] buf, int off, int width) {
        for (int i = 0; i < n; i++) p.activation(site, layer, pos0 + i, buf, off + i * width, width);
    }

    /**
     * With a probe: the final norm of every row of a prefilled block, and, when the probe asks, the logits of every
     * row through the classifier's matrix-matrix kernel, in chunks (equal to decode's within float rounding). Runs
     * after the block, on buffers the block no longer needs, so the KV cache and the returned logits are unchanged.
     */
    private void probeBlockOutputs(Probe p, int n, int pos0) {
        int dim = c.dim(), vocab = c.vocabSize();
        for (int i = 0; i < n; i++) Kernels.rmsnorm(pxb, i * dim, px, i * dim, model.finalNorm(), dim, c.rmsEps());
        probeRows(p, Probe.Site.FINAL_NORM, -1, pos0, n, pxb, 0, dim);
        if (!p.logitsAtEveryPosition()) return;
        int chunk = Math.max(1, Math.min(n, (1 << 22) / vocab));
        float[] out = new float[chunk * vocab];
        for (int i0 = 0; i0 < n; i0 += chunk) {
            int m = Math.min(chunk, n - i0);
            float[] in = java.util.Arrays.copyOfRange(pxb, i0 * dim, (i0 + m) * dim);
            model.classifier().matmul(pool, in, m, out, 0, vocab);
            for (int i = 0; i < m; i++) {
                System.arraycopy(out, i * vocab, logits, 0, vocab);
                p.logits(pos0 + i0 + i, logits);
            }
        }
    }

    /** dst row i = rmsnorm(src row i) for the block's n rows of dim values, on all threads. */
    private void rmsnormRows(float[] src, float[] dst, int n, float[] gain) {
        int dim = c.dim();
        pool.parallelFor(n, (s, e) -> {
            for (int i = s; i < e; i++) Kernels.rmsnorm(dst, i * dim, src, i * dim, gain, dim, c.rmsEps());
        });
    }

    /** The residual: x rows += y rows for the block's n rows, on all threads. */
    private void addRows(float[] x, float[] y, int n) {
        int dim = c.dim();
        pool.parallelFor(n, (s, e) -> Kernels.add(x, s * dim, y, s * dim, (e - s) * dim));
    }

    /** out[off + i * ldc + o] = sum_k in(i, k) * W[o][k] for the rows of a batch. */
    private void gemm(PrefillBatch in, Matrix w, float[] out, int off, int ldc) {
        w.matmul(pool, in, out, off, ldc);
    }

    private void ensurePrefillBuffers() {
        if (px != null) return;
        int b = PREFILL_BLOCK;
        px = new float[b * c.dim()];
        pxb = new float[b * Math.max(c.dim(), c.hiddenDim())];
        pq = new float[b * c.dim()];
        pxb2 = new float[b * c.dim()];
        ph1 = new float[b * c.hiddenDim()];
        normed = new PrefillBatch(pxb, c.dim());
        mixed = new PrefillBatch(pxb2, c.dim());
        gated = new PrefillBatch(ph1, c.hiddenDim());
        ph3 = new float[b * c.hiddenDim()];
        pcos = new float[b * (c.headSize() / 2)];
        psin = new float[b * (c.headSize() / 2)];
    }

    /** Multi-head attention of one query position: every head in parallel. */
    private void attention(int layer, float[] qv, int qo, float[] kc, float[] vc, int pos, float[] out, int oo, float[] scores) {
        int heads = c.nHeads(), seq = c.seqLen();
        Probe p = probe;
        pool.parallelFor(heads, 1, (s, e) -> {
            for (int h = s; h < e; h++) attendHead(h, qv, qo, kc, vc, pos, out, oo, scores, h * seq, p, layer);
        });
    }

    /**
     * Prefill attention's score buffer per thread: a new one per (token, head) job was 150 MB of garbage per 256-token
     * prompt of the 110M shape, and with it a young collection (about 0.1 s) every few prompts.
     */
    private static final FloatScratch SCORES = new FloatScratch();

    /**
     * One head: scores against keys 0..pos, softmax, weighted sum of values into out[oo + h * head_size ...].
     * A probe (null when off) sees the scores before and the weights after the softmax.
     */
    private void attendHead(int h, float[] qv, int qo, float[] kc, float[] vc, int pos, float[] out, int oo,
                            float[] scores, int so, Probe p, int layer) {
        headWeights(h, qv, qo, kc, pos, scores, so, p, layer);
        Kernels.weightedSum(scores, so, pos + 1, vc, kvOffset(h), c.kvDim(), out, oo + h * c.headSize(), c.headSize());
    }

    /** Where head h's keys and values start in a cache row (heads share them under grouped-query attention). */
    private int kvOffset(int h) {
        return (h / (c.nHeads() / c.nKvHeads())) * c.headSize();
    }

    /** Head h's attention weights of the query at qv[qo ..] over keys 0..pos into scores[so ..], seen by the probe. */
    private void headWeights(int h, float[] qv, int qo, float[] kc, int pos, float[] scores, int so, Probe p, int layer) {
        int hs = c.headSize(), kvDim = c.kvDim(), kvOff = kvOffset(h), qh = qo + h * hs;
        AttentionScores.scaled(qv, qh, kc, kvOff, kvDim, hs, attnScale, scores, so, pos + 1);
        weightsFromScores(h, pos, scores, so, p, layer);
    }

    /** Head h's scores of the query at position pos (scores[so .. so + pos]) into its attention weights, seen by the probe. */
    private void weightsFromScores(int h, int pos, float[] scores, int so, Probe p, int layer) {
        if (p != null) p.scores(layer, h, pos, scores, so, pos + 1);
        Kernels.softmax(scores, so, pos + 1);
        if (halfPrecisionAttention) Half.round(scores, so, pos + 1);
        if (p != null) p.attention(layer, h, pos, scores, so, pos + 1);
    }

    private static void roundToHalf(float[] q, int qo, int dim, float[] kc, float[] vc, int kvo, int kvDim) {
        Half.round(q, qo, dim);
        Half.round(kc, kvo, kvDim);
        Half.round(vc, kvo, kvDim);
    }

    /**
     * Up to three matrix-vector products of one input in one parallel loop (q, k, v share xb; w1, w3 share it too):
     * one dispatch instead of three, and the threads stay busy across the boundaries.
     */
    private void matvecs(Activation in, Matrix m1, float[] o1, int off1, Matrix m2, float[] o2, int off2,
                         Matrix m3, float[] o3, int off3) {
        m1.prepare(in);
        if (m2 != null) m2.prepare(in);
        if (m3 != null) m3.prepare(in);
        int r1 = m1.rows(), r2 = m2 == null ? 0 : m2.rows(), r3 = m3 == null ? 0 : m3.rows();
        int total = r1 + r2 + r3;
        long bytes = m1.byteSize() + (m2 == null ? 0 : m2.byteSize()) + (m3 == null ? 0 : m3.byteSize());
        int chunks = chunkCount(bytes, pool.threads());
        // Chunks of whole row groups: Q4_0 computes rows in groups, and a chunk ending inside one computes it twice.
        int grain = Math.max(1, (total + chunks - 1) / chunks), group = Q4_0Matrix.ROW_GROUP;
        if (total >= group * chunks) grain = (grain + group - 1) / group * group;
        pool.parallelFor(total, grain, (s, e) -> {
            runRange(m1, in, o1, off1, s, e, 0);
            if (m2 != null) runRange(m2, in, o2, off2, s, e, r1);
            if (m3 != null) runRange(m3, in, o3, off3, s, e, r1 + r2);
        });
    }

    /**
     * Chunks for a parallel matrix-vector product of this many bytes of weights: about 64 KB each, at most 16 per
     * thread, small enough that the thread finishing last waits little (a 37 MB classifier in 8 chunks left one core
     * idle for ~6% of it) and large enough to stream. At least one per thread and a multiple of the thread count:
     * quantized weights are small, and with 64 KB alone the 15M shape's Q4_0 wo (47 KB) and w2 (124 KB) ran on one
     * thread while the other waited, and w1 + w3 (248 KB) split 2:1. Below 16 KB (e.g. stories260K) one thread,
     * as the work is shorter than the hand-off.
     */
    static int chunkCount(long bytes, int threads) {
        if (bytes < 16 * 1024 || threads == 1) return 1;
        long c = Math.max(threads, Math.min(bytes / (64 * 1024), threads * 16L));
        return (int) ((c + threads - 1) / threads * threads);
    }

    /** The part of the global row range [s, e) that falls on matrix m, whose rows start at global index base. */
    private static void runRange(Matrix m, Activation in, float[] out, int off, int s, int e, int base) {
        int lo = Math.max(s, base) - base, hi = Math.min(e, base + m.rows()) - base;
        if (lo < hi) m.matvec(in, out, off, lo, hi);
    }

    private void checkPosition(KvCache cache, int pos, int count) {
        if (pos < 0 || pos + count > cache.capacity || pos + count > c.seqLen())
            throw new IllegalArgumentException("positions " + pos + ".." + (pos + count - 1) + " exceed the context of " + Math.min(cache.capacity, c.seqLen()) + " tokens");
    }

    private void checkToken(int token) {
        if (token < 0 || token >= c.vocabSize())
            throw new IllegalArgumentException("token id " + token + " outside the vocabulary of " + c.vocabSize());
    }
}

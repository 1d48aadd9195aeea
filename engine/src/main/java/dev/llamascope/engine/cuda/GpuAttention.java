package dev.llamascope.engine.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * Causal softmax attention with grouped-query heads on the GPU, forward and backward, for one batch shape: the four
 * products per layer are strided batched GEMMs over head-major buffers (cuBLAS, or our tiled kernel), the rest is
 * attention.cu's kernels. This is how PyTorch's eager attention works; the first GPU trainer had one warp per row of
 * the attention matrix doing the dot products itself, which cost 93 ms of a 162 ms stories110M step on an H100.
 *
 * <p>Head-major means {@code [B, H, T, hs]}: head (b, h) is one {@code T x hs} matrix, so the products for every
 * head are one call with a fixed stride. With grouped-query attention (H query heads share one of NKV key/value
 * heads, {@code group = H / NKV}) query head {@code h = kvh * group + g}: the products run once per {@code g}, over the
 * {@code B * NKV} key/value heads, and the key/value gradients add up over the group.
 *
 * <p>Numerics are the CPU trainer's: scores scaled by 1/sqrt(hs), softmax over u <= t, attention dropout on the
 * probabilities with element (b, h, t, u) of the {@code [B, NH, T, T]} array as its index in the stream.
 *
 * <p>It owns the backward pass's scratch (the gradients in head-major form and one {@code [B, NH, T, T]} array).
 */
final class GpuAttention implements AutoCloseable {
    private final Accelerator acc;
    private final Matmul mm;
    final int batch, seq, heads, kvHeads, headSize, group;
    private final long headMatrix, scoreMatrix;  // floats per (b, h) in head-major buffers and in [B, NH, T, T]
    private final DevicePtr headScratch, dqh, dkh, dvh, scores;
    private final List<DevicePtr> owned = new ArrayList<>();

    GpuAttention(Accelerator acc, int batch, int seq, int heads, int kvHeads, int headSize) {
        if (batch < 1 || seq < 1 || headSize < 1 || kvHeads < 1 || heads % kvHeads != 0)
            throw new IllegalArgumentException("attention shape B" + batch + " T" + seq + " NH" + heads + " NKV" + kvHeads + " hs" + headSize);
        this.acc = acc;
        this.mm = acc.matmul();
        this.batch = batch;
        this.seq = seq;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headSize = headSize;
        this.group = heads / kvHeads;
        this.headMatrix = (long) seq * headSize;
        this.scoreMatrix = (long) seq * seq;
        boolean ok = false;
        try {
            long q = (long) batch * heads * headMatrix, kv = (long) batch * kvHeads * headMatrix;
            headScratch = floats(q);
            dqh = floats(q);
            dkh = floats(kv);
            dvh = floats(kv);
            scores = floats(probabilityCount());
            ok = true;
        } finally {
            if (!ok) close();
        }
    }

    /** Floats of one {@code [B, NH, T, T]} probability array (a layer's saved activation). */
    long probabilityCount() {
        return (long) batch * heads * scoreMatrix;
    }

    /** Device bytes this object allocates (the estimate {@link CudaTrainer#estimateBytes} adds). */
    static long scratchBytes(int batch, int seq, int heads, int kvHeads, int headSize) {
        long n = (long) batch * seq;
        return 4 * (n * headSize * (2L * heads + 2L * kvHeads) + (long) batch * heads * seq * seq);
    }

    /** The score gradients of the last {@link #backward} ({@code [B, NH, T, T]}), for the kernel checks. */
    DevicePtr scoreGradients() {
        return scores;
    }

    private DevicePtr floats(long count) {
        DevicePtr p = acc.alloc(4 * Math.max(1, count));
        owned.add(p);
        return p;
    }

    /** Token-major {@code x [B*T, H*hs]} into head-major {@code xh [B, H, T, hs]}. */
    void toHeads(DevicePtr xh, DevicePtr x, int h) {
        long count = (long) batch * seq * h * headSize;
        acc.launch("heads_from_tokens", Dim3.cover(count, 256), Dim3.of(256), xh, x, batch, seq, h, headSize);
    }

    /** Head-major {@code xh} back into token-major {@code x}. */
    void toTokens(DevicePtr x, DevicePtr xh, int h) {
        long count = (long) batch * seq * h * headSize;
        acc.launch("tokens_from_heads", Dim3.cover(count, 256), Dim3.of(256), x, xh, batch, seq, h, headSize);
    }

    /** One operand of the batched products: a base pointer and the floats between consecutive products' matrices. */
    private record Heads(DevicePtr base, long stride) {}

    /** A per-query-head buffer seen from the products for group member {@code g} (query heads kvh * group + g). */
    private Heads query(DevicePtr x, long perHead, int g) {
        return new Heads(x.plusFloats(g * perHead), group * perHead);
    }

    /** A per-key/value-head buffer. */
    private static Heads kv(DevicePtr x, long perHead) {
        return new Heads(x, perHead);
    }

    /** One product per key/value head of every row of the batch ({@code B * NKV} of them), in one call. */
    private void batched(boolean ta, boolean tb, int m, int n, int k, float alpha, Heads a, int lda, Heads b, int ldb,
                         float beta, Heads c, int ldc) {
        mm.gemmBatched(ta, tb, m, n, k, alpha, a.base, lda, a.stride, b.base, ldb, b.stride, beta, c.base, ldc, c.stride,
                batch * kvHeads);
    }

    /**
     * Forward: {@code att} (the layer's saved {@code [B, NH, T, T]} probabilities, before dropout) from head-major
     * {@code qh}, {@code kh}; then token-major {@code y [B*T, NH*hs]} from them and {@code vh}.
     */
    void forward(DevicePtr y, DevicePtr att, DevicePtr qh, DevicePtr kh, DevicePtr vh, float dropout, long stream) {
        int T = seq, hs = headSize;
        float scale = (float) (1.0 / Math.sqrt(hs));
        long hm = headMatrix, sm = scoreMatrix;
        for (int g = 0; g < group; g++)  // scores = scale * Q K^T, every (t, u); the softmax masks u > t
            batched(false, true, T, T, hs, scale, query(qh, hm, g), hs, kv(kh, hm), hs, 0f, query(att, sm, g), T);
        long rows = (long) batch * heads * T;
        acc.launch("attention_softmax_causal", Dim3.cover(rows, 8), Dim3.of(256), att, rows, T);
        DevicePtr p = droppedProbabilities(att, dropout, stream);
        for (int g = 0; g < group; g++)  // yh = P V
            batched(false, false, T, hs, T, 1f, query(p, sm, g), T, kv(vh, hm), hs, 0f, query(headScratch, hm, g), hs);
        toTokens(y, headScratch, heads);
    }

    /** att itself without dropout, else the scratch array holding att with the dropout mask applied. */
    private DevicePtr droppedProbabilities(DevicePtr att, float dropout, long stream) {
        if (dropout <= 0f) return att;
        long n = probabilityCount();
        acc.launch("attention_dropout_probs", Dim3.cover(n, 256), Dim3.of(256), scores, att, n, dropout, stream);
        return scores;
    }

    /**
     * Backward from token-major {@code dy}: writes token-major {@code dq [B*T, NH*hs]} and {@code dk}, {@code dv}
     * {@code [B*T, NKV*hs]} (replacing their contents), given the forward's saved {@code att}, {@code qh}, {@code kh},
     * {@code vh} and the same dropout stream.
     */
    void backward(DevicePtr dq, DevicePtr dk, DevicePtr dv, DevicePtr dy, DevicePtr att, DevicePtr qh, DevicePtr kh,
                  DevicePtr vh, float dropout, long stream) {
        int T = seq, hs = headSize;
        float scale = (float) (1.0 / Math.sqrt(hs));
        long hm = headMatrix, sm = scoreMatrix;
        DevicePtr dyh = headScratch;
        toHeads(dyh, dy, heads);
        // dV = sum over the group of P^T dY (P with dropout), before the scratch array is needed for the scores
        DevicePtr p = droppedProbabilities(att, dropout, stream);
        for (int g = 0; g < group; g++)
            batched(true, false, T, hs, T, 1f, query(p, sm, g), T, query(dyh, hm, g), hs, g == 0 ? 0f : 1f, kv(dvh, hm), hs);
        // dP = dY V^T, then the softmax's backward in place gives the score gradients dS (scale included)
        for (int g = 0; g < group; g++)
            batched(false, true, T, T, hs, 1f, query(dyh, hm, g), hs, kv(vh, hm), hs, 0f, query(scores, sm, g), T);
        long rows = (long) batch * heads * T;
        acc.launch("attention_softmax_backward", Dim3.cover(rows, 8), Dim3.of(256), scores, att, rows, T, scale, dropout, stream);
        // dQ = dS K; dK = sum over the group of dS^T Q
        for (int g = 0; g < group; g++) {
            batched(false, false, T, hs, T, 1f, query(scores, sm, g), T, kv(kh, hm), hs, 0f, query(dqh, hm, g), hs);
            batched(true, false, T, hs, T, 1f, query(scores, sm, g), T, query(qh, hm, g), hs, g == 0 ? 0f : 1f, kv(dkh, hm), hs);
        }
        toTokens(dq, dqh, heads);
        toTokens(dk, dkh, kvHeads);
        toTokens(dv, dvh, kvHeads);
    }

    @Override
    public void close() {
        for (DevicePtr p : owned) acc.free(p);
        owned.clear();
    }
}

package dev.llamascope.engine.cuda;

import dev.llamascope.engine.inference.Rope;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.FlatWeights.Kind;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.train.AdamW;
import dev.llamascope.engine.train.Dropout;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The training step on a GPU: forward, cross-entropy, backward, gradient norm and clipping, AdamW, in the
 * style of llm.c (explicit backward per layer over flat buffers, activations of every layer kept for the backward
 * pass). Weights, gradients and both AdamW moments live on the device as single fp32 arrays in
 * {@link FlatWeights}' llama2.c version 0 order, so checkpoints are one download each.
 *
 * <p>Numerics follow the golden PyTorch run (see shared/README.md): RMSNorm eps from the config, RoPE on
 * interleaved pairs with the CPU engine's angle table, causal softmax attention scaled by 1/sqrt(head_size) with
 * GQA, SwiGLU, shared or separate classifier, mean cross-entropy (over the positions the loss mask keeps), PyTorch's
 * clip_grad_norm_ and AdamW (decay on matrices and the embedding only).
 *
 * <p>Two ways to drive it. The finer operations {@link #zeroGradients}, {@link #forwardBackward} (once per
 * micro-batch; gradients add up), {@link #gradientNorm} and {@link #adamwStep} are what {@link CudaTrainBackend} maps
 * the {@link dev.llamascope.engine.train.Trainer}'s loop onto; each of them that returns a number waits for the GPU.
 * {@link #step} queues a whole optimizer step (clipping coefficient computed on the device) and waits once, for the
 * benchmark. Both run the same kernels in the same order, so their numbers agree.
 *
 * <p>Dropout masks are {@link Dropout}'s (the CPU trainer's): a micro-batch's key and a site give a stream, and the
 * kernels hash (stream, element index) the same way, so a run drops the same elements on either device.
 *
 * <p>One thread at a time. A micro-batch uploads its tokens; the loss and the gradient norm are one float each.
 */
public final class CudaTrainer implements AutoCloseable {
    private final Accelerator acc;
    private final Matmul mm;
    private final ModelConfig c;
    private final FlatWeights layout;
    private final int paramCount;
    private final DevicePtr params, grads, m, v, scalars, normPartial;
    private final int normBlocks;
    private final List<long[]> adamRegions = new ArrayList<>();  // {offset, length, decays ? 1 : 0}
    private int steps;
    private Activations act;

    /** Uploads the weights (zero moments, step 0). {@code weights}' array is read, not kept. */
    public CudaTrainer(Accelerator acc, FlatWeights weights) {
        this.acc = acc;
        this.mm = acc.matmul();
        this.c = weights.config();
        this.layout = new FlatWeights(c, weights.data());
        this.paramCount = weights.data().length;
        long bytes = 4L * paramCount;
        params = acc.alloc(bytes);
        grads = acc.alloc(bytes);
        m = acc.alloc(bytes);
        v = acc.alloc(bytes);
        scalars = acc.alloc(16);
        normBlocks = (int) Math.min(1024, (paramCount + 255) / 256);
        normPartial = acc.alloc(4L * normBlocks);
        acc.upload(params, MemorySegment.ofArray(weights.data()));
        acc.zero(m, bytes);
        acc.zero(v, bytes);
        acc.zero(grads, bytes);
        buildAdamRegions();
    }

    /** Contiguous ranges of the flat array with the same weight-decay rule (norm gains never decay). */
    private void buildAdamRegions() {
        for (Kind k : Kind.values()) {
            long len = (long) layout.count(k) * layout.numel(k);
            if (len == 0) continue;
            long off = layout.offset(k, 0);
            int decays = FlatWeights.decays(k) ? 1 : 0;
            long[] last = adamRegions.isEmpty() ? null : adamRegions.getLast();
            if (last != null && last[2] == decays && last[0] + last[1] == off) last[1] += len;
            else adamRegions.add(new long[]{off, len, decays});
        }
    }

    public ModelConfig config() {
        return c;
    }

    /** Optimizer steps taken (AdamW's t). */
    public int steps() {
        return steps;
    }

    public String description() {
        return acc.description();
    }

    /** Device bytes a trainer needs for a model and batch shape (weights, gradients, moments, activations). */
    public static long estimateBytes(ModelConfig c, int batch, int seq) {
        long p = c.parameterCount();
        long n = (long) batch * seq, d = c.dim(), h = c.hiddenDim(), kv = c.kvDim();
        long att = (long) batch * c.nHeads() * seq * seq;
        long perLayer = n * (6 * d + 2 * kv + 3 * h + 2) + att;
        long scratch = n * (5 * d + 2 * kv + 3 * h) + n * c.vocabSize() + 8 * n;
        return 4 * (4 * p + c.nLayers() * perLayer + n * (2 * d + 1) + scratch)
                + GpuAttention.scratchBytes(batch, seq, c.nHeads(), c.nKvHeads(), c.headSize()) + (64L << 20);
    }

    /** Sets every gradient to zero (queued). */
    public void zeroGradients() {
        acc.zero(grads, 4L * paramCount);
    }

    /**
     * Forward and backward of one micro-batch of {@code batch} rows of {@code seq} tokens: {@code inputs[r * seq + t]}
     * predicts {@code targets[r * seq + t]}; positions restart at 0 in each row. Adds {@code gradScale} times the
     * gradient of the batch's mean loss to the gradients (so micro-batches accumulate). Waits for the loss.
     *
     * @param lossMask   null (every position counts) or one weight per position (0 leaves it out of the mean)
     * @param dropout    probability (0 = none); the masks derive from {@code dropoutKey} ({@link Dropout#key})
     * @return the batch's mean loss; 0 without touching the gradients when no position counts
     */
    public double forwardBackward(int[] inputs, int[] targets, float[] lossMask, int batch, int seq, float gradScale,
                                  float dropout, long dropoutKey) {
        if (!Float.isFinite(gradScale)) throw new IllegalArgumentException("gradient scale must be finite, got " + gradScale);
        checkDropout(dropout);
        float invCount = begin(inputs, targets, lossMask, batch, seq);
        if (invCount == 0f) return 0;
        forward(act, dropout, dropoutKey, invCount, gradScale);
        backward(act, dropout, dropoutKey);
        return scalar(0);
    }

    /** The mean loss of a batch, forward only, without dropout; the gradients are untouched. Waits for the loss. */
    public double loss(int[] inputs, int[] targets, float[] lossMask, int batch, int seq) {
        float invCount = begin(inputs, targets, lossMask, batch, seq);
        if (invCount == 0f) return 0;
        forward(act, 0f, 0L, invCount, 0f);
        return scalar(0);
    }

    /** The L2 norm of all gradients together (summed in double on the device). Waits for it. */
    public double gradientNorm() {
        queueGradientNorm(0f);
        return scalar(1);
    }

    /**
     * Multiplies the gradients by {@code gradMultiplier} (the clipping coefficient) and applies AdamW step {@code t}
     * (from 1) with learning rate {@code lr}, as {@link AdamW#update} does on the CPU (decay on matrices and the embedding).
     */
    public void adamwStep(AdamW optimizer, double lr, float gradMultiplier, long t) {
        if (t < 1) throw new IllegalArgumentException("AdamW steps count from 1, got " + t);
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be >= 0, got " + lr);
        if (!Float.isFinite(gradMultiplier)) throw new IllegalArgumentException("gradient multiplier must be finite, got " + gradMultiplier);
        acc.upload(scalars.plusFloats(2), MemorySegment.ofArray(new float[]{gradMultiplier}));
        queueAdamw(optimizer, lr, t);
    }

    /**
     * One whole optimizer step, queued at once and waited for once: zero the gradients, forward and backward, the
     * gradient norm and clipping coefficient (on the device), AdamW step {@link #steps()} + 1. Dropout masks derive from
     * {@code Dropout.key(s.seed(), steps())}.
     *
     * @param lossMask null (every position counts) or one weight per position (0 drops it from the mean)
     * @return the mean loss and the gradient norm before clipping
     */
    public StepResult step(int[] inputs, int[] targets, float[] lossMask, int batch, int seq, float lr, StepSettings s) {
        if (!(lr >= 0) || !Float.isFinite(lr)) throw new IllegalArgumentException("learning rate must be >= 0, got " + lr);
        float invCount = begin(inputs, targets, lossMask, batch, seq);
        long key = Dropout.key(s.seed(), steps);
        zeroGradients();
        forward(act, s.dropout(), key, invCount, 1f);
        backward(act, s.dropout(), key);
        queueGradientNorm(s.gradClip());
        steps++;
        queueAdamw(new AdamW(s.beta1(), s.beta2(), s.eps(), s.weightDecay()), lr, steps);
        float[] out = new float[3];
        acc.download(MemorySegment.ofArray(out), scalars);
        return new StepResult(out[0], out[1]);
    }

    /** Checks a batch, makes the activations for its shape, uploads it; returns 1 / (the weight of its positions), or 0. */
    private float begin(int[] inputs, int[] targets, float[] lossMask, int batch, int seq) {
        int n = checkBatch(inputs, targets, lossMask, batch, seq);
        if (act == null || act.batch != batch || act.seq != seq) {
            if (act != null) act.free();
            act = null;
            act = new Activations(batch, seq);
        }
        double count = n;
        if (lossMask != null) {
            count = 0;
            for (float w : lossMask) count += w;
        }
        act.uploadBatch(inputs, targets, lossMask);
        return count > 0 ? (float) (1.0 / count) : 0f;
    }

    private static void checkDropout(float p) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
    }

    /** scalars[i] after all queued work. */
    private float scalar(int i) {
        float[] out = new float[1];
        acc.download(MemorySegment.ofArray(out), scalars.plusFloats(i));
        return out[0];
    }

    /** Refuses a batch shape whose buffers this trainer cannot index (the kernels use 32-bit element counts). */
    public static void checkShape(ModelConfig c, int batch, int seq) {
        long n = (long) batch * seq;
        if (n * c.vocabSize() > Integer.MAX_VALUE || n * c.hiddenDim() > Integer.MAX_VALUE || n * c.dim() > Integer.MAX_VALUE
                || (long) batch * c.nHeads() * seq * seq > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch " + batch + " x " + seq + " is too large for one step of this model on the GPU; use a smaller batch");
        }
    }

    private int checkBatch(int[] inputs, int[] targets, float[] mask, int batch, int seq) {
        if (batch < 1 || seq < 1) throw new IllegalArgumentException("batch and sequence length must be positive, got " + batch + " x " + seq);
        if (seq > c.seqLen()) throw new IllegalArgumentException("sequence length " + seq + " is longer than the model's " + c.seqLen());
        long n = (long) batch * seq;
        checkShape(c, batch, seq);
        if (inputs.length != n || targets.length != n) throw new IllegalArgumentException("expected " + n + " inputs and targets, got " + inputs.length + " and " + targets.length);
        if (mask != null && mask.length != n) throw new IllegalArgumentException("expected " + n + " loss-mask weights, got " + mask.length);
        for (int i = 0; i < n; i++) {
            if (inputs[i] < 0 || inputs[i] >= c.vocabSize()) throw new IllegalArgumentException("input token " + inputs[i] + " at " + i + " is outside the vocabulary (" + c.vocabSize() + ")");
            if (targets[i] < 0 || targets[i] >= c.vocabSize()) throw new IllegalArgumentException("target token " + targets[i] + " at " + i + " is outside the vocabulary (" + c.vocabSize() + ")");
            if (mask != null && !(mask[i] >= 0 && Float.isFinite(mask[i]))) throw new IllegalArgumentException("loss-mask weight " + mask[i] + " at " + i + " must be finite and >= 0");
        }
        return (int) n;
    }

    // ---- the pieces of the step ----

    private DevicePtr w(Kind k, int layer) {
        return params.plusFloats(layout.offset(k, layer));
    }

    private DevicePtr g(Kind k, int layer) {
        return grads.plusFloats(layout.offset(k, layer));
    }

    private DevicePtr classifier() {
        return params.plusFloats(layout.classifierOffset());
    }

    private DevicePtr classifierGrad() {
        return grads.plusFloats(layout.classifierOffset());
    }

    /** y[rows, out] = x[rows, in] W^T. */
    private void linear(DevicePtr y, DevicePtr x, DevicePtr wt, int rows, int in, int out) {
        mm.gemm(false, true, rows, out, in, 1f, x, in, wt, in, 0f, y, out);
    }

    /** dx[rows, in] = beta * dx + dy[rows, out] W. */
    private void linearBackwardInput(DevicePtr dx, DevicePtr dy, DevicePtr wt, int rows, int in, int out, float beta) {
        mm.gemm(false, false, rows, in, out, 1f, dy, out, wt, in, beta, dx, in);
    }

    /** dW[out, in] += dy^T x. */
    private void linearBackwardWeight(DevicePtr dw, DevicePtr dy, DevicePtr x, int rows, int in, int out) {
        mm.gemm(true, false, out, in, rows, 1f, dy, out, x, in, 1f, dw, in);
    }

    private static int rowBlock(int width) {
        return Math.min(width >= 4096 ? 1024 : 256, Math.max(32, (width + 31) / 32 * 32));
    }

    private void elementwise(String kernel, long count, Object... args) {
        acc.launch(kernel, Dim3.cover(count, 256), Dim3.of(256), args);
    }

    /**
     * Forward pass and the loss; a.logits is left holding the loss's gradient with respect to the logits, scaled by
     * {@code gradScale} (the loss in scalars[0] is not scaled).
     */
    private void forward(Activations a, float p, long key, float invCount, float gradScale) {
        int n = a.n, d = c.dim(), h = c.hiddenDim(), kv = c.kvDim(), hs = c.headSize(), nh = c.nHeads(), nkv = c.nKvHeads();
        int T = a.seq;
        float eps = c.rmsEps();
        elementwise("embedding_forward", (long) n * d, a.res[0], a.tokens, w(Kind.EMBEDDING, 0), n, d, p,
                Dropout.stream(key, Dropout.Site.EMBEDDING, 0));
        for (int l = 0; l < c.nLayers(); l++) {
            acc.launch("rmsnorm_forward", Dim3.of(n), Dim3.of(rowBlock(d)), a.xn1[l], a.rstd1[l], a.res[l], w(Kind.ATTN_NORM, l), n, d, eps);
            // q, k, v token-major in the backward pass's scratch (free until then), rotated, then saved head-major
            linear(a.dq, a.xn1[l], w(Kind.WQ, l), n, d, d);
            linear(a.dk, a.xn1[l], w(Kind.WK, l), n, d, kv);
            linear(a.dv, a.xn1[l], w(Kind.WV, l), n, d, kv);
            elementwise("rope_forward", (long) n * nh * hs / 2, a.dq, a.cos, a.sin, n, T, nh, hs);
            elementwise("rope_forward", (long) n * nkv * hs / 2, a.dk, a.cos, a.sin, n, T, nkv, hs);
            a.attention.toHeads(a.q[l], a.dq, nh);
            a.attention.toHeads(a.k[l], a.dk, nkv);
            a.attention.toHeads(a.v[l], a.dv, nkv);
            a.attention.forward(a.y[l], a.att[l], a.q[l], a.k[l], a.v[l], p, Dropout.stream(key, Dropout.Site.ATTENTION, l));
            linear(a.tmp, a.y[l], w(Kind.WO, l), n, d, d);
            elementwise("residual_add", (long) n * d, a.xmid[l], a.res[l], a.tmp, n * d, p,
                    Dropout.stream(key, Dropout.Site.ATTENTION_OUT, l));
            acc.launch("rmsnorm_forward", Dim3.of(n), Dim3.of(rowBlock(d)), a.xn2[l], a.rstd2[l], a.xmid[l], w(Kind.FFN_NORM, l), n, d, eps);
            linear(a.h1[l], a.xn2[l], w(Kind.W1, l), n, d, h);
            linear(a.h3[l], a.xn2[l], w(Kind.W3, l), n, d, h);
            elementwise("swiglu_forward", (long) n * h, a.gate[l], a.h1[l], a.h3[l], n * h);
            linear(a.tmp, a.gate[l], w(Kind.W2, l), n, h, d);
            elementwise("residual_add", (long) n * d, a.res[l + 1], a.xmid[l], a.tmp, n * d, p,
                    Dropout.stream(key, Dropout.Site.FFN_OUT, l));
        }
        int L = c.nLayers(), V = c.vocabSize();
        acc.launch("rmsnorm_forward", Dim3.of(n), Dim3.of(rowBlock(d)), a.xf, a.rstdf, a.res[L], w(Kind.FINAL_NORM, 0), n, d, eps);
        linear(a.logits, a.xf, classifier(), n, d, V);
        acc.launch("crossentropy_forward_backward", Dim3.of(n), Dim3.of(rowBlock(V)), a.logits, a.losses, a.targets,
                a.hasMask ? a.mask : DevicePtr.NULL, n, V, invCount * gradScale);
        acc.launch("sum_scaled", Dim3.of(1), Dim3.of(256), scalars, 0, a.losses, n, invCount);
    }

    private void rmsnormBackward(Activations a, DevicePtr dout, DevicePtr x, DevicePtr gain, DevicePtr rstd, DevicePtr dgain) {
        int n = a.n, d = c.dim();
        acc.launch("rmsnorm_backward", Dim3.of(n), Dim3.of(rowBlock(d)), a.dres, dout, x, gain, rstd, n, d);
        acc.launch("rmsnorm_dgain", Dim3.of((d + 255) / 256, a.chunks), Dim3.of(256), a.partial, dout, x, rstd, n, d, Activations.ROWS_PER_CHUNK);
        elementwise("sum_partials_into", d, dgain, a.partial, a.chunks, d);
    }

    /** Backward pass after {@link #forward}: adds every weight's gradient to the gradients. */
    private void backward(Activations a, float p, long key) {
        int n = a.n, d = c.dim(), h = c.hiddenDim(), kv = c.kvDim(), hs = c.headSize(), nh = c.nHeads(), nkv = c.nKvHeads();
        int T = a.seq, L = c.nLayers(), V = c.vocabSize();
        // classifier and final norm; a.logits holds the logits' gradient now
        linearBackwardWeight(classifierGrad(), a.logits, a.xf, n, d, V);
        linearBackwardInput(a.dtmp, a.logits, classifier(), n, d, V, 0f);
        acc.zero(a.dres, 4L * n * d);
        rmsnormBackward(a, a.dtmp, a.res[L], w(Kind.FINAL_NORM, 0), a.rstdf, g(Kind.FINAL_NORM, 0));
        for (int l = L - 1; l >= 0; l--) {
            // feed-forward branch: res[l+1] = xmid + dropout(gate W2^T)
            DevicePtr dF = a.dres;
            if (p > 0) {
                elementwise("dropout_backward", (long) n * d, a.dbranch, a.dres, n * d, p, Dropout.stream(key, Dropout.Site.FFN_OUT, l));
                dF = a.dbranch;
            }
            linearBackwardWeight(g(Kind.W2, l), dF, a.gate[l], n, h, d);
            linearBackwardInput(a.dgate, dF, w(Kind.W2, l), n, h, d, 0f);
            elementwise("swiglu_backward", (long) n * h, a.dh1, a.dh3, a.dgate, a.h1[l], a.h3[l], n * h);
            linearBackwardWeight(g(Kind.W1, l), a.dh1, a.xn2[l], n, d, h);
            linearBackwardWeight(g(Kind.W3, l), a.dh3, a.xn2[l], n, d, h);
            linearBackwardInput(a.dtmp, a.dh1, w(Kind.W1, l), n, d, h, 0f);
            linearBackwardInput(a.dtmp, a.dh3, w(Kind.W3, l), n, d, h, 1f);
            rmsnormBackward(a, a.dtmp, a.xmid[l], w(Kind.FFN_NORM, l), a.rstd2[l], g(Kind.FFN_NORM, l));
            // attention branch: xmid = res[l] + dropout(y Wo^T)
            DevicePtr dO = a.dres;
            if (p > 0) {
                elementwise("dropout_backward", (long) n * d, a.dbranch, a.dres, n * d, p, Dropout.stream(key, Dropout.Site.ATTENTION_OUT, l));
                dO = a.dbranch;
            }
            linearBackwardWeight(g(Kind.WO, l), dO, a.y[l], n, d, d);
            linearBackwardInput(a.dy, dO, w(Kind.WO, l), n, d, d, 0f);
            long attSeed = Dropout.stream(key, Dropout.Site.ATTENTION, l);
            a.attention.backward(a.dq, a.dk, a.dv, a.dy, a.att[l], a.q[l], a.k[l], a.v[l], p, attSeed);
            elementwise("rope_backward", (long) n * nh * hs / 2, a.dq, a.cos, a.sin, n, T, nh, hs);
            elementwise("rope_backward", (long) n * nkv * hs / 2, a.dk, a.cos, a.sin, n, T, nkv, hs);
            linearBackwardWeight(g(Kind.WQ, l), a.dq, a.xn1[l], n, d, d);
            linearBackwardWeight(g(Kind.WK, l), a.dk, a.xn1[l], n, d, kv);
            linearBackwardWeight(g(Kind.WV, l), a.dv, a.xn1[l], n, d, kv);
            linearBackwardInput(a.dtmp, a.dq, w(Kind.WQ, l), n, d, d, 0f);
            linearBackwardInput(a.dtmp, a.dk, w(Kind.WK, l), n, d, kv, 1f);
            linearBackwardInput(a.dtmp, a.dv, w(Kind.WV, l), n, d, kv, 1f);
            rmsnormBackward(a, a.dtmp, a.res[l], w(Kind.ATTN_NORM, l), a.rstd1[l], g(Kind.ATTN_NORM, l));
        }
        acc.launch("embedding_backward", Dim3.of(a.uniqueTokens, (d + 255) / 256), Dim3.of(256), g(Kind.EMBEDDING, 0), a.dres,
                a.uniq, a.offsets, a.positions, d, p, Dropout.stream(key, Dropout.Site.EMBEDDING, 0));
    }

    /** scalars[1] = the gradient norm, scalars[2] = the clipping coefficient for {@code clip} (1 when clip is 0). */
    private void queueGradientNorm(float clip) {
        acc.launch("sumsq_partial", Dim3.of(normBlocks), Dim3.of(256), normPartial, grads, paramCount);
        acc.launch("gradnorm_finish", Dim3.of(1), Dim3.of(256), scalars, normPartial, normBlocks, clip);
    }

    /** AdamW step t on the gradients times scalars[2], with {@link AdamW#update}'s constants. */
    private void queueAdamw(AdamW o, double lr, long t) {
        double bc1 = 1 - Math.pow(o.beta1(), t), bc2 = 1 - Math.pow(o.beta2(), t);
        float stepSize = (float) (lr / bc1), bc2sqrt = (float) Math.sqrt(bc2);
        float oneMinusBeta1 = (float) (1.0 - o.beta1()), oneMinusBeta2 = (float) (1.0 - o.beta2());
        for (long[] r : adamRegions) {
            float decay = r[2] == 1 ? (float) (1.0 - lr * o.weightDecay()) : 1f;
            int off = (int) r[0], len = (int) r[1];
            elementwise("adamw_update", len, params.plusFloats(off), grads.plusFloats(off), m.plusFloats(off), v.plusFloats(off),
                    scalars, len, decay, stepSize, oneMinusBeta1, (float) o.beta2(), oneMinusBeta2, bc2sqrt, (float) o.eps());
        }
    }

    // ---- checkpoints ----

    /** Copies the weights (after the last step) into {@code dst}, in version 0 order. */
    public void downloadWeights(float[] dst) {
        checkLength(dst);
        acc.download(MemorySegment.ofArray(dst), params);
    }

    /** Copies AdamW's first and second moments. */
    public void downloadMoments(float[] firstMoment, float[] secondMoment) {
        checkLength(firstMoment);
        checkLength(secondMoment);
        acc.download(MemorySegment.ofArray(firstMoment), m);
        acc.download(MemorySegment.ofArray(secondMoment), v);
    }

    /** The gradients accumulated since {@link #zeroGradients} (after {@link #step}: that step's, before clipping). */
    public void downloadGradients(float[] dst) {
        checkLength(dst);
        acc.download(MemorySegment.ofArray(dst), grads);
    }

    /** Replaces weights and AdamW moments (null moments mean zero); the step count is unchanged. */
    public void writeState(float[] weights, float[] firstMoment, float[] secondMoment) {
        checkLength(weights);
        if (firstMoment != null) checkLength(firstMoment);
        if (secondMoment != null) checkLength(secondMoment);
        acc.upload(params, MemorySegment.ofArray(weights));
        if (firstMoment != null) acc.upload(m, MemorySegment.ofArray(firstMoment));
        else acc.zero(m, 4L * paramCount);
        if (secondMoment != null) acc.upload(v, MemorySegment.ofArray(secondMoment));
        else acc.zero(v, 4L * paramCount);
    }

    /** Resumes from a checkpoint: weights, moments, and the number of steps already taken (AdamW's bias correction in {@link #step}). */
    public void restore(float[] weights, float[] firstMoment, float[] secondMoment, int stepsTaken) {
        checkLength(firstMoment);
        checkLength(secondMoment);
        if (stepsTaken < 0) throw new IllegalArgumentException("steps taken must be >= 0, got " + stepsTaken);
        writeState(weights, firstMoment, secondMoment);
        steps = stepsTaken;
    }

    private void checkLength(float[] a) {
        if (a.length != paramCount) throw new IllegalArgumentException("expected " + paramCount + " floats (the model's parameters), got " + a.length);
    }

    @Override
    public void close() {
        if (act != null) act.free();
        act = null;
        for (DevicePtr p : new DevicePtr[]{params, grads, m, v, scalars, normPartial}) acc.free(p);
    }

    /**
     * The device buffers of one batch shape: saved activations per layer (q, k, v head-major, as the attention's
     * products read them; the rest token-major) and the backward pass's scratch.
     */
    private final class Activations {
        static final int ROWS_PER_CHUNK = 64;
        final int batch, seq, n, chunks;
        final List<DevicePtr> owned = new ArrayList<>();
        final DevicePtr[] res, xn1, rstd1, q, k, v, att, y, xmid, xn2, rstd2, h1, h3, gate;
        final DevicePtr xf, rstdf, logits, losses, tmp, dres, dtmp, dbranch, dq, dk, dv, dy, dgate, dh1, dh3, partial;
        final DevicePtr ints, mask, cos, sin;
        final DevicePtr tokens, targets, positions;
        DevicePtr offsets, uniq;
        GpuAttention attention;
        int uniqueTokens;
        boolean hasMask;

        Activations(int batch, int seq) {
            this.batch = batch;
            this.seq = seq;
            this.n = batch * seq;
            this.chunks = (n + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
            int L = c.nLayers();
            long nd = (long) n * c.dim(), nkv = (long) n * c.kvDim(), nh = (long) n * c.hiddenDim();
            long natt = (long) batch * c.nHeads() * seq * seq;
            boolean ok = false;
            try {
                attention = new GpuAttention(acc, batch, seq, c.nHeads(), c.nKvHeads(), c.headSize());
                res = floats(L + 1, nd);
                xn1 = floats(L, nd);
                rstd1 = floats(L, n);
                q = floats(L, nd);
                k = floats(L, nkv);
                v = floats(L, nkv);
                att = floats(L, natt);
                y = floats(L, nd);
                xmid = floats(L, nd);
                xn2 = floats(L, nd);
                rstd2 = floats(L, n);
                h1 = floats(L, nh);
                h3 = floats(L, nh);
                gate = floats(L, nh);
                xf = floats(nd);
                rstdf = floats(n);
                logits = floats((long) n * c.vocabSize());
                losses = floats(n);
                tmp = floats(nd);
                dres = floats(nd);
                dtmp = floats(nd);
                dbranch = floats(nd);
                dq = floats(nd);
                dk = floats(nkv);
                dv = floats(nkv);
                dy = floats(nd);
                dgate = floats(nh);
                dh1 = floats(nh);
                dh3 = floats(nh);
                partial = floats((long) chunks * c.dim());
                ints = floats(5L * n + 2);
                mask = floats(n);
                int half = c.headSize() / 2;
                cos = floats((long) seq * half);
                sin = floats((long) seq * half);
                tokens = ints;
                targets = ints.plusFloats(n);
                positions = ints.plusFloats(2L * n);
                float[] ct = new float[seq * half], st = new float[seq * half], cr = new float[half], sr = new float[half];
                Rope rope = new Rope(c.headSize(), c.ropeTheta());
                for (int t = 0; t < seq; t++) {
                    rope.angles(t, cr, sr);
                    System.arraycopy(cr, 0, ct, t * half, half);
                    System.arraycopy(sr, 0, st, t * half, half);
                }
                acc.upload(cos, MemorySegment.ofArray(ct));
                acc.upload(sin, MemorySegment.ofArray(st));
                ok = true;
            } finally {
                if (!ok) free();
            }
        }

        private DevicePtr floats(long count) {
            DevicePtr p = acc.alloc(4 * count);
            owned.add(p);
            return p;
        }

        private DevicePtr[] floats(int layers, long count) {
            DevicePtr[] a = new DevicePtr[layers];
            for (int i = 0; i < layers; i++) a[i] = floats(count);
            return a;
        }

        /**
         * One upload of every integer the step needs: inputs, targets, and the embedding backward's grouping of
         * positions by token (distinct tokens ascending, positions ascending within each).
         */
        void uploadBatch(int[] in, int[] tg, float[] lossMask) {
            int V = c.vocabSize();
            int[] countPerToken = new int[V];
            for (int t : in) countPerToken[t]++;
            int u = 0;
            for (int cnt : countPerToken) if (cnt > 0) u++;
            int[] all = new int[3 * n + 2 * u + 1];
            System.arraycopy(in, 0, all, 0, n);
            System.arraycopy(tg, 0, all, n, n);
            int offBase = 3 * n, uniqBase = 3 * n + u + 1;
            int[] start = new int[V];
            int j = 0, pos = 0;
            for (int t = 0; t < V; t++) {
                if (countPerToken[t] == 0) continue;
                all[uniqBase + j] = t;
                all[offBase + j] = pos;
                start[t] = pos;
                pos += countPerToken[t];
                j++;
            }
            all[offBase + u] = pos;
            for (int i = 0; i < n; i++) all[2 * n + start[in[i]]++] = i;
            acc.upload(ints, MemorySegment.ofArray(all));
            offsets = ints.plusFloats(offBase);
            uniq = ints.plusFloats(uniqBase);
            uniqueTokens = u;
            hasMask = lossMask != null;
            if (hasMask) acc.upload(mask, MemorySegment.ofArray(lossMask));
        }

        void free() {
            for (DevicePtr p : owned) acc.free(p);
            owned.clear();
            if (attention != null) attention.close();
            attention = null;
        }
    }
}

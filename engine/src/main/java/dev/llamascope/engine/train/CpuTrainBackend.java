package dev.llamascope.engine.train;

import static dev.llamascope.engine.model.FlatWeights.Kind.ATTN_NORM;
import static dev.llamascope.engine.model.FlatWeights.Kind.FFN_NORM;
import static dev.llamascope.engine.model.FlatWeights.Kind.FINAL_NORM;
import static dev.llamascope.engine.model.FlatWeights.Kind.W1;
import static dev.llamascope.engine.model.FlatWeights.Kind.W2;
import static dev.llamascope.engine.model.FlatWeights.Kind.W3;
import static dev.llamascope.engine.model.FlatWeights.Kind.WK;
import static dev.llamascope.engine.model.FlatWeights.Kind.WO;
import static dev.llamascope.engine.model.FlatWeights.Kind.WQ;
import static dev.llamascope.engine.model.FlatWeights.Kind.WV;

import dev.llamascope.engine.data.Batch;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tensor.Gemm;
import java.util.Arrays;
import java.util.List;

/**
 * The training step on the CPU: forward and backward of the whole model over one micro-batch of B x T positions,
 * in the style of llm.c — flat buffers, one forward/backward function per layer ({@link TrainOps}), every matrix
 * product through the tiled {@link Gemm}. Weights are trained in place in the {@link FlatWeights} it was given;
 * gradients and AdamW moments are arrays of the same layout, so the optimizer and the gradient norm are single loops.
 *
 * <p>Saved for the backward pass, per layer: the residual stream before each block half, the RMSNorm scales, q|k|v
 * after RoPE, the log-sum-exp of each attention row, the attention output and the SwiGLU inputs. Recomputed instead
 * of stored: the normed inputs, the attention probabilities (from q, k and the log-sum-exp) and the SwiGLU output.
 * The classifier and loss run in row chunks, so the B x T x vocab logits never exist at once.
 */
public final class CpuTrainBackend implements TrainBackend {
    /** Floats of logits per classifier chunk (128 MB): about 1000 rows of a 32000-token vocabulary. */
    private static final int LOGIT_BUDGET = 32 << 20;
    /** What the forward pass of {@link #loss} (eval) uses instead of the run's dropout. */
    private static final Dropout NO_DROPOUT = new Dropout(0f);

    private final ModelConfig c;
    private final FlatWeights weights;
    private final float[] w, grad, m, v;
    private final ComputePool pool;
    private final boolean ownsPool;
    private final int B, T, n, d, kv, h, L, V, qkvDim;
    private final Dropout dropout;
    private final RopeTable rope;
    private final TrainOps.AttentionShape attShape;
    private final int chunkRows;

    // saved activations, per layer
    private final float[][] resid;  // 2L + 1 slots: input of layer l at 2l, after its attention at 2l + 1, final at 2L
    private final float[][] rms1, rms2, qkv, lse, attOut, h13;
    private final float[] rmsF, xf;
    // scratch
    private final float[] xn, branch, gate, logits, dx, dxn, dBranch, datt, dqkv, dgate, dh13, normPartial;
    private final double[] rowLoss;

    public CpuTrainBackend(FlatWeights initial, Spec spec) {
        this(initial, spec, new ComputePool(spec.threads()), true);
    }

    /** A backend on a pool owned by the caller (which must outlive it). */
    public CpuTrainBackend(FlatWeights initial, Spec spec, ComputePool pool) {
        this(initial, spec, pool, false);
    }

    private CpuTrainBackend(FlatWeights initial, Spec spec, ComputePool pool, boolean ownsPool) {
        if (!initial.config().equals(spec.config())) throw new IllegalArgumentException("weights and spec describe different models");
        this.c = spec.config();
        this.weights = initial;
        this.w = initial.data();
        this.pool = pool;
        this.ownsPool = ownsPool;
        B = spec.batch();
        T = spec.seq();
        long rows = (long) B * T;
        d = c.dim();
        kv = c.kvDim();
        h = c.hiddenDim();
        L = c.nLayers();
        V = c.vocabSize();
        qkvDim = d + 2 * kv;
        if (rows * Math.max(qkvDim, 2 * h) > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException("batch x seq = " + rows + " rows is too many for this model's activation buffers");
        n = (int) rows;
        grad = new float[w.length];
        m = new float[w.length];
        v = new float[w.length];
        dropout = new Dropout(spec.dropout());
        rope = new RopeTable(c.headSize(), c.ropeTheta(), T);
        attShape = new TrainOps.AttentionShape(B, T, c.nHeads(), c.nKvHeads(), c.headSize(), qkvDim);
        chunkRows = Math.max(1, Math.min(n, LOGIT_BUDGET / V));

        resid = new float[2 * L + 1][n * d];
        rms1 = new float[L][n];
        rms2 = new float[L][n];
        qkv = new float[L][n * qkvDim];
        lse = new float[L][B * c.nHeads() * T];
        attOut = new float[L][n * d];
        h13 = new float[L][n * 2 * h];
        rmsF = new float[n];
        xf = new float[n * d];
        xn = new float[n * d];
        branch = new float[n * d];
        gate = new float[n * h];
        logits = new float[chunkRows * V];
        dx = new float[n * d];
        dxn = new float[n * d];
        dBranch = dropout.active() ? new float[n * d] : null; // only dropout needs a masked copy of dx
        datt = new float[n * d];
        dqkv = new float[n * qkvDim];
        dgate = new float[n * h];
        dh13 = new float[n * 2 * h];
        normPartial = new float[((n + TrainOps.NORM_BLOCK - 1) / TrainOps.NORM_BLOCK) * d];
        rowLoss = new double[n];
    }

    /** Bytes of the arrays this backend holds (weights, gradients, moments, activations, scratch). */
    public static long memoryBytes(Spec spec) {
        ModelConfig c = spec.config();
        long n = (long) spec.batch() * spec.seq(), d = c.dim(), kv = c.kvDim(), h = c.hiddenDim(), L = c.nLayers();
        long params = c.parameterCount() * 4 * 4; // weights, gradients, two moments
        long perLayer = n * (2 * d + 2 + (d + 2 * kv) + d + 2 * h) + (long) spec.batch() * c.nHeads() * spec.seq();
        long scratch = n * (d * 7 + (d + 2 * kv) + h * 4 + 3) + (long) Math.max(1, Math.min(n, LOGIT_BUDGET / c.vocabSize())) * c.vocabSize();
        return params + 4 * (perLayer * L + n * d + scratch);
    }

    @Override
    public String description() {
        return "CPU, " + pool.threads() + (pool.threads() == 1 ? " thread" : " threads");
    }

    @Override
    public ModelConfig config() {
        return c;
    }

    /** The weights being trained (live: the next step changes them). */
    public FlatWeights weights() {
        return weights;
    }

    @Override
    public void zeroGradients() {
        int chunk = 1 << 16;
        pool.parallelFor((grad.length + chunk - 1) / chunk, 1, (c0, c1) -> Arrays.fill(grad, c0 * chunk, Math.min(grad.length, c1 * chunk), 0f));
    }

    @Override
    public double forwardBackward(Batch batch, float gradScale, long dropoutKey) {
        checkBatch(batch);
        int valid = batch.validTargets();
        forward(batch.inputs(), dropout.active() ? dropoutKey : 0, dropout.active());
        if (valid == 0) return 0;
        double loss = classifier(batch.targets(), gradScale / valid, true) / valid;
        backward(batch.inputs(), dropoutKey, dropout.active());
        return loss;
    }

    @Override
    public double loss(Batch batch) {
        checkBatch(batch);
        int valid = batch.validTargets();
        forward(batch.inputs(), 0, false);
        if (valid == 0) return 0;
        return classifier(batch.targets(), 0f, false) / valid;
    }

    private void checkBatch(Batch b) {
        if (b.rows() != B || b.seq() != T)
            throw new IllegalArgumentException("this backend was built for " + B + " x " + T + " batches, got " + b.rows() + " x " + b.seq());
        for (int t : b.inputs()) if (t < 0 || t >= V) throw new IllegalArgumentException("token id " + t + " outside the vocabulary of " + V);
        for (int t : b.targets()) if (t >= V) throw new IllegalArgumentException("target id " + t + " outside the vocabulary of " + V);
    }

    // ---------------------------------------------------------------- forward

    private void forward(int[] tokens, long key, boolean drop) {
        float eps = c.rmsEps();
        TrainOps.embeddingForward(resid[0], tokens, n, w, weights.offset(FlatWeights.Kind.EMBEDDING, 0), d);
        if (drop) dropout.apply(pool, Dropout.stream(key, Dropout.Site.EMBEDDING, 0), 0, resid[0], 0, resid[0], 0, n * d);
        for (int l = 0; l < L; l++) {
            float[] x = resid[2 * l], mid = resid[2 * l + 1], q = qkv[l];
            TrainOps.rmsnormForward(pool, xn, rms1[l], x, n, d, w, weights.offset(ATTN_NORM, l), eps);
            TrainOps.linearForward(pool, xn, n, d, qkvStack(l).transposed(), q, qkvDim, qkvDim);
            rope.apply(pool, q, n, qkvDim, 0, d + kv, false); // q and k are adjacent: one pass rotates both
            // eval (drop false) must not drop attention weights even when the run trains with dropout
            TrainOps.attentionForward(pool, attShape, q, attOut[l], lse[l], drop ? dropout : NO_DROPOUT,
                    drop ? Dropout.stream(key, Dropout.Site.ATTENTION, l) : 0);
            TrainOps.linearForward(pool, attOut[l], n, d, Gemm.transposed(w, weights.offset(WO, l), d), branch, d, d);
            if (drop) dropout.apply(pool, Dropout.stream(key, Dropout.Site.ATTENTION_OUT, l), 0, branch, 0, branch, 0, n * d);
            TrainOps.sum(pool, mid, x, branch, n * d);

            TrainOps.rmsnormForward(pool, xn, rms2[l], mid, n, d, w, weights.offset(FFN_NORM, l), eps);
            TrainOps.linearForward(pool, xn, n, d, w13Stack(l).transposed(), h13[l], 2 * h, 2 * h);
            TrainOps.swigluForward(pool, gate, h13[l], n, h);
            TrainOps.linearForward(pool, gate, n, h, Gemm.transposed(w, weights.offset(W2, l), h), branch, d, d);
            if (drop) dropout.apply(pool, Dropout.stream(key, Dropout.Site.FFN_OUT, l), 0, branch, 0, branch, 0, n * d);
            TrainOps.sum(pool, resid[2 * l + 2], mid, branch, n * d);
        }
        TrainOps.rmsnormForward(pool, xf, rmsF, resid[2 * L], n, d, w, weights.offset(FINAL_NORM, 0), eps);
    }

    /**
     * Logits, loss and (when backward) the gradients of the classifier: row chunks of logits, each turned into its
     * loss gradient in place, then dxf = dlogits W and dW += dlogits^T xf. Returns the summed loss.
     */
    private double classifier(int[] targets, float scale, boolean backward) {
        int cls = weights.classifierOffset();
        for (int r0 = 0; r0 < n; r0 += chunkRows) {
            int rows = Math.min(chunkRows, n - r0), first = r0;
            Gemm.gemm(pool, rows, V, d, xf, r0 * d, d, 1, Gemm.transposed(w, cls, d), logits, 0, V, false);
            pool.parallelFor(rows, (s, e) -> {
                for (int i = s; i < e; i++) rowLoss[first + i] = TrainOps.crossEntropyRow(logits, i * V, V, targets[first + i], scale, backward);
            });
            if (backward) {
                Gemm.gemm(pool, rows, d, V, logits, 0, V, 1, Gemm.rowMajor(w, cls, d), dxn, r0 * d, d, false);
                Gemm.gemm(pool, V, d, rows, logits, 0, 1, V, Gemm.rowMajor(xf, r0 * d, d), grad, cls, d, true);
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) sum += rowLoss[i];
        return sum;
    }

    // ---------------------------------------------------------------- backward

    private void backward(int[] tokens, long key, boolean drop) {
        Arrays.fill(dx, 0f);
        // dxn holds d loss / d xf from the classifier
        TrainOps.rmsnormBackward(pool, dx, grad, weights.offset(FINAL_NORM, 0), dxn, resid[2 * L], rmsF, n, d,
                w, weights.offset(FINAL_NORM, 0), normPartial);
        for (int l = L - 1; l >= 0; l--) {
            float[] x = resid[2 * l], mid = resid[2 * l + 1];
            // feed-forward half: out = mid + drop(w2(silu(w1 xn) * w3 xn)), xn = norm(mid)
            float[] dOut = branchGradient(drop, key, Dropout.Site.FFN_OUT, l);
            TrainOps.swigluForward(pool, gate, h13[l], n, h);
            TrainOps.linearBackwardWeight(pool, dOut, 0, d, n, d, gate, h, grad, weights.offset(W2, l));
            TrainOps.linearBackwardInput(pool, dOut, 0, d, n, d, Gemm.rowMajor(w, weights.offset(W2, l), h), dgate, h, false);
            TrainOps.swigluBackward(pool, dh13, dgate, h13[l], n, h);
            TrainOps.rmsnormApply(pool, xn, mid, rms2[l], n, d, w, weights.offset(FFN_NORM, l));
            TrainOps.linearBackwardWeight(pool, dh13, 0, 2 * h, n, h, xn, d, grad, weights.offset(W1, l));
            TrainOps.linearBackwardWeight(pool, dh13, h, 2 * h, n, h, xn, d, grad, weights.offset(W3, l));
            TrainOps.linearBackwardInput(pool, dh13, 0, 2 * h, n, 2 * h, w13Stack(l).rowMajor(), dxn, d, false);
            TrainOps.rmsnormBackward(pool, dx, grad, weights.offset(FFN_NORM, l), dxn, mid, rms2[l], n, d,
                    w, weights.offset(FFN_NORM, l), normPartial);

            // attention half: mid = x + drop(wo(attention(rope(wq xn), rope(wk xn), wv xn))), xn = norm(x)
            dOut = branchGradient(drop, key, Dropout.Site.ATTENTION_OUT, l);
            TrainOps.linearBackwardWeight(pool, dOut, 0, d, n, d, attOut[l], d, grad, weights.offset(WO, l));
            TrainOps.linearBackwardInput(pool, dOut, 0, d, n, d, Gemm.rowMajor(w, weights.offset(WO, l), d), datt, d, false);
            TrainOps.attentionBackward(pool, attShape, qkv[l], lse[l], datt, dqkv, dropout,
                    drop ? Dropout.stream(key, Dropout.Site.ATTENTION, l) : 0);
            rope.apply(pool, dqkv, n, qkvDim, 0, d + kv, true);
            TrainOps.rmsnormApply(pool, xn, x, rms1[l], n, d, w, weights.offset(ATTN_NORM, l));
            TrainOps.linearBackwardWeight(pool, dqkv, 0, qkvDim, n, d, xn, d, grad, weights.offset(WQ, l));
            TrainOps.linearBackwardWeight(pool, dqkv, d, qkvDim, n, kv, xn, d, grad, weights.offset(WK, l));
            TrainOps.linearBackwardWeight(pool, dqkv, d + kv, qkvDim, n, kv, xn, d, grad, weights.offset(WV, l));
            TrainOps.linearBackwardInput(pool, dqkv, 0, qkvDim, n, qkvDim, qkvStack(l).rowMajor(), dxn, d, false);
            TrainOps.rmsnormBackward(pool, dx, grad, weights.offset(ATTN_NORM, l), dxn, x, rms1[l], n, d,
                    w, weights.offset(ATTN_NORM, l), normPartial);
        }
        if (drop) dropout.apply(pool, Dropout.stream(key, Dropout.Site.EMBEDDING, 0), 0, dx, 0, dx, 0, n * d);
        TrainOps.embeddingBackward(grad, weights.offset(FlatWeights.Kind.EMBEDDING, 0), tokens, n, dx, d);
    }

    /** The gradient reaching a residual branch's output: dx itself, or dx through the branch's dropout mask. */
    private float[] branchGradient(boolean drop, long key, Dropout.Site site, int layer) {
        if (!drop) return dx;
        dropout.apply(pool, Dropout.stream(key, site, layer), 0, dx, 0, dBranch, 0, n * d);
        return dBranch;
    }

    private StackedRows qkvStack(int l) {
        return StackedRows.of(w, d, weights.offset(WQ, l), d, weights.offset(WK, l), kv, weights.offset(WV, l), kv);
    }

    private StackedRows w13Stack(int l) {
        return StackedRows.of(w, d, weights.offset(W1, l), h, weights.offset(W3, l), h);
    }

    // ---------------------------------------------------------------- optimizer and state

    @Override
    public double gradientNorm() {
        return sumOfSquaresRoot(pool, grad);
    }

    /** sqrt(sum of squares) in double over fixed chunks added in order: the same value for any thread count. */
    static double sumOfSquaresRoot(ComputePool pool, float[] g) {
        int chunk = 1 << 16, chunks = (g.length + chunk - 1) / chunk;
        double[] part = new double[chunks];
        pool.parallelFor(chunks, 1, (s, e) -> {
            for (int ci = s; ci < e; ci++) {
                double acc = 0;
                for (int i = ci * chunk, end = Math.min(g.length, i + chunk); i < end; i++) acc += (double) g[i] * g[i];
                part[ci] = acc;
            }
        });
        double total = 0;
        for (double p : part) total += p;
        return Math.sqrt(total);
    }

    @Override
    public void adamwStep(AdamW optimizer, double lr, float gradMultiplier, long step) {
        optimizer.update(pool, weights, w, grad, m, v, lr, gradMultiplier, step);
    }

    @Override
    public void readWeights(float[] dst) {
        System.arraycopy(w, 0, dst, 0, w.length);
    }

    @Override
    public void readGradients(float[] dst) {
        System.arraycopy(grad, 0, dst, 0, grad.length);
    }

    @Override
    public void readOptimizerState(float[] mDst, float[] vDst) {
        System.arraycopy(m, 0, mDst, 0, m.length);
        System.arraycopy(v, 0, vDst, 0, v.length);
    }

    @Override
    public void writeState(float[] weightValues, float[] mValues, float[] vValues) {
        System.arraycopy(weightValues, 0, w, 0, w.length);
        if (mValues == null) Arrays.fill(m, 0f);
        else System.arraycopy(mValues, 0, m, 0, m.length);
        if (vValues == null) Arrays.fill(v, 0f);
        else System.arraycopy(vValues, 0, v, 0, v.length);
    }

    @Override
    public void close() {
        if (ownsPool) pool.close();
    }

    /** The CPU backend's factory: always available. */
    public static final class Factory implements TrainBackend.Factory {
        @Override
        public String device() {
            return "cpu";
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public TrainBackend create(FlatWeights initial, Spec spec) {
            return new CpuTrainBackend(initial, spec);
        }

        /** "CPU (N threads)", N the default thread count ({@link ComputePool#defaultThreads()}). */
        @Override
        public List<TrainDevice> devices() {
            int t = ComputePool.defaultThreads();
            return List.of(new TrainDevice("cpu", "CPU (" + t + (t == 1 ? " thread)" : " threads)"), true, null));
        }
    }
}

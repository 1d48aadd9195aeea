package dev.llamascope.engine.inference.inspect;

import java.util.List;

/**
 * One head's attention over a text of n tokens: an n x n matrix that is causal (query q sees keys 0..q only), so
 * only the lower triangle is stored, row q at offset q(q+1)/2. Cells above the diagonal read as {@link #masked()}:
 * 0 for weights, -infinity for pre-softmax scores.
 */
public final class AttentionMatrix {
    private final int n;
    private final float masked;
    private final float[] data;

    public AttentionMatrix(int n, float masked) {
        if (n < 1) throw new IllegalArgumentException("an attention matrix needs at least one token, got " + n);
        long size = (long) n * (n + 1) / 2;
        if (size > Integer.MAX_VALUE - 16) throw new IllegalArgumentException(n + " tokens are too many for one attention matrix");
        this.n = n;
        this.masked = masked;
        this.data = new float[(int) size];
    }

    /** A weights matrix (masked cells 0). */
    public static AttentionMatrix weights(int n) {
        return new AttentionMatrix(n, 0f);
    }

    /** A scores matrix (masked cells -infinity, what the causal mask adds before the softmax). */
    public static AttentionMatrix scores(int n) {
        return new AttentionMatrix(n, Float.NEGATIVE_INFINITY);
    }

    private static int offset(int q) {
        return (int) ((long) q * (q + 1) / 2);
    }

    public int size() {
        return n;
    }

    public float masked() {
        return masked;
    }

    /** The value at query q, key k; {@link #masked()} for k > q. */
    public float get(int q, int k) {
        if (q < 0 || q >= n || k < 0 || k >= n) throw new IndexOutOfBoundsException("cell (" + q + ", " + k + ") outside " + n + " x " + n);
        return k > q ? masked : data[offset(q) + k];
    }

    /** Copies row q (its q + 1 visible values) from src[off ..]. Rows may be set from different threads at once. */
    public void setRow(int q, float[] src, int off) {
        System.arraycopy(src, off, data, offset(q), q + 1);
    }

    /** Copies row q's visible values (keys 0..q) into dst[off ..]. */
    public void copyRow(int q, float[] dst, int off) {
        System.arraycopy(data, offset(q), dst, off, q + 1);
    }

    /** Row q's visible values (keys 0..q), a copy. */
    public float[] row(int q) {
        float[] r = new float[q + 1];
        System.arraycopy(data, offset(q), r, 0, q + 1);
        return r;
    }

    /** Smallest and largest stored (visible) value: the range a colour scale needs. */
    public float[] range() {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : data) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return new float[] {lo, hi};
    }

    /** The cell-wise mean of several heads (rows still sum to 1 when theirs do). */
    public static AttentionMatrix mean(List<AttentionMatrix> heads) {
        AttentionMatrix r = sameShape(heads);
        for (AttentionMatrix h : heads) for (int i = 0; i < r.data.length; i++) r.data[i] += h.data[i];
        float inv = 1f / heads.size();
        for (int i = 0; i < r.data.length; i++) r.data[i] *= inv;
        return r;
    }

    /** The cell-wise maximum of several heads: where any head looks (rows no longer sum to 1). */
    public static AttentionMatrix max(List<AttentionMatrix> heads) {
        AttentionMatrix r = sameShape(heads);
        java.util.Arrays.fill(r.data, Float.NEGATIVE_INFINITY);
        for (AttentionMatrix h : heads) for (int i = 0; i < r.data.length; i++) r.data[i] = Math.max(r.data[i], h.data[i]);
        return r;
    }

    private static AttentionMatrix sameShape(List<AttentionMatrix> heads) {
        if (heads.isEmpty()) throw new IllegalArgumentException("no heads to aggregate");
        AttentionMatrix first = heads.getFirst();
        for (AttentionMatrix h : heads) {
            if (h.n != first.n) throw new IllegalArgumentException("heads of different sizes: " + h.n + " and " + first.n);
        }
        return new AttentionMatrix(first.n, first.masked);
    }
}

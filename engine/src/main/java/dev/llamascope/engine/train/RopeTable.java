package dev.llamascope.engine.train;

import dev.llamascope.engine.inference.Rope;
import dev.llamascope.engine.tensor.ComputePool;

/**
 * cos and sin of every (position, pair) for a sequence length, computed once with the inference engine's
 * {@link Rope} (run.c's formula: interleaved pairs, angle = pos * theta^(-2j/head_size) in fp32). The forward pass
 * rotates by the angle, the backward pass by its negative (a rotation's transpose).
 */
public final class RopeTable {
    private final int headSize, half, seq;
    private final float[] cos, sin;

    public RopeTable(int headSize, float theta, int seq) {
        this.headSize = headSize;
        this.half = headSize / 2;
        this.seq = seq;
        this.cos = new float[seq * half];
        this.sin = new float[seq * half];
        Rope rope = new Rope(headSize, theta);
        float[] c = new float[half], s = new float[half];
        for (int t = 0; t < seq; t++) {
            rope.angles(t, c, s);
            System.arraycopy(c, 0, cos, t * half, half);
            System.arraycopy(s, 0, sin, t * half, half);
        }
    }

    public int seq() {
        return seq;
    }

    /**
     * Rotates columns [off, off + width) of every row (width a multiple of head_size); row r is at position r % seq.
     * {@code inverse} rotates by minus the angle: the backward pass of the forward rotation.
     */
    public void apply(ComputePool pool, float[] buf, int rows, int ld, int off, int width, boolean inverse) {
        pool.parallelFor(rows, (s, e) -> {
            for (int r = s; r < e; r++) applyRow(buf, r * ld + off, width, r % seq, inverse);
        });
    }

    void applyRow(float[] v, int o, int width, int pos, boolean inverse) {
        int base = pos * half;
        for (int h = 0; h < width; h += headSize) {
            for (int j = 0; j < half; j++) {
                int i = o + h + 2 * j;
                float c = cos[base + j], s = inverse ? -sin[base + j] : sin[base + j];
                float v0 = v[i], v1 = v[i + 1];
                v[i] = v0 * c - v1 * s;
                v[i + 1] = v0 * s + v1 * c;
            }
        }
    }
}

package dev.llamascope.engine.inference;

/**
 * Rotary position embedding on interleaved pairs (x[2i], x[2i+1]), as llama2.c's run.c computes it: per pair j
 * of a head, freq = 1 / theta^(2j / head_size), angle = pos * freq in fp32, then cos and sin of that.
 */
public final class Rope {
    private final int headSize;
    private final float[] freq;

    public Rope(int headSize, float theta) {
        this.headSize = headSize;
        this.freq = new float[headSize / 2];
        for (int j = 0; j < freq.length; j++) {
            float exponent = (2 * j) / (float) headSize;
            freq[j] = 1.0f / (float) Math.pow(theta, exponent);
        }
    }

    /** Fills cos[j], sin[j] for the pairs of a head at a position. */
    public void angles(int pos, float[] cos, float[] sin) {
        angles(pos, cos, sin, 0);
    }

    /** Fills cos[off + j], sin[off + j] for the pairs of a head at a position (a row of a table of positions). */
    public void angles(int pos, float[] cos, float[] sin, int off) {
        for (int j = 0; j < freq.length; j++) {
            float val = pos * freq[j];
            cos[off + j] = (float) Math.cos(val);
            sin[off + j] = (float) Math.sin(val);
        }
    }

    /** Rotates every head in v[o .. o + n) (n a multiple of head_size) by the angles of one position. */
    public void rotate(float[] v, int o, int n, float[] cos, float[] sin) {
        rotate(v, o, n, cos, sin, 0);
    }

    /** {@link #rotate} with the position's angles at cos[off ..], sin[off ..]. */
    public void rotate(float[] v, int o, int n, float[] cos, float[] sin, int off) {
        for (int h = 0; h < n; h += headSize) {
            for (int j = 0; j < headSize / 2; j++) {
                int i = o + h + 2 * j;
                float v0 = v[i], v1 = v[i + 1], c = cos[off + j], s = sin[off + j];
                v[i] = v0 * c - v1 * s;
                v[i + 1] = v0 * s + v1 * c;
            }
        }
    }

    public int headSize() {
        return headSize;
    }
}

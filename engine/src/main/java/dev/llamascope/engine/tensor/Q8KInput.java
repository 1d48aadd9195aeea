package dev.llamascope.engine.tensor;

/**
 * An input vector quantized as llama.cpp's q8_K, the activation format of its K-quant kernels: per super-block of
 * 256, the value of largest magnitude {@code max} (with its sign) gives iscale = -127 / max, q = min(127,
 * round-half-even(iscale * x)), d = 1 / iscale in fp32, and the sums of each 16 consecutive q ("bsums").
 */
public final class Q8KInput {
    public static final int QK = 256;

    /** The quantized values, integers in [-127, 127]. */
    public final float[] q;
    /** Per super-block scale (fp32). */
    public final float[] d;
    /** Per 16 values: the exact sum of q. */
    public final float[] bsums;

    private Q8KInput(int n) {
        q = new float[n];
        d = new float[n / QK];
        bsums = new float[n / 16];
    }

    public enum Kind implements Activation.Form<Q8KInput> {
        INSTANCE;

        @Override
        public Q8KInput compute(float[] x, Q8KInput reuse) {
            if (x.length % QK != 0) throw new IllegalArgumentException("input length " + x.length + " is not a multiple of " + QK);
            Q8KInput r = reuse != null ? reuse : new Q8KInput(x.length);
            quantize(x, r);
            return r;
        }
    }

    static void quantize(float[] x, Q8KInput r) {
        for (int b = 0; b < x.length / QK; b++) {
            int o = b * QK;
            float max = 0f, amax = 0f;
            for (int i = 0; i < QK; i++) {
                float ax = Math.abs(x[o + i]);
                if (ax > amax) {
                    amax = ax;
                    max = x[o + i];
                }
            }
            if (amax == 0f) {
                r.d[b] = 0f;
                java.util.Arrays.fill(r.q, o, o + QK, 0f);
                java.util.Arrays.fill(r.bsums, b * 16, b * 16 + 16, 0f);
                continue;
            }
            float iscale = -127f / max;
            for (int i = 0; i < QK; i++) r.q[o + i] = Math.min(127f, (float) Math.rint(iscale * x[o + i]));
            for (int j = 0; j < 16; j++) {
                int s = 0;
                for (int i = 0; i < 16; i++) s += (int) r.q[o + 16 * j + i];
                r.bsums[b * 16 + j] = s;
            }
            r.d[b] = 1f / iscale;
        }
    }
}

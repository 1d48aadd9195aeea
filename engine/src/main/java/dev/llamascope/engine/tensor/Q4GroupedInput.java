package dev.llamascope.engine.tensor;

import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * An input for {@link Q4_0Matrix}'s decode kernels: llama.cpp's q8_0 quantization ({@link Q8BlockInput}), its values
 * laid out per block as the kernel's weight tiles are ({@link Q4Groups}), and per block 8 x the sum of its values:
 * the kernel multiplies raw nibbles 0..15 and subtracts 8 x sum q once per block instead of 8 from every nibble.
 */
final class Q4GroupedInput {
    /** The quantization itself: the block scales d. */
    Q8BlockInput q8;
    /** Per block, {@link Q4Groups#inputPerBlock} shorts in the order of {@link Q4Groups#inputIndex}. */
    final short[] x;
    /** Per block: 8 x sum q. */
    final int[] offsets;

    private Q4GroupedInput(int cols, int n) {
        int blocks = cols / Q4Groups.QK;
        x = new short[blocks * Q4Groups.inputPerBlock(n)];
        offsets = new int[blocks];
    }

    /** One cache key per group size (the vector width decides which one decode uses). */
    enum Kind implements Activation.Form<Q4GroupedInput> {
        ROWS4(4), ROWS8(8), ROWS16(16);

        final int n;

        Kind(int n) {
            this.n = n;
        }

        static Kind of(int n) {
            return n == 16 ? ROWS16 : n == 8 ? ROWS8 : ROWS4;
        }

        @Override
        public Q4GroupedInput compute(float[] v, Q4GroupedInput reuse) {
            Q4GroupedInput r = reuse != null ? reuse : new Q4GroupedInput(v.length, n);
            r.q8 = Q8BlockInput.Kind.INSTANCE.compute(v, r.q8);
            short[] qs = r.q8.qs;
            int blocks = v.length / Q4Groups.QK, per = Q4Groups.inputPerBlock(n);
            for (int b = 0; b < blocks; b++) {
                int qo = b * Q4Groups.QK, xo = b * per;
                if (n == 16) {
                    // the block's 32 values are one 512-bit vector; each 32-short slot is one permutation of it
                    ShortVector q = ShortVector.fromArray(S512, qs, qo);
                    for (int k = 0; k < SHUFFLES16.length; k++) q.rearrange(SHUFFLES16[k]).intoArray(r.x, xo + 32 * k);
                } else {
                    int[] source = n == 8 ? SOURCE8 : SOURCE4;
                    for (int i = 0; i < per; i++) r.x[xo + i] = qs[qo + source[i]];
                }
                r.offsets[b] = 8 * (int) r.q8.sum[b];
            }
            return r;
        }
    }

    private static final VectorSpecies<Short> S512 = ShortVector.SPECIES_512;

    /** For each slot of a block's input, which of its 32 values goes there. */
    private static int[] sources(int n) {
        int[] src = new int[Q4Groups.inputPerBlock(n)];
        for (int j = 0; j < Q4Groups.QK; j++)
            for (int rr = 0; rr < n; rr++) src[Q4Groups.inputIndex(rr, j, n)] = j;
        return src;
    }

    private static final int[] SOURCE8 = sources(8), SOURCE4 = sources(4);
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Short>[] SHUFFLES16 = new VectorShuffle[Q4Groups.inputPerBlock(16) / 32];

    static {
        int[] src = sources(16);
        for (int k = 0; k < SHUFFLES16.length; k++) SHUFFLES16[k] = VectorShuffle.fromArray(S512, src, 32 * k);
    }
}

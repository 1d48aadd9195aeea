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
    /** The quantization itself: the block scales d, and the values for the scalar kernel. */
    Q8BlockInput q8;
    /** Per block, {@link Q4Groups#INPUT_PER_BLOCK} shorts in the order of {@link Q4Groups#inputIndex}. */
    final short[] x;
    /** Per block, {@link Q4Groups#offsetInts} ints: 8 x sum q at each row's first int lane after the first fold. */
    final int[] offsets;

    private Q4GroupedInput(int cols, int lpb) {
        int blocks = cols / Q4Groups.QK;
        x = new short[blocks * Q4Groups.INPUT_PER_BLOCK];
        offsets = new int[blocks * Q4Groups.offsetInts(lpb)];
    }

    /** One cache key per lanes-per-row layout (the vector width decides which one decode uses). */
    enum Kind implements Activation.Form<Q4GroupedInput> {
        LPB2(2), LPB4(4);

        final int lpb;

        Kind(int lpb) {
            this.lpb = lpb;
        }

        static Kind of(int lpb) {
            return lpb == 4 ? LPB4 : LPB2;
        }

        @Override
        public Q4GroupedInput compute(float[] v, Q4GroupedInput reuse) {
            Q4GroupedInput r = reuse != null ? reuse : new Q4GroupedInput(v.length, lpb);
            r.q8 = Q8BlockInput.Kind.INSTANCE.compute(v, r.q8);
            short[] qs = r.q8.qs;
            int blocks = v.length / Q4Groups.QK, oi = Q4Groups.offsetInts(lpb);
            for (int b = 0; b < blocks; b++) {
                int qo = b * Q4Groups.QK, xo = b * Q4Groups.INPUT_PER_BLOCK;
                if (lpb == 4) {
                    // the block's 32 values are one 512-bit vector; each 32-short slot is one permutation of it
                    ShortVector q = ShortVector.fromArray(S512, qs, qo);
                    for (int k = 0; k < SHUFFLES.length; k++) q.rearrange(SHUFFLES[k]).intoArray(r.x, xo + 32 * k);
                } else {
                    for (int i = 0; i < Q4Groups.INPUT_PER_BLOCK; i++) r.x[xo + i] = qs[qo + SOURCE2[i]];
                }
                int sum = (int) r.q8.sum[b];
                for (int rr = 0; rr < Q4Groups.ROWS; rr++) r.offsets[b * oi + rr * lpb / 2] = 8 * sum;
            }
            return r;
        }
    }

    private static final VectorSpecies<Short> S512 = ShortVector.SPECIES_512;

    /** For each slot of a block's input, which of its 32 values goes there. */
    private static int[] sources(int lpb) {
        int[] src = new int[Q4Groups.INPUT_PER_BLOCK];
        for (int j = 0; j < Q4Groups.QK; j++)
            for (int rr = 0; rr < Q4Groups.ROWS; rr++) src[Q4Groups.inputIndex(rr, j, lpb)] = j;
        return src;
    }

    private static final int[] SOURCE2 = sources(2);
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Short>[] SHUFFLES = new VectorShuffle[Q4Groups.INPUT_PER_BLOCK / 32];

    static {
        int[] src = sources(4);
        for (int k = 0; k < SHUFFLES.length; k++) SHUFFLES[k] = VectorShuffle.fromArray(S512, src, 32 * k);
    }
}

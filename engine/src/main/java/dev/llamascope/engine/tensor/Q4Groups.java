package dev.llamascope.engine.tensor;

/**
 * The layout of {@link Q4_0Matrix}'s decode: rows in groups of 8, and per group and block a tile of 128 bytes that
 * holds the 8 rows' nibbles of that block in chunks of 8 x lpb bytes (lpb = lanes per row: 4 for 512-bit vectors, 2
 * for 256-bit ones). Widened to 16-bit lanes, lane lpb * rr + jq of chunk c holds row rr's value c * 2lpb + jq in its
 * low nibble and value c * 2lpb + lpb + jq in its high nibble. Every lane belongs to one row; the lanes add their
 * products over the block's chunks in 16 bits (at most 16 x 15 x 127, no overflow), and a fold of lpb lanes gives
 * each of the 8 rows its block's exact integer dot product: one conversion and one fma per block serve 8 rows.
 * llama.cpp repacks Q4_0 for its x86 kernels the same way (8 rows interleaved), and its arithmetic per row is the same:
 * acc = fma(dot, d_w * d_x, acc), blocks in order. Rows past the last multiple of 8 are zero padding.
 *
 * <p>The input is laid out to match ({@link #inputIndex}): per block and chunk, the 8 x lpb partners of the low
 * nibbles (the lpb values jq repeated for each row), then those of the high nibbles, 256 shorts per block.
 */
final class Q4Groups {
    static final int QK = 32, ROWS = 8, TILE_BYTES = ROWS * QK / 2, INPUT_PER_BLOCK = ROWS * QK;

    private Q4Groups() {}

    static int rowGroups(int rows) {
        return (rows + ROWS - 1) / ROWS;
    }

    /** Byte of row rr's value j in its block's 128-byte tile; its high nibble when {@link #isHigh}. */
    static int byteIndex(int rr, int j, int lpb) {
        return j / (2 * lpb) * ROWS * lpb + lpb * rr + j % (2 * lpb) % lpb;
    }

    static boolean isHigh(int j, int lpb) {
        return j % (2 * lpb) >= lpb;
    }

    /** Where the input value j of a block goes for row rr, within the block's INPUT_PER_BLOCK shorts. */
    static int inputIndex(int rr, int j, int lpb) {
        int r = j % (2 * lpb);
        return j / (2 * lpb) * 2 * ROWS * lpb + (r >= lpb ? ROWS * lpb : 0) + lpb * rr + r % lpb;
    }

    /** Ints per block of the offsets (8 x sum q) subtracted after the first fold: 4 lpb, the value at rr * lpb / 2. */
    static int offsetInts(int lpb) {
        return 4 * lpb;
    }
}

package dev.llamascope.engine.tensor;

/**
 * The layout of {@link Q4_0Matrix}'s decode: rows in groups of n (16 for 512-bit vectors, 8 for 256-bit ones, 4 for
 * 128-bit ones), and
 * per group and block a tile of 16n bytes that holds the n rows' nibbles of that block in 8 chunks of 2n bytes.
 * Widened to 16-bit lanes, lane 2 rr + jq of chunk c holds row rr's value 4c + jq in its low nibble and value
 * 4c + 2 + jq in its high nibble. Every pair of lanes belongs to one row; the lanes add their products over the
 * block's chunks in 16 bits (at most 16 x 15 x 127, no overflow), and a fold of each lane pair gives each row its
 * block's exact integer dot product: one conversion and one fma per block serve n rows. llama.cpp repacks Q4_0 for
 * its x86 kernels the same way (rows interleaved), and its arithmetic per row is the same: acc = fma(dot, d_w * d_x,
 * acc), blocks in order. Rows past the last multiple of n are zero padding.
 *
 * <p>The input is laid out to match ({@link #inputIndex}): per block and chunk, the 2n partners of the low nibbles
 * (the chunk's 2 values repeated for each row), then those of the high nibbles, 32n shorts per block.
 */
final class Q4Groups {
    static final int QK = 32;

    private Q4Groups() {}

    static int rowGroups(int rows, int n) {
        return (rows + n - 1) / n;
    }

    static int tileBytes(int n) {
        return 16 * n;
    }

    static int inputPerBlock(int n) {
        return QK * n;
    }

    /** Byte of row rr's value j in its block's tile of a group of n rows; its high nibble when {@link #isHigh}. */
    static int byteIndex(int rr, int j, int n) {
        return j / 4 * 2 * n + 2 * rr + j % 2;
    }

    static boolean isHigh(int j) {
        return j % 4 >= 2;
    }

    /** Where the input value j of a block goes for row rr, within the block's {@link #inputPerBlock} shorts. */
    static int inputIndex(int rr, int j, int n) {
        return j / 4 * 4 * n + (isHigh(j) ? 2 * n : 0) + 2 * rr + j % 2;
    }
}

package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Quantizes fp32 values into ggml's Q8_0 and Q4_0 blocks exactly as ggml's reference quantizers do (the ones
 * llama-quantize and the GGUF converter use), so files written here match llama.cpp's byte for byte.
 */
public final class GgmlQuantizer {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private GgmlQuantizer() {}

    /** quantize_row_q8_0_ref: d = max|x| / 127 (fp16), q = roundf(x / d), halves away from zero. n % 32 == 0. */
    public static void q8_0(float[] x, int off, int n, MemorySegment dst, long o) {
        for (int b = 0; b < n / 32; b++, o += Q8_0Matrix.BYTES) {
            int xo = off + 32 * b;
            float amax = 0f;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[xo + j]));
            float d = amax / 127f;
            float id = d != 0f ? 1f / d : 0f;
            dst.set(SHORT, o, Half.fromFloat(d));
            for (int j = 0; j < 32; j++) dst.set(ValueLayout.JAVA_BYTE, o + 2 + j, (byte) roundf(x[xo + j] * id));
        }
    }

    /**
     * quantize_row_q4_0_ref: the value of largest magnitude {@code max} (with its sign) gives d = max / -8, and each
     * value becomes min(15, (int8)(x / d + 8.5)) — low nibbles hold values 0..15, high nibbles 16..31.
     */
    public static void q4_0(float[] x, int off, int n, MemorySegment dst, long o) {
        for (int b = 0; b < n / 32; b++, o += Q4_0Matrix.BYTES) {
            int xo = off + 32 * b;
            float amax = 0f, max = 0f;
            for (int j = 0; j < 32; j++) {
                float v = x[xo + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float id = d != 0f ? 1f / d : 0f;
            dst.set(SHORT, o, Half.fromFloat(d));
            for (int j = 0; j < 16; j++) {
                int lo = Math.min(15, (byte) (int) (x[xo + j] * id + 8.5f));
                int hi = Math.min(15, (byte) (int) (x[xo + 16 + j] * id + 8.5f));
                dst.set(ValueLayout.JAVA_BYTE, o + 2 + j, (byte) (lo | (hi << 4)));
            }
        }
    }

    /** C's roundf: halves away from zero. */
    static float roundf(float v) {
        return (float) (v < 0 ? -Math.floor(-(double) v + 0.5) : Math.floor((double) v + 0.5));
    }

    /** A Q8_0 copy of any matrix (values read as floats, then quantized), in native memory freed by the GC. */
    public static Q8_0Matrix toQ8_0(Matrix m) {
        int rows = m.rows(), cols = m.cols();
        if (cols % 32 != 0) throw new IllegalArgumentException("row length " + cols + " is not a multiple of 32, which Q8_0 needs");
        long rowBytes = (long) cols / 32 * Q8_0Matrix.BYTES;
        MemorySegment seg = dev.llamascope.engine.util.Segments.allocate(rows * rowBytes, null);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            m.readRow(r, row, 0);
            q8_0(row, 0, cols, seg, r * rowBytes);
        }
        return new Q8_0Matrix(seg, 0, rows, cols);
    }
}

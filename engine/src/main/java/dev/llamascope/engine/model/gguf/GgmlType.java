package dev.llamascope.engine.model.gguf;

import dev.llamascope.engine.tensor.F16Matrix;
import dev.llamascope.engine.tensor.F32Matrix;
import dev.llamascope.engine.tensor.Matrix;
import dev.llamascope.engine.tensor.Q4KMatrix;
import dev.llamascope.engine.tensor.Q4_0Matrix;
import dev.llamascope.engine.tensor.Q4_1Matrix;
import dev.llamascope.engine.tensor.Q5KMatrix;
import dev.llamascope.engine.tensor.Q5_0Matrix;
import dev.llamascope.engine.tensor.Q5_1Matrix;
import dev.llamascope.engine.tensor.Q6KMatrix;
import dev.llamascope.engine.tensor.Q8_0Matrix;
import java.lang.foreign.MemorySegment;

/**
 * ggml's tensor types as GGUF numbers them, with their block geometry. Every type is listed so that a file's
 * tensor table can be checked against its size whatever it holds; {@link #supported()} says which ones this
 * engine can compute with.
 */
public enum GgmlType {
    F32(0, 1, 4), F16(1, 1, 2), Q4_0(2, 32, 18), Q4_1(3, 32, 20), Q5_0(6, 32, 22), Q5_1(7, 32, 24), Q8_0(8, 32, 34),
    Q8_1(9, 32, 36), Q2_K(10, 256, 84), Q3_K(11, 256, 110), Q4_K(12, 256, 144), Q5_K(13, 256, 176), Q6_K(14, 256, 210),
    Q8_K(15, 256, 292), IQ2_XXS(16, 256, 66), IQ2_XS(17, 256, 74), IQ3_XXS(18, 256, 98), IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18), IQ3_S(21, 256, 110), IQ2_S(22, 256, 82), IQ4_XS(23, 256, 136), I8(24, 1, 1), I16(25, 1, 2),
    I32(26, 1, 4), I64(27, 1, 8), F64(28, 1, 8), IQ1_M(29, 256, 56), BF16(30, 1, 2), TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66), MXFP4(39, 32, 17);

    public final int id;
    public final int blockSize;
    public final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** The type with a GGUF number, or null. */
    public static GgmlType byId(long id) {
        for (GgmlType t : values()) if (t.id == id) return t;
        return null;
    }

    /** Bytes of n values (n a multiple of the block size). */
    public long bytes(long n) {
        return n / blockSize * blockBytes;
    }

    /** Whether weights of this type can be multiplied (and read) by the engine. */
    public boolean supported() {
        return switch (this) {
            case F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K -> true;
            default -> false;
        };
    }

    /** A matrix reading rows x cols values of this type in place at {@code offset}. */
    public Matrix matrix(MemorySegment seg, long offset, int rows, int cols) {
        return switch (this) {
            case F32 -> new F32Matrix(seg, offset, rows, cols);
            case F16 -> new F16Matrix(seg, offset, rows, cols, false);
            case BF16 -> new F16Matrix(seg, offset, rows, cols, true);
            case Q8_0 -> new Q8_0Matrix(seg, offset, rows, cols);
            case Q4_0 -> new Q4_0Matrix(seg, offset, rows, cols);
            case Q4_1 -> new Q4_1Matrix(seg, offset, rows, cols);
            case Q5_0 -> new Q5_0Matrix(seg, offset, rows, cols);
            case Q5_1 -> new Q5_1Matrix(seg, offset, rows, cols);
            case Q4_K -> new Q4KMatrix(seg, offset, rows, cols);
            case Q5_K -> new Q5KMatrix(seg, offset, rows, cols);
            case Q6_K -> new Q6KMatrix(seg, offset, rows, cols);
            default -> throw new IllegalArgumentException("tensor type " + this + " is not supported");
        };
    }

    public static String supportedList() {
        StringBuilder sb = new StringBuilder();
        for (GgmlType t : values()) if (t.supported()) sb.append(sb.isEmpty() ? "" : ", ").append(t);
        return sb.toString();
    }
}

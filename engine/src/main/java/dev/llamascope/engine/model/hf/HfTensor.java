package dev.llamascope.engine.model.hf;

import dev.llamascope.engine.tensor.F16Matrix;
import dev.llamascope.engine.tensor.F32Matrix;
import dev.llamascope.engine.tensor.Matrix;
import java.lang.foreign.MemorySegment;

/**
 * One named tensor of a Hugging Face checkpoint, contiguous and row-major, in place in a mapped file (or a heap
 * copy): dtype as safetensors names it ("F32", "F16", "BF16", ...), shape, and where its bytes are.
 */
public record HfTensor(String name, String dtype, long[] shape, MemorySegment segment, long offset) {
    /** Bytes per value of a dtype name, or 0 when unknown. */
    public static int elementSize(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> 0;
        };
    }

    public long elements() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public long bytes() {
        return elements() * elementSize(dtype);
    }

    public String shapeText() {
        StringBuilder sb = new StringBuilder();
        for (long d : shape) sb.append(sb.isEmpty() ? "" : "x").append(d);
        return sb.isEmpty() ? "scalar" : sb.toString();
    }

    /** Whether the engine computes with this dtype. */
    public static boolean supported(String dtype) {
        return dtype.equals("F32") || dtype.equals("F16") || dtype.equals("BF16");
    }

    /** The tensor as a rows x cols matrix, read in place. */
    public Matrix matrix(int rows, int cols) {
        return switch (dtype) {
            case "F32" -> new F32Matrix(segment, offset, rows, cols);
            case "F16" -> new F16Matrix(segment, offset, rows, cols, false);
            case "BF16" -> new F16Matrix(segment, offset, rows, cols, true);
            default -> throw new IllegalArgumentException("dtype " + dtype + " is not supported");
        };
    }
}

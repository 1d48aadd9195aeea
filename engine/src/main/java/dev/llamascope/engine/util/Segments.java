package dev.llamascope.engine.util;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Keeps every weight segment of the same implementation class. The Vector API loads from a MemorySegment fast only
 * where the JIT's profile shows one segment class; a kernel that has seen both mapped-file segments and allocated
 * (or heap) segments ran 3 to 5 times slower here, for every model loaded after. So mapped files are used through
 * a plain native view of the same memory, and copies made at load (quantized or reordered weights) are native
 * allocations: one class everywhere.
 */
public final class Segments {
    private Segments() {}

    /** The same memory as a plain native segment (the mapping stays owned by {@code arena}). */
    public static MemorySegment asNative(MemorySegment mapped, Arena arena) {
        if (mapped.byteSize() == 0 || !mapped.isNative()) return mapped;
        return MemorySegment.ofAddress(mapped.address()).reinterpret(mapped.byteSize(), arena, null);
    }

    /** Native memory for weights made at load time, freed with {@code arena} (or by the GC when it is null). */
    public static MemorySegment allocate(long bytes, Arena arena) {
        return (arena != null ? arena : Arena.ofAuto()).allocate(Math.max(1, bytes), 64);
    }
}

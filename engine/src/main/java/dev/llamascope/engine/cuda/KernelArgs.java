package dev.llamascope.engine.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Marshals Java values into the {@code void** kernelParams} array cuLaunchKernel takes: an array of pointers,
 * one per parameter, each pointing at that parameter's value. Layout in one native block: the pointer array
 * first (8 bytes per parameter), then one 8-byte-aligned slot per value (4 bytes used for 32-bit values).
 * The driver copies the values at launch, so one block is reused for every launch of an accelerator.
 */
public final class KernelArgs {
    private final MemorySegment block;
    private final int maxParams;

    /** A reusable block for up to {@code maxParams} parameters, allocated in {@code arena}. */
    public KernelArgs(Arena arena, int maxParams) {
        this.maxParams = maxParams;
        this.block = arena.allocate(16L * maxParams, 8);
    }

    /**
     * Writes the values (checked against the signature) and returns the address of the pointer array, valid until
     * the next call.
     */
    public MemorySegment marshal(KernelSignature sig, Object... args) {
        sig.check(args);
        if (args.length > maxParams) throw new IllegalArgumentException("kernel " + sig.name() + " has " + args.length + " parameters, more than " + maxParams);
        long values = 8L * args.length;
        for (int i = 0; i < args.length; i++) {
            long slot = values + 8L * i;
            switch (args[i]) {
                case DevicePtr p -> block.set(ValueLayout.JAVA_LONG, slot, p.address());
                case Long l -> block.set(ValueLayout.JAVA_LONG, slot, l);
                case Integer n -> block.set(ValueLayout.JAVA_INT, slot, n);
                case Float f -> block.set(ValueLayout.JAVA_FLOAT, slot, f);
                case Double d -> block.set(ValueLayout.JAVA_DOUBLE, slot, d);
                default -> throw new IllegalArgumentException("cannot pass " + args[i].getClass() + " to a kernel");
            }
            block.set(ValueLayout.ADDRESS, 8L * i, block.asSlice(slot));
        }
        return block;
    }
}

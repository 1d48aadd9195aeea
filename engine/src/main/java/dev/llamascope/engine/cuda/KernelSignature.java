package dev.llamascope.engine.cuda;

import java.util.List;

/**
 * A kernel's name and parameter types, read from its PTX {@code .entry}. Launches are checked against it, so a
 * Java call that passes an int where the kernel takes a pointer fails with a message instead of corrupting memory.
 *
 * @param synchronizes whether the body uses barriers or warp shuffles (the emulator runs such kernels as fibers)
 */
public record KernelSignature(String name, List<PtxParam> params, boolean synchronizes) {
    public KernelSignature {
        params = List.copyOf(params);
    }

    /** Throws IllegalArgumentException naming the kernel and the first argument that does not fit. */
    public void check(Object[] args) {
        if (args.length != params.size()) {
            throw new IllegalArgumentException("kernel " + name + " takes " + params.size() + " arguments, got " + args.length);
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null || !params.get(i).accepts(args[i])) {
                throw new IllegalArgumentException("kernel " + name + " argument " + i + " is " + params.get(i) + " in the PTX, got "
                        + (args[i] == null ? "null" : args[i].getClass().getSimpleName() + " " + args[i]));
            }
        }
    }
}

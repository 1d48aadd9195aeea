package dev.llamascope.engine.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An {@link Accelerator} over the CPU emulator: the same kernel sources, launched by name with the same void**
 * argument block {@link KernelArgs} builds for cuLaunchKernel (the emulator unpacks it by the kernel's C signature,
 * so a marshalling mistake shows up as wrong numbers here). "Device" memory is host memory.
 */
final class EmuAccelerator implements Accelerator {
    private static final Linker LINKER = Linker.nativeLinker();

    private final MethodHandle alloc, free, launch, lastError;
    private final Arena arena = Arena.ofShared();
    private final KernelArgs args = new KernelArgs(arena, 32);
    private final Map<String, KernelSignature> signatures = new HashMap<>();
    private final Map<String, MemorySegment> names = new HashMap<>();
    private final Set<Long> live = new HashSet<>();
    private final Matmul matmul = new KernelMatmul(this);
    long launches;
    final Map<String, long[]> timeByKernel = new java.util.TreeMap<>();

    EmuAccelerator() {
        Path lib = EmuBuild.library();
        SymbolLookup l = SymbolLookup.libraryLookup(lib, Arena.global());
        alloc = LINKER.downcallHandle(l.find("emu_alloc").orElseThrow(), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        free = LINKER.downcallHandle(l.find("emu_free").orElseThrow(), FunctionDescriptor.ofVoid(JAVA_LONG));
        launch = LINKER.downcallHandle(l.find("emu_launch").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        lastError = LINKER.downcallHandle(l.find("emu_last_error").orElseThrow(), FunctionDescriptor.of(ADDRESS));
        for (PtxModule m : PtxModule.loadAll()) {
            for (KernelSignature k : m.kernels().values()) {
                signatures.put(k.name(), k);
                names.put(k.name(), arena.allocateFrom(k.name()));
            }
        }
    }

    @Override
    public String description() {
        return "CUDA emulator on the CPU, matrix multiplies by " + matmul.name();
    }

    @Override
    public DevicePtr alloc(long bytes) {
        try {
            long p = (long) alloc.invokeExact(bytes);
            if (p == 0) throw new CudaException(2, "emulator out of memory for " + bytes + " bytes");
            live.add(p);
            return new DevicePtr(p);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void free(DevicePtr p) {
        if (!live.remove(p.address())) return;
        try {
            free.invokeExact(p.address());
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MemorySegment at(DevicePtr p, long bytes) {
        return MemorySegment.ofAddress(p.address()).reinterpret(bytes);
    }

    @Override
    public void upload(DevicePtr dst, MemorySegment src) {
        MemorySegment.copy(src, 0, at(dst, src.byteSize()), 0, src.byteSize());
    }

    @Override
    public void download(MemorySegment dst, DevicePtr src) {
        MemorySegment.copy(at(src, dst.byteSize()), 0, dst, 0, dst.byteSize());
    }

    @Override
    public void zero(DevicePtr dst, long bytes) {
        at(dst, bytes).fill((byte) 0);
    }

    @Override
    public boolean hasKernel(String name) {
        return signatures.containsKey(name);
    }

    @Override
    public KernelSignature kernel(String name) {
        KernelSignature s = signatures.get(name);
        if (s == null) throw new IllegalArgumentException("no kernel named " + name + " in the shipped PTX");
        return s;
    }

    @Override
    public void launch(String kernel, Dim3 grid, Dim3 block, Object... a) {
        MemorySegment params = args.marshal(kernel(kernel), a);
        try {
            long t0 = System.nanoTime();
            int r = (int) launch.invokeExact(names.get(kernel), grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(), params);
            long[] tk = timeByKernel.computeIfAbsent(kernel, x -> new long[2]);
            tk[0] += System.nanoTime() - t0;
            tk[1]++;
            launches++;
            if (r != 0) {
                String msg = ((MemorySegment) lastError.invokeExact()).reinterpret(512).getString(0, StandardCharsets.UTF_8);
                throw new IllegalStateException("emulated launch of " + kernel + " failed (" + r + "): " + msg);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void synchronize() {}

    @Override
    public Matmul matmul() {
        return matmul;
    }

    @Override
    public void close() {
        for (Long p : Set.copyOf(live)) free(new DevicePtr(p));
        arena.close();
    }
}

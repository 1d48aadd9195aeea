package dev.llamascope.engine.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CUDA driver API (libcuda / nvcuda.dll) through the FFM API: no JNI, no toolkit, only the library every
 * NVIDIA driver installs. Binds the exported names, which are the versioned ones for many calls (cuMemAlloc_v2,
 * cuMemcpyHtoD_v2, ...: the header's macros do that renaming for C programs). Contexts: the device's primary
 * context (cuDevicePrimaryCtxRetain + cuCtxSetCurrent), which cuBLAS also uses.
 *
 * <p>Types: CUresult and CUdevice are ints, CUdeviceptr and size_t are 64-bit, handles (context, module, function,
 * stream, event) are pointers. Every failing call throws a {@link CudaException} naming the call and the result.
 */
public final class CudaDriver {
    // cuDeviceGetAttribute attributes
    public static final int ATTR_MULTIPROCESSOR_COUNT = 16;
    public static final int ATTR_CC_MAJOR = 75;
    public static final int ATTR_CC_MINOR = 76;
    // cuModuleLoadDataEx JIT options
    static final int JIT_INFO_LOG_BUFFER = 3, JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4, JIT_ERROR_LOG_BUFFER = 5,
            JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6, JIT_LOG_VERBOSE = 12;

    private static final Linker LINKER = Linker.nativeLinker();

    private final String library;
    private final MethodHandle cuInit, cuDriverGetVersion, cuDeviceGetCount, cuDeviceGet, cuDeviceGetName,
            cuDeviceGetAttribute, cuDeviceTotalMem, cuDevicePrimaryCtxRetain, cuDevicePrimaryCtxRelease, cuCtxSetCurrent,
            cuCtxSynchronize, cuMemGetInfo, cuMemAlloc, cuMemFree, cuMemcpyHtoD, cuMemcpyDtoH, cuMemcpyHtoDAsync,
            cuMemcpyDtoHAsync, cuMemsetD32Async, cuStreamCreate, cuStreamDestroy, cuStreamSynchronize, cuEventCreate,
            cuEventRecord, cuEventSynchronize, cuEventElapsedTime, cuEventDestroy, cuModuleLoadDataEx,
            cuModuleGetFunction, cuModuleUnload, cuLaunchKernel, cuGetErrorName;

    private CudaDriver(String library, SymbolLookup lib) {
        this.library = library;
        Binder b = new Binder(library, lib);
        FunctionDescriptor i_i = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
        FunctionDescriptor i_p = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        FunctionDescriptor i_ = FunctionDescriptor.of(JAVA_INT);
        cuInit = b.bind(i_i, "cuInit");
        cuDriverGetVersion = b.bind(i_p, "cuDriverGetVersion");
        cuDeviceGetCount = b.bind(i_p, "cuDeviceGetCount");
        cuDeviceGet = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuDeviceGet");
        cuDeviceGetName = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), "cuDeviceGetName");
        cuDeviceGetAttribute = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), "cuDeviceGetAttribute");
        cuDeviceTotalMem = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuDeviceTotalMem_v2");
        cuDevicePrimaryCtxRetain = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuDevicePrimaryCtxRetain");
        cuDevicePrimaryCtxRelease = b.bind(i_i, "cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease");
        cuCtxSetCurrent = b.bind(i_p, "cuCtxSetCurrent");
        cuCtxSynchronize = b.bind(i_, "cuCtxSynchronize");
        cuMemGetInfo = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "cuMemGetInfo_v2");
        cuMemAlloc = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), "cuMemAlloc_v2");
        cuMemFree = b.bind(FunctionDescriptor.of(JAVA_INT, JAVA_LONG), "cuMemFree_v2");
        cuMemcpyHtoD = b.bind(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG), "cuMemcpyHtoD_v2");
        cuMemcpyDtoH = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), "cuMemcpyDtoH_v2");
        cuMemcpyHtoDAsync = b.bind(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS), "cuMemcpyHtoDAsync_v2");
        cuMemcpyDtoHAsync = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS), "cuMemcpyDtoHAsync_v2");
        cuMemsetD32Async = b.bind(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS), "cuMemsetD32Async");
        cuStreamCreate = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuStreamCreate");
        cuStreamDestroy = b.bind(i_p, "cuStreamDestroy_v2", "cuStreamDestroy");
        cuStreamSynchronize = b.bind(i_p, "cuStreamSynchronize");
        cuEventCreate = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuEventCreate");
        cuEventRecord = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "cuEventRecord");
        cuEventSynchronize = b.bind(i_p, "cuEventSynchronize");
        cuEventElapsedTime = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), "cuEventElapsedTime_v2", "cuEventElapsedTime");
        cuEventDestroy = b.bind(i_p, "cuEventDestroy_v2", "cuEventDestroy");
        cuModuleLoadDataEx = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS), "cuModuleLoadDataEx");
        cuModuleGetFunction = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), "cuModuleGetFunction");
        cuModuleUnload = b.bind(i_p, "cuModuleUnload");
        cuLaunchKernel = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS), "cuLaunchKernel");
        cuGetErrorName = b.optional(FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), "cuGetErrorName");
        if (!b.missing.isEmpty()) {
            throw new CudaException(library + " lacks " + String.join(", ", b.missing)
                    + ": the NVIDIA driver is too old for Llamascope; update it (CUDA 13 drivers, 580 or newer)");
        }
    }

    /** Where the library came from (a name the system loader resolved, or a path). */
    public String library() {
        return library;
    }

    /**
     * Loads the driver from the first candidate that opens (see {@link CudaLibraryLocator#driverCandidates}). Throws a
     * CudaException saying no NVIDIA driver was found, listing what was tried.
     */
    public static CudaDriver load(HostSystem host) {
        List<String> tried = new ArrayList<>();
        CudaException lastBind = null;
        for (String c : CudaLibraryLocator.driverCandidates(host)) {
            Optional<SymbolLookup> lib = open(c);
            if (lib.isEmpty()) {
                tried.add(c);
                continue;
            }
            try {
                return new CudaDriver(c, lib.get());
            } catch (CudaException e) {
                lastBind = e;
                tried.add(c + " (" + e.getMessage() + ")");
            }
        }
        if (lastBind != null) throw lastBind;
        throw new CudaException("no NVIDIA driver: " + String.join(", ", tried) + " could not be loaded. "
                + "Install the NVIDIA driver (it provides " + (host.windows() ? "nvcuda.dll" : "libcuda.so.1") + "); no CUDA toolkit is needed");
    }

    /** Loads the driver from one library name or path; a clear CudaException when it cannot be opened. */
    public static CudaDriver load(String nameOrPath) {
        Optional<SymbolLookup> lib = open(nameOrPath);
        if (lib.isEmpty()) {
            throw new CudaException("no NVIDIA driver: " + nameOrPath + " could not be loaded. Install the NVIDIA driver "
                    + "(it provides libcuda.so.1 on Linux, nvcuda.dll on Windows); no CUDA toolkit is needed");
        }
        return new CudaDriver(nameOrPath, lib.get());
    }

    /** Opens a shared library by bare name (system loader search) or path; empty when it cannot be opened. */
    static Optional<SymbolLookup> open(String nameOrPath) {
        try {
            boolean bare = !nameOrPath.contains("/") && !nameOrPath.contains("\\");
            // The library stays loaded for the life of the process: drivers are not meant to be unloaded.
            return Optional.of(bare ? SymbolLookup.libraryLookup(nameOrPath, Arena.global())
                    : SymbolLookup.libraryLookup(Path.of(nameOrPath), Arena.global()));
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return Optional.empty();
        }
    }

    /** Looks up functions, trying each exported name in turn (versioned first). */
    static final class Binder {
        final String library;
        final SymbolLookup lib;
        final List<String> missing = new ArrayList<>();

        Binder(String library, SymbolLookup lib) {
            this.library = library;
            this.lib = lib;
        }

        MethodHandle bind(FunctionDescriptor fd, String... names) {
            MethodHandle h = optional(fd, names);
            if (h == null) missing.add(names[0]);
            return h;
        }

        MethodHandle optional(FunctionDescriptor fd, String... names) {
            for (String n : names) {
                Optional<MemorySegment> s = lib.find(n);
                if (s.isPresent()) return LINKER.downcallHandle(s.get(), fd);
            }
            return null;
        }
    }

    // ---- calls ----

    static void check(String call, int result) {
        if (result != 0) throw CudaException.of(call, result);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    public void init() {
        try {
            check("cuInit", (int) cuInit.invokeExact(0));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** 1000 * major + 10 * minor of the CUDA version the driver supports (13000 for CUDA 13.0). */
    public int driverVersion() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check("cuDriverGetVersion", (int) cuDriverGetVersion.invokeExact(v));
            return v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int deviceCount() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check("cuDeviceGetCount", (int) cuDeviceGetCount.invokeExact(v));
            return v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The CUdevice of an ordinal. */
    public int device(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check("cuDeviceGet", (int) cuDeviceGet.invokeExact(v, ordinal));
            return v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public String deviceName(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256);
            check("cuDeviceGetName", (int) cuDeviceGetName.invokeExact(buf, 256, device));
            return buf.getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int attribute(int device, int attribute) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check("cuDeviceGetAttribute", (int) cuDeviceGetAttribute.invokeExact(v, attribute, device));
            return v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public long totalMemory(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_LONG);
            check("cuDeviceTotalMem_v2", (int) cuDeviceTotalMem.invokeExact(v, device));
            return v.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The device's primary context (shared with cuBLAS and any other library in the process). */
    public MemorySegment primaryContextRetain(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ADDRESS);
            check("cuDevicePrimaryCtxRetain", (int) cuDevicePrimaryCtxRetain.invokeExact(v, device));
            return v.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void primaryContextRelease(int device) {
        try {
            check("cuDevicePrimaryCtxRelease_v2", (int) cuDevicePrimaryCtxRelease.invokeExact(device));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Makes a context current on the calling thread (contexts are per thread). */
    public void setCurrent(MemorySegment context) {
        try {
            check("cuCtxSetCurrent", (int) cuCtxSetCurrent.invokeExact(context));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void contextSynchronize() {
        try {
            check("cuCtxSynchronize", (int) cuCtxSynchronize.invokeExact());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {free, total} bytes of the current context's device. */
    public long[] memoryInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment free = a.allocate(JAVA_LONG), total = a.allocate(JAVA_LONG);
            check("cuMemGetInfo_v2", (int) cuMemGetInfo.invokeExact(free, total));
            return new long[]{free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public long memAlloc(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_LONG);
            int r = (int) cuMemAlloc.invokeExact(p, bytes);
            if (r != 0) {
                CudaResult.Info i = CudaResult.of(r);
                throw new CudaException(r, "cuMemAlloc_v2 of " + bytes + " bytes failed: " + i.name() + " (" + r + "): " + i.sentence());
            }
            return p.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void memFree(long ptr) {
        try {
            check("cuMemFree_v2", (int) cuMemFree.invokeExact(ptr));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Synchronous copy from native host memory. */
    public void memcpyHtoD(long dst, MemorySegment src, long bytes) {
        try {
            check("cuMemcpyHtoD_v2", (int) cuMemcpyHtoD.invokeExact(dst, src, bytes));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void memcpyDtoH(MemorySegment dst, long src, long bytes) {
        try {
            check("cuMemcpyDtoH_v2", (int) cuMemcpyDtoH.invokeExact(dst, src, bytes));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void memcpyHtoDAsync(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        try {
            check("cuMemcpyHtoDAsync_v2", (int) cuMemcpyHtoDAsync.invokeExact(dst, src, bytes, stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void memcpyDtoHAsync(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        try {
            check("cuMemcpyDtoHAsync_v2", (int) cuMemcpyDtoHAsync.invokeExact(dst, src, bytes, stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Sets {@code count} 32-bit words to {@code value}. */
    public void memsetD32Async(long dst, int value, long count, MemorySegment stream) {
        try {
            check("cuMemsetD32Async", (int) cuMemsetD32Async.invokeExact(dst, value, count, stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public MemorySegment streamCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ADDRESS);
            check("cuStreamCreate", (int) cuStreamCreate.invokeExact(v, 0));
            return v.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void streamDestroy(MemorySegment stream) {
        try {
            check("cuStreamDestroy_v2", (int) cuStreamDestroy.invokeExact(stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void streamSynchronize(MemorySegment stream) {
        try {
            check("cuStreamSynchronize", (int) cuStreamSynchronize.invokeExact(stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public MemorySegment eventCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ADDRESS);
            check("cuEventCreate", (int) cuEventCreate.invokeExact(v, 0));
            return v.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void eventRecord(MemorySegment event, MemorySegment stream) {
        try {
            check("cuEventRecord", (int) cuEventRecord.invokeExact(event, stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void eventSynchronize(MemorySegment event) {
        try {
            check("cuEventSynchronize", (int) cuEventSynchronize.invokeExact(event));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Milliseconds between two recorded events. */
    public float eventElapsedMillis(MemorySegment start, MemorySegment end) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_FLOAT);
            check("cuEventElapsedTime", (int) cuEventElapsedTime.invokeExact(v, start, end));
            return v.get(JAVA_FLOAT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void eventDestroy(MemorySegment event) {
        try {
            check("cuEventDestroy_v2", (int) cuEventDestroy.invokeExact(event));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Loads a PTX text; the driver JIT-compiles it for the current device. On failure the message carries the JIT's
     * error log (the PTX line and what is wrong with it) besides the result's sentence.
     */
    public MemorySegment moduleLoad(String ptx, String what) {
        int logSize = 16 * 1024;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment image = a.allocateFrom(ptx, StandardCharsets.US_ASCII);
            MemorySegment info = a.allocate(logSize), error = a.allocate(logSize);
            int[] opts = {JIT_INFO_LOG_BUFFER, JIT_INFO_LOG_BUFFER_SIZE_BYTES, JIT_ERROR_LOG_BUFFER, JIT_ERROR_LOG_BUFFER_SIZE_BYTES, JIT_LOG_VERBOSE};
            MemorySegment options = a.allocateFrom(JAVA_INT, opts);
            MemorySegment values = a.allocate(ADDRESS, opts.length);
            values.setAtIndex(ADDRESS, 0, info);
            values.setAtIndex(ADDRESS, 1, MemorySegment.ofAddress(logSize));
            values.setAtIndex(ADDRESS, 2, error);
            values.setAtIndex(ADDRESS, 3, MemorySegment.ofAddress(logSize));
            values.setAtIndex(ADDRESS, 4, MemorySegment.ofAddress(1));
            MemorySegment module = a.allocate(ADDRESS);
            int r = (int) cuModuleLoadDataEx.invokeExact(module, image, opts.length, options, values);
            if (r != 0) {
                String log = error.getString(0, StandardCharsets.UTF_8).strip();
                CudaResult.Info i = CudaResult.of(r);
                throw new CudaException(r, "loading the " + what + " kernels failed: " + i.name() + " (" + r + "): " + i.sentence()
                        + (log.isEmpty() ? "" : " JIT log: " + log.replace('\n', ' ')));
            }
            return module.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public MemorySegment moduleFunction(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(ADDRESS);
            check("cuModuleGetFunction(" + name + ")", (int) cuModuleGetFunction.invokeExact(f, module, a.allocateFrom(name)));
            return f.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void moduleUnload(MemorySegment module) {
        try {
            check("cuModuleUnload", (int) cuModuleUnload.invokeExact(module));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Queues a kernel on a stream; {@code params} is the void** array from {@link KernelArgs}. */
    public void launch(String name, MemorySegment function, Dim3 grid, Dim3 block, int sharedBytes, MemorySegment stream,
                       MemorySegment params) {
        try {
            int r = (int) cuLaunchKernel.invokeExact(function, grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(),
                    sharedBytes, stream, params, MemorySegment.NULL);
            if (r != 0) throw CudaException.of("cuLaunchKernel(" + name + ")", r);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The driver's own name for a code, when it has cuGetErrorName (for codes newer than our table). */
    public Optional<String> errorName(int code) {
        if (cuGetErrorName == null) return Optional.empty();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            if ((int) cuGetErrorName.invokeExact(code, p) != 0) return Optional.empty();
            return Optional.of(p.get(ADDRESS, 0).reinterpret(256).getString(0, StandardCharsets.US_ASCII));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}

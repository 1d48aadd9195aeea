package dev.llamascope.engine.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One NVIDIA GPU through the driver API: its primary context, one stream all work is queued on, the shipped PTX
 * modules JIT-compiled for it, and cuBLAS when found (else our tiled kernel). Uploads and downloads go through a
 * native staging buffer, so heap arrays can be copied.
 */
public final class CudaAccelerator implements Accelerator {
    /** How to open the GPU. */
    public record Options(int deviceOrdinal, boolean useCublas, boolean tf32) {
        public static Options defaults() {
            return new Options(0, true, false);
        }
    }

    private static final long STAGING_BYTES = 32L << 20;

    private final CudaDriver cu;
    private final int device;
    private final String deviceName;
    private final MemorySegment context;
    private final MemorySegment stream;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment staging;
    private final KernelArgs args;
    private final List<MemorySegment> modules = new ArrayList<>();
    private final Map<String, MemorySegment> functions = new HashMap<>();
    private final Map<String, KernelSignature> signatures = new HashMap<>();
    private final Set<Long> allocations = new LinkedHashSet<>();
    private final Matmul matmul;
    private final Cublas.Handle cublas;
    private Thread boundThread;
    private String cublasProblem;

    public CudaAccelerator(CudaDriver cu, Options options, HostSystem host) {
        this.cu = cu;
        cu.init();
        int count = cu.deviceCount();
        if (options.deviceOrdinal() < 0 || options.deviceOrdinal() >= count) {
            throw new CudaException("GPU " + options.deviceOrdinal() + " does not exist (" + count + " CUDA device" + (count == 1 ? "" : "s") + " found)");
        }
        this.device = cu.device(options.deviceOrdinal());
        this.deviceName = cu.deviceName(device);
        this.context = cu.primaryContextRetain(device);
        boolean ok = false;
        MemorySegment s = null;
        Cublas.Handle blas = null;
        try {
            bind();
            s = cu.streamCreate();
            int cc = 10 * cu.attribute(device, CudaDriver.ATTR_CC_MAJOR) + cu.attribute(device, CudaDriver.ATTR_CC_MINOR);
            for (PtxModule m : PtxModule.loadAll()) {
                if (m.computeCapability() > cc) continue;  // e.g. TF32 tensor cores on a Turing GPU: that kernel is absent
                MemorySegment mod = cu.moduleLoad(m.text(), m.file());
                modules.add(mod);
                for (KernelSignature k : m.kernels().values()) {
                    functions.put(k.name(), cu.moduleFunction(mod, k.name()));
                    signatures.put(k.name(), k);
                }
            }
            if (options.useCublas()) {
                Optional<Cublas> lib = Cublas.find(host);
                if (lib.isPresent()) {
                    try {
                        blas = lib.get().open(s, options.tf32());
                    } catch (CudaException e) {
                        // a cuBLAS too new for this driver, say: our own kernel still trains, only slower
                        cublasProblem = lib.get().path() + ": " + e.getMessage();
                    }
                }
            }
            ok = true;
        } finally {
            this.stream = s;
            if (!ok) {
                for (MemorySegment m : modules) cu.moduleUnload(m);
                if (s != null) cu.streamDestroy(s);
                cu.primaryContextRelease(device);
            }
        }
        this.cublas = blas;
        this.staging = arena.allocate(STAGING_BYTES, 256);
        this.args = new KernelArgs(arena, 32);
        this.matmul = blas != null ? blas : new KernelMatmul(this, options.tf32());
    }

    /** Makes the context current on the calling thread (contexts are per thread; the caller may change). */
    private void bind() {
        Thread t = Thread.currentThread();
        if (t != boundThread) {
            cu.setCurrent(context);
            boundThread = t;
        }
    }

    @Override
    public String description() {
        return deviceName + ", matrix multiplies by " + matmul.name() + (cublasProblem != null ? " (cuBLAS unusable: " + cublasProblem + ")" : "");
    }

    public String deviceName() {
        return deviceName;
    }

    /** {free, total} bytes on the device now. */
    public long[] memoryInfo() {
        bind();
        return cu.memoryInfo();
    }

    @Override
    public DevicePtr alloc(long bytes) {
        bind();
        long p = cu.memAlloc(Math.max(4, bytes));
        allocations.add(p);
        return new DevicePtr(p);
    }

    @Override
    public void free(DevicePtr p) {
        bind();
        if (allocations.remove(p.address())) cu.memFree(p.address());
    }

    @Override
    public void upload(DevicePtr dst, MemorySegment src) {
        bind();
        long n = src.byteSize();
        if (src.isNative()) {
            cu.memcpyHtoDAsync(dst.address(), src, n, stream);
            cu.streamSynchronize(stream);  // the caller may reuse src after we return
            return;
        }
        for (long o = 0; o < n; o += STAGING_BYTES) {
            long len = Math.min(STAGING_BYTES, n - o);
            MemorySegment.copy(src, o, staging, 0, len);
            cu.memcpyHtoDAsync(dst.address() + o, staging, len, stream);
            cu.streamSynchronize(stream);
        }
    }

    @Override
    public void download(MemorySegment dst, DevicePtr src) {
        bind();
        long n = dst.byteSize();
        if (dst.isNative()) {
            cu.memcpyDtoHAsync(dst, src.address(), n, stream);
            cu.streamSynchronize(stream);
            return;
        }
        for (long o = 0; o < n; o += STAGING_BYTES) {
            long len = Math.min(STAGING_BYTES, n - o);
            cu.memcpyDtoHAsync(staging, src.address() + o, len, stream);
            cu.streamSynchronize(stream);
            MemorySegment.copy(staging, 0, dst, o, len);
        }
    }

    @Override
    public void zero(DevicePtr dst, long bytes) {
        bind();
        if (bytes % 4 != 0) throw new IllegalArgumentException("zero() takes whole 4-byte words, got " + bytes + " bytes");
        cu.memsetD32Async(dst.address(), 0, bytes / 4, stream);
    }

    @Override
    public boolean hasKernel(String name) {
        return functions.containsKey(name);
    }

    @Override
    public KernelSignature kernel(String name) {
        KernelSignature s = signatures.get(name);
        if (s == null) throw new IllegalArgumentException("no kernel named " + name + " in the shipped PTX");
        return s;
    }

    @Override
    public void launch(String kernel, Dim3 grid, Dim3 block, Object... a) {
        bind();
        KernelSignature sig = kernel(kernel);
        cu.launch(kernel, functions.get(kernel), grid, block, 0, stream, args.marshal(sig, a));
    }

    @Override
    public void synchronize() {
        bind();
        cu.streamSynchronize(stream);
    }

    @Override
    public Matmul matmul() {
        return matmul;
    }

    /** Runs the work {@code body} queues and returns the GPU time it took, in milliseconds (events on the stream). */
    public float timeMillis(Runnable body) {
        bind();
        MemorySegment start = cu.eventCreate(), end = cu.eventCreate();
        try {
            cu.eventRecord(start, stream);
            body.run();
            cu.eventRecord(end, stream);
            cu.eventSynchronize(end);
            return cu.eventElapsedMillis(start, end);
        } finally {
            cu.eventDestroy(start);
            cu.eventDestroy(end);
        }
    }

    @Override
    public void close() {
        bind();
        try {
            cu.streamSynchronize(stream);
        } finally {
            for (long p : allocations) cu.memFree(p);
            allocations.clear();
            if (cublas != null) cublas.close();
            for (MemorySegment m : modules) cu.moduleUnload(m);
            cu.streamDestroy(stream);
            cu.primaryContextRelease(device);
            arena.close();
        }
    }
}

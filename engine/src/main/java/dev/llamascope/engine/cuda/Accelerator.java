package dev.llamascope.engine.cuda;

import java.lang.foreign.MemorySegment;

/**
 * What the GPU trainer needs from a device: memory, copies, kernel launches by name, a GEMM. Implemented by
 * {@link CudaAccelerator} (a real GPU through the driver API) and, in tests, by an emulator that runs the same CUDA
 * sources on the CPU, so the trainer's orchestration and argument marshalling are tested without a GPU.
 *
 * <p>Work is queued in order; {@link #download} and {@link #synchronize} wait for everything queued before them.
 * One thread at a time.
 */
public interface Accelerator extends AutoCloseable {
    /** One line: the device (and the GEMM in use). */
    String description();

    /** Device memory, not initialized. */
    DevicePtr alloc(long bytes);

    void free(DevicePtr p);

    /** Copies {@code src} (heap or native) to device memory. */
    void upload(DevicePtr dst, MemorySegment src);

    /** Copies device memory into {@code dst} (heap or native), after all queued work. */
    void download(MemorySegment dst, DevicePtr src);

    /** Sets {@code bytes} (a multiple of 4) of device memory to zero. */
    void zero(DevicePtr dst, long bytes);

    /** The signature of a shipped kernel; IllegalArgumentException for an unknown name. */
    KernelSignature kernel(String name);

    /** Whether this device has the kernel (a module for a newer GPU, like the TF32 GEMM's, may not be loaded). */
    boolean hasKernel(String name);

    /** Queues a kernel; the arguments are checked against its PTX signature first. */
    void launch(String kernel, Dim3 grid, Dim3 block, Object... args);

    /** Waits for all queued work. */
    void synchronize();

    /** The matrix multiply in use (cuBLAS when found, else our tiled kernel). */
    Matmul matmul();

    /** Frees everything this accelerator allocated. */
    @Override
    void close();
}

package dev.llamascope.engine.cuda;

import java.util.HashMap;
import java.util.Map;

/**
 * The CUDA driver's result codes (CUresult, from cuda.h of CUDA 13): each code's name and a sentence a user can act
 * on. Kept here rather than asked of the driver (cuGetErrorString) because the most important failures happen
 * when there is no usable driver to ask.
 */
public final class CudaResult {
    private CudaResult() {}

    /** A code's name and explanation. */
    public record Info(int code, String name, String sentence) {}

    private static final Map<Integer, Info> TABLE = new HashMap<>();

    private static void add(int code, String name, String sentence) {
        TABLE.put(code, new Info(code, name, sentence));
    }

    static {
        add(0, "CUDA_SUCCESS", "No error.");
        add(1, "CUDA_ERROR_INVALID_VALUE", "A value passed to the CUDA driver was out of range (a bug in Llamascope; please report it).");
        add(2, "CUDA_ERROR_OUT_OF_MEMORY", "The GPU ran out of memory: use a smaller batch or sequence length, a smaller model, or close other programs using the GPU.");
        add(3, "CUDA_ERROR_NOT_INITIALIZED", "The CUDA driver was not initialized (cuInit was not called or failed).");
        add(4, "CUDA_ERROR_DEINITIALIZED", "The CUDA driver is shutting down; no more GPU work can be done in this process.");
        add(5, "CUDA_ERROR_PROFILER_DISABLED", "The CUDA profiler is disabled.");
        add(6, "CUDA_ERROR_PROFILER_NOT_INITIALIZED", "The CUDA profiler was not initialized.");
        add(7, "CUDA_ERROR_PROFILER_ALREADY_STARTED", "The CUDA profiler was already started.");
        add(8, "CUDA_ERROR_PROFILER_ALREADY_STOPPED", "The CUDA profiler was already stopped.");
        add(34, "CUDA_ERROR_STUB_LIBRARY", "The libcuda that was loaded is the CUDA toolkit's stub, not the NVIDIA driver: install the NVIDIA driver, or remove the stubs folder from LD_LIBRARY_PATH.");
        add(36, "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER", "This operation needs a newer NVIDIA driver: update the driver.");
        add(46, "CUDA_ERROR_DEVICE_UNAVAILABLE", "The GPU is busy or unavailable (exclusive-process mode, or in use by another program).");
        add(100, "CUDA_ERROR_NO_DEVICE", "The NVIDIA driver found no CUDA-capable GPU (none installed, or hidden by CUDA_VISIBLE_DEVICES).");
        add(101, "CUDA_ERROR_INVALID_DEVICE", "The GPU index does not name a CUDA device.");
        add(102, "CUDA_ERROR_DEVICE_NOT_LICENSED", "The GPU is not licensed for this use (vGPU or data-center licensing).");
        add(200, "CUDA_ERROR_INVALID_IMAGE", "The driver rejected the kernel image as invalid.");
        add(201, "CUDA_ERROR_INVALID_CONTEXT", "There is no valid CUDA context for this thread.");
        add(202, "CUDA_ERROR_CONTEXT_ALREADY_CURRENT", "The CUDA context is already current.");
        add(205, "CUDA_ERROR_MAP_FAILED", "A GPU memory mapping failed.");
        add(206, "CUDA_ERROR_UNMAP_FAILED", "A GPU memory unmapping failed.");
        add(207, "CUDA_ERROR_ARRAY_IS_MAPPED", "The CUDA array is mapped and cannot be destroyed.");
        add(208, "CUDA_ERROR_ALREADY_MAPPED", "The resource is already mapped.");
        add(209, "CUDA_ERROR_NO_BINARY_FOR_GPU", "The kernels have no code that runs on this GPU (its architecture is older than Turing, compute capability 7.5).");
        add(210, "CUDA_ERROR_ALREADY_ACQUIRED", "The resource has already been acquired.");
        add(211, "CUDA_ERROR_NOT_MAPPED", "The resource is not mapped.");
        add(212, "CUDA_ERROR_NOT_MAPPED_AS_ARRAY", "The resource is not mapped as an array.");
        add(213, "CUDA_ERROR_NOT_MAPPED_AS_POINTER", "The resource is not mapped as a pointer.");
        add(214, "CUDA_ERROR_ECC_UNCORRECTABLE", "The GPU reported an uncorrectable memory (ECC) error: the GPU may be faulty.");
        add(215, "CUDA_ERROR_UNSUPPORTED_LIMIT", "The GPU does not support this resource limit.");
        add(216, "CUDA_ERROR_CONTEXT_ALREADY_IN_USE", "The CUDA context is already in use by another thread.");
        add(217, "CUDA_ERROR_PEER_ACCESS_UNSUPPORTED", "Peer access between these GPUs is not supported.");
        add(218, "CUDA_ERROR_INVALID_PTX", "The driver could not compile the kernels' PTX for this GPU (see the JIT log).");
        add(219, "CUDA_ERROR_INVALID_GRAPHICS_CONTEXT", "The OpenGL or DirectX context is invalid.");
        add(220, "CUDA_ERROR_NVLINK_UNCORRECTABLE", "An uncorrectable NVLink error was detected.");
        add(221, "CUDA_ERROR_JIT_COMPILER_NOT_FOUND", "The driver's PTX compiler library was not found: reinstall the NVIDIA driver.");
        add(222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "The NVIDIA driver is too old for the kernels' PTX version: update the driver (PTX 9.0 needs driver 580 or newer, CUDA 13).");
        add(223, "CUDA_ERROR_JIT_COMPILATION_DISABLED", "PTX compilation is disabled (CUDA_DISABLE_PTX_JIT is set): unset it.");
        add(224, "CUDA_ERROR_UNSUPPORTED_EXEC_AFFINITY", "The execution affinity is not supported.");
        add(225, "CUDA_ERROR_UNSUPPORTED_DEVSIDE_SYNC", "The code uses device-side synchronization that is not supported.");
        add(226, "CUDA_ERROR_CONTAINED", "A GPU error was contained; the process must restart to use the GPU again.");
        add(300, "CUDA_ERROR_INVALID_SOURCE", "The kernel source is invalid.");
        add(301, "CUDA_ERROR_FILE_NOT_FOUND", "A file the driver needed was not found.");
        add(302, "CUDA_ERROR_SHARED_OBJECT_SYMBOL_NOT_FOUND", "A shared-object symbol could not be resolved.");
        add(303, "CUDA_ERROR_SHARED_OBJECT_INIT_FAILED", "A shared object failed to initialize.");
        add(304, "CUDA_ERROR_OPERATING_SYSTEM", "An operating-system call made by the driver failed (permissions on /dev/nvidia*?).");
        add(400, "CUDA_ERROR_INVALID_HANDLE", "A CUDA handle was invalid (a bug in Llamascope; please report it).");
        add(401, "CUDA_ERROR_ILLEGAL_STATE", "The CUDA driver is in a state that does not allow this operation.");
        add(402, "CUDA_ERROR_LOSSY_QUERY", "The query would lose information.");
        add(500, "CUDA_ERROR_NOT_FOUND", "A named kernel or symbol was not found in the loaded module.");
        add(600, "CUDA_ERROR_NOT_READY", "The GPU work has not finished yet.");
        add(700, "CUDA_ERROR_ILLEGAL_ADDRESS", "A kernel read or wrote outside its memory (a bug in Llamascope; the GPU context is unusable until restart).");
        add(701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "A kernel launch asked for more registers or threads than the GPU has.");
        add(702, "CUDA_ERROR_LAUNCH_TIMEOUT", "A kernel ran too long and was stopped by the display watchdog: use a smaller batch, or a GPU not driving a display.");
        add(703, "CUDA_ERROR_LAUNCH_INCOMPATIBLE_TEXTURING", "A kernel launch used incompatible texturing.");
        add(704, "CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED", "Peer access is already enabled.");
        add(705, "CUDA_ERROR_PEER_ACCESS_NOT_ENABLED", "Peer access is not enabled.");
        add(708, "CUDA_ERROR_PRIMARY_CONTEXT_ACTIVE", "The GPU's primary context is already active.");
        add(709, "CUDA_ERROR_CONTEXT_IS_DESTROYED", "The CUDA context was destroyed.");
        add(710, "CUDA_ERROR_ASSERT", "A device-side assertion failed in a kernel.");
        add(711, "CUDA_ERROR_TOO_MANY_PEERS", "Too many peer GPUs.");
        add(712, "CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED", "The host memory is already registered.");
        add(713, "CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED", "The host memory is not registered.");
        add(714, "CUDA_ERROR_HARDWARE_STACK_ERROR", "A kernel overflowed the GPU's call stack.");
        add(715, "CUDA_ERROR_ILLEGAL_INSTRUCTION", "A kernel executed an illegal instruction.");
        add(716, "CUDA_ERROR_MISALIGNED_ADDRESS", "A kernel accessed memory at a misaligned address.");
        add(717, "CUDA_ERROR_INVALID_ADDRESS_SPACE", "A kernel used an address in the wrong address space.");
        add(718, "CUDA_ERROR_INVALID_PC", "A kernel jumped to an invalid program counter.");
        add(719, "CUDA_ERROR_LAUNCH_FAILED", "A kernel failed on the GPU; the GPU context is unusable until restart.");
        add(720, "CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE", "A cooperative launch asked for more blocks than fit on the GPU.");
        add(721, "CUDA_ERROR_TENSOR_MEMORY_LEAK", "A kernel left tensor memory allocated.");
        add(800, "CUDA_ERROR_NOT_PERMITTED", "The operation is not permitted.");
        add(801, "CUDA_ERROR_NOT_SUPPORTED", "The operation is not supported on this GPU or system.");
        add(802, "CUDA_ERROR_SYSTEM_NOT_READY", "The GPU system is not ready (on NVSwitch systems, start nvidia-fabricmanager).");
        add(803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH", "The NVIDIA driver library and the kernel module have different versions: reboot after a driver update, or reinstall the driver.");
        add(804, "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE", "The CUDA forward-compatibility driver does not support this GPU: update the system's NVIDIA driver.");
        add(805, "CUDA_ERROR_MPS_CONNECTION_FAILED", "Could not connect to the CUDA MPS server.");
        add(806, "CUDA_ERROR_MPS_RPC_FAILURE", "A call to the CUDA MPS server failed.");
        add(807, "CUDA_ERROR_MPS_SERVER_NOT_READY", "The CUDA MPS server is not ready.");
        add(808, "CUDA_ERROR_MPS_MAX_CLIENTS_REACHED", "The CUDA MPS server has too many clients.");
        add(809, "CUDA_ERROR_MPS_MAX_CONNECTIONS_REACHED", "The CUDA MPS server has too many connections.");
        add(810, "CUDA_ERROR_MPS_CLIENT_TERMINATED", "The CUDA MPS client was terminated.");
        add(811, "CUDA_ERROR_CDP_NOT_SUPPORTED", "Dynamic parallelism is not supported.");
        add(812, "CUDA_ERROR_CDP_VERSION_MISMATCH", "Dynamic parallelism version mismatch.");
        add(900, "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED", "The operation is not allowed while a stream is captured.");
        add(901, "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED", "The stream capture was invalidated.");
        add(902, "CUDA_ERROR_STREAM_CAPTURE_MERGE", "Two stream captures would merge.");
        add(903, "CUDA_ERROR_STREAM_CAPTURE_UNMATCHED", "The stream capture was not started on this stream.");
        add(904, "CUDA_ERROR_STREAM_CAPTURE_UNJOINED", "The stream capture forked without joining.");
        add(905, "CUDA_ERROR_STREAM_CAPTURE_ISOLATION", "The stream capture crossed its isolation boundary.");
        add(906, "CUDA_ERROR_STREAM_CAPTURE_IMPLICIT", "The stream capture met an implicit dependency on the legacy stream.");
        add(907, "CUDA_ERROR_CAPTURED_EVENT", "The operation is not allowed on an event of a captured stream.");
        add(908, "CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD", "The stream capture was ended from another thread.");
        add(909, "CUDA_ERROR_TIMEOUT", "A wait on the GPU timed out.");
        add(910, "CUDA_ERROR_GRAPH_EXEC_UPDATE_FAILURE", "A CUDA graph update failed.");
        add(911, "CUDA_ERROR_EXTERNAL_DEVICE", "An external device reported an error.");
        add(912, "CUDA_ERROR_INVALID_CLUSTER_SIZE", "The thread-block cluster size is invalid.");
        add(913, "CUDA_ERROR_FUNCTION_NOT_LOADED", "The kernel function is not loaded.");
        add(914, "CUDA_ERROR_INVALID_RESOURCE_TYPE", "The resource type is invalid.");
        add(915, "CUDA_ERROR_INVALID_RESOURCE_CONFIGURATION", "The resource configuration is invalid.");
        add(916, "CUDA_ERROR_KEY_ROTATION", "A key rotation on the GPU failed (confidential computing).");
        add(999, "CUDA_ERROR_UNKNOWN", "The CUDA driver reported an unknown error.");
    }

    /** The code's name and sentence; an unlisted code gets a generic one that still shows the number. */
    public static Info of(int code) {
        Info i = TABLE.get(code);
        return i != null ? i : new Info(code, "CUDA_ERROR_" + code, "The CUDA driver returned error " + code + ", unknown to this version of Llamascope.");
    }

    public static String name(int code) {
        return of(code).name();
    }

    public static String sentence(int code) {
        return of(code).sentence();
    }

    /** Every listed code (for tests). */
    public static Map<Integer, Info> all() {
        return Map.copyOf(TABLE);
    }
}

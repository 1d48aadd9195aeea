package dev.llamascope.engine.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * cuBLAS through FFM, for the matrix multiplies: cublasCreate_v2, cublasSetStream_v2, cublasSetMathMode,
 * cublasSgemm_v2 and cublasSgemmStridedBatched. It runs in the current (primary) context. Found by {@link CudaLibraryLocator#cublasCandidates};
 * libcublasLt from the same folder is loaded first, because cuBLAS needs it and the folder (a pip wheel's) is usually
 * not on the loader's search path.
 */
public final class Cublas {
    static final int OP_N = 0, OP_T = 1;
    static final int DEFAULT_MATH = 0, TF32_TENSOR_OP_MATH = 3;

    private static final Map<Integer, String[]> STATUS = Map.of(
            1, new String[]{"CUBLAS_STATUS_NOT_INITIALIZED", "cuBLAS could not start (is the CUDA context valid?)."},
            3, new String[]{"CUBLAS_STATUS_ALLOC_FAILED", "cuBLAS could not allocate memory: the GPU is out of memory."},
            7, new String[]{"CUBLAS_STATUS_INVALID_VALUE", "a matrix multiply was given invalid sizes (a bug in Llamascope; please report it)."},
            8, new String[]{"CUBLAS_STATUS_ARCH_MISMATCH", "this cuBLAS does not support this GPU."},
            11, new String[]{"CUBLAS_STATUS_MAPPING_ERROR", "cuBLAS could not access GPU memory."},
            13, new String[]{"CUBLAS_STATUS_EXECUTION_FAILED", "a cuBLAS kernel failed on the GPU."},
            14, new String[]{"CUBLAS_STATUS_INTERNAL_ERROR", "cuBLAS failed internally (often a driver older than this cuBLAS needs)."},
            15, new String[]{"CUBLAS_STATUS_NOT_SUPPORTED", "this operation is not supported by this cuBLAS."},
            16, new String[]{"CUBLAS_STATUS_LICENSE_ERROR", "cuBLAS reported a license error."});

    private final String path;
    private final MethodHandle create, destroy, setStream, setMathMode, sgemm, sgemmBatched, getVersion;

    private Cublas(String path, SymbolLookup lib) {
        this.path = path;
        CudaDriver.Binder b = new CudaDriver.Binder(path, lib);
        create = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS), "cublasCreate_v2");
        destroy = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS), "cublasDestroy_v2");
        setStream = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "cublasSetStream_v2");
        setMathMode = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cublasSetMathMode");
        sgemm = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS,
                JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), "cublasSgemm_v2");
        sgemmBatched = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS,
                JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT),
                "cublasSgemmStridedBatched");
        getVersion = b.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "cublasGetVersion_v2");
        if (!b.missing.isEmpty()) throw new CudaException(path + " lacks " + String.join(", ", b.missing) + ": not a usable cuBLAS");
    }

    /** The first cuBLAS that loads, or empty (then our own kernel does the multiplies). */
    public static Optional<Cublas> find(HostSystem host) {
        for (Path p : CudaLibraryLocator.cublasCandidates(host)) {
            Optional<Cublas> c = tryLoad(p);
            if (c.isPresent()) return c;
        }
        return Optional.empty();
    }

    static Optional<Cublas> tryLoad(Path p) {
        if (!looksLikeLibrary(p)) return Optional.empty();
        String name = p.getFileName().toString();
        String lt = name.replace("cublas", "cublasLt");
        Path ltPath = p.resolveSibling(lt);
        if (Files.exists(ltPath)) CudaDriver.open(ltPath.toString());
        Optional<SymbolLookup> lib = CudaDriver.open(p.toString());
        if (lib.isEmpty()) return Optional.empty();
        try {
            return Optional.of(new Cublas(p.toString(), lib.get()));
        } catch (CudaException e) {
            return Optional.empty();
        }
    }

    /** An ELF or PE file (a truncated download or a text file is skipped rather than handed to the loader). */
    static boolean looksLikeLibrary(Path p) {
        try (var in = Files.newInputStream(p)) {
            byte[] h = in.readNBytes(4);
            boolean elf = h.length == 4 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F';
            boolean pe = h.length >= 2 && h[0] == 'M' && h[1] == 'Z';
            return elf || pe;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    public String path() {
        return path;
    }

    static void check(String call, int status) {
        if (status == 0) return;
        String[] s = STATUS.getOrDefault(status, new String[]{"CUBLAS_STATUS_" + status, "cuBLAS returned an unknown status."});
        throw new CudaException(status, call + " failed: " + s[0] + " (" + status + "): " + s[1]);
    }

    /** Name and sentence of a cuBLAS status (for tests and messages). */
    static List<String> status(int code) {
        String[] s = STATUS.get(code);
        return s == null ? List.of() : List.of(s);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** A handle bound to the current context and a stream; TF32 tensor-core math only when asked for. */
    public Handle open(MemorySegment stream, boolean tf32) {
        return new Handle(stream, tf32);
    }

    /** A cuBLAS handle; the matrix multiplies of one accelerator. */
    public final class Handle implements Matmul, AutoCloseable {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment handle;
        private final MemorySegment alpha, beta;
        private final boolean tf32;
        private final int version;

        private Handle(MemorySegment stream, boolean tf32) {
            this.tf32 = tf32;
            try {
                MemorySegment h = arena.allocate(ADDRESS);
                check("cublasCreate_v2", (int) create.invokeExact(h));
                handle = h.get(ADDRESS, 0);
                check("cublasSetStream_v2", (int) setStream.invokeExact(handle, stream));
                check("cublasSetMathMode", (int) setMathMode.invokeExact(handle, tf32 ? TF32_TENSOR_OP_MATH : DEFAULT_MATH));
                MemorySegment v = arena.allocate(JAVA_INT);
                check("cublasGetVersion_v2", (int) getVersion.invokeExact(handle, v));
                version = v.get(JAVA_INT, 0);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            alpha = arena.allocate(JAVA_FLOAT);
            beta = arena.allocate(JAVA_FLOAT);
        }

        /** cuBLAS's version number (e.g. 130000 + ...). */
        public int version() {
            return version;
        }

        @Override
        public String name() {
            return "cuBLAS " + version + (tf32 ? " (TF32)" : " (fp32)");
        }

        /**
         * Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: the same call with the operands swapped,
         * m and n swapped, and each operand's own flag (a row-major matrix read column-major is its transpose).
         */
        @Override
        public void gemm(boolean transA, boolean transB, int m, int n, int k, float a, DevicePtr pa, int lda, DevicePtr pb,
                         int ldb, float b, DevicePtr pc, int ldc) {
            alpha.set(JAVA_FLOAT, 0, a);
            beta.set(JAVA_FLOAT, 0, b);
            try {
                check("cublasSgemm_v2", (int) sgemm.invokeExact(handle, transB ? OP_T : OP_N, transA ? OP_T : OP_N, n, m, k,
                        alpha, pb.address(), ldb, pa.address(), lda, beta, pc.address(), ldc));
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /** The same swap as {@link #gemm}, per product. */
        @Override
        public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, float a, DevicePtr pa, int lda, long strideA,
                                DevicePtr pb, int ldb, long strideB, float b, DevicePtr pc, int ldc, long strideC, int batch) {
            alpha.set(JAVA_FLOAT, 0, a);
            beta.set(JAVA_FLOAT, 0, b);
            try {
                check("cublasSgemmStridedBatched", (int) sgemmBatched.invokeExact(handle, transB ? OP_T : OP_N, transA ? OP_T : OP_N,
                        n, m, k, alpha, pb.address(), ldb, strideB, pa.address(), lda, strideA, beta, pc.address(), ldc, strideC, batch));
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override
        public void close() {
            try {
                check("cublasDestroy_v2", (int) destroy.invokeExact(handle));
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                arena.close();
            }
        }
    }
}

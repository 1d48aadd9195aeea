package dev.llamascope.engine.cuda;

/**
 * A failed CUDA (or cuBLAS) call, or a GPU that cannot be used. The message is one line a user understands:
 * what failed, why, and what to do; {@link #code()} is the driver's code (0 when the failure is ours, e.g. no
 * library was found).
 */
public class CudaException extends RuntimeException {
    private final int code;

    public CudaException(String message) {
        super(message);
        this.code = 0;
    }

    public CudaException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The driver's result code of a call: "cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (2): The GPU ran out ...". */
    public static CudaException of(String call, int code) {
        CudaResult.Info i = CudaResult.of(code);
        return new CudaException(code, call + " failed: " + i.name() + " (" + code + "): " + i.sentence());
    }

    public int code() {
        return code;
    }
}

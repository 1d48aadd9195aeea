package dev.llamascope.engine.cuda;

/** The type of one kernel parameter as PTX declares it, with the Java value that may be passed for it. */
public enum PtxParam {
    /** {@code .u64}/{@code .s64}/{@code .b64}: a pointer ({@link DevicePtr}) or a 64-bit integer (Long). */
    U64(8),
    /** {@code .u32}/{@code .s32}/{@code .b32}: an int. */
    U32(4),
    /** {@code .f32}: a float. */
    F32(4),
    /** {@code .f64}: a double. */
    F64(8);

    private final int bytes;

    PtxParam(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    static PtxParam parse(String ptxType) {
        return switch (ptxType) {
            case ".u64", ".s64", ".b64" -> U64;
            case ".u32", ".s32", ".b32" -> U32;
            case ".f32" -> F32;
            case ".f64" -> F64;
            default -> throw new IllegalArgumentException("unsupported PTX parameter type " + ptxType);
        };
    }

    /** Whether a Java value can be passed for this parameter. */
    boolean accepts(Object v) {
        return switch (this) {
            case U64 -> v instanceof DevicePtr || v instanceof Long;
            case U32 -> v instanceof Integer;
            case F32 -> v instanceof Float;
            case F64 -> v instanceof Double;
        };
    }
}

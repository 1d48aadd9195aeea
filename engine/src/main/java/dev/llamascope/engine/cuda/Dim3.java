package dev.llamascope.engine.cuda;

/** Grid or block dimensions of a kernel launch. */
public record Dim3(int x, int y, int z) {
    public Dim3 {
        if (x < 1 || y < 1 || z < 1) throw new IllegalArgumentException("launch dimensions must be positive: " + x + "x" + y + "x" + z);
    }

    public static Dim3 of(int x) {
        return new Dim3(x, 1, 1);
    }

    public static Dim3 of(int x, int y) {
        return new Dim3(x, y, 1);
    }

    /** Blocks of {@code block} threads covering {@code n} items. */
    public static Dim3 cover(long n, int block) {
        long blocks = Math.max(1, (n + block - 1) / block);
        if (blocks > Integer.MAX_VALUE) throw new IllegalArgumentException(n + " items is too many for one launch");
        return of((int) blocks);
    }
}

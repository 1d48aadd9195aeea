import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/** Random ggml blocks (Q8_0, Q4_0) for the kernel benchmarks, found by the source launcher beside them. */
final class RandomBlocks {
    private RandomBlocks() {}

    /**
     * bytes of random blocks of blockBytes each, 64-byte aligned, with every block's fp16 scale 2^-7 (0x2000), so
     * that no block holds an infinity or a NaN.
     */
    static MemorySegment blocks(long bytes, int blockBytes, SplittableRandom rng) {
        MemorySegment seg = Arena.global().allocate(bytes, 64);
        for (long i = 0; i < bytes; i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) rng.nextInt(256));
        for (long i = 0; i < bytes; i += blockBytes) {
            seg.set(ValueLayout.JAVA_BYTE, i, (byte) 0);
            seg.set(ValueLayout.JAVA_BYTE, i + 1, (byte) 0x20);
        }
        return seg;
    }
}

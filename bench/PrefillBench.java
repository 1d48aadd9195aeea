import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tensor.Matrix;
import dev.llamascope.engine.tensor.Q4_0Matrix;
import dev.llamascope.engine.tensor.Q8_0Matrix;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One prefill product on one thread: {@code matmul} of a random rows x cols Q8_0 or Q4_0 matrix with TOKENS random
 * inputs (quantization included), as a prompt's prefill runs it. Prints the median of 15 timed products after 10
 * warm-up ones. Compile the engine first, then (from the repository root):
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp engine/target/classes bench/PrefillBench.java 768 768 256 q8
 * </pre>
 */
public class PrefillBench {
    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: PrefillBench ROWS COLS TOKENS q8|q4");
            System.exit(2);
        }
        int rows = Integer.parseInt(args[0]), cols = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]);
        boolean q4 = args[3].equals("q4");
        int blockBytes = q4 ? Q4_0Matrix.BYTES : Q8_0Matrix.BYTES;
        long bytes = (long) rows * cols / 32 * blockBytes;
        SplittableRandom rng = new SplittableRandom(1);
        MemorySegment seg = RandomBlocks.blocks(bytes, blockBytes, rng);
        Matrix m = q4 ? new Q4_0Matrix(seg, 0, rows, cols) : new Q8_0Matrix(seg, 0, rows, cols);
        float[] a = new float[n * cols], out = new float[n * rows];
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
        try (ComputePool pool = new ComputePool(1)) {
            double[] ms = new double[25];
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                m.matmul(pool, a, n, out, 0, rows);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double[] timed = Arrays.copyOfRange(ms, 10, ms.length);
            Arrays.sort(timed);
            double med = timed[timed.length / 2];
            System.out.printf("%s %dx%d x %d tokens: median %.2f ms, %.1f G multiply-adds/s%n", args[3], rows, cols, n, med,
                    (double) rows * cols * n / med / 1e6);
        }
    }
}

import dev.llamascope.engine.tensor.Activation;
import dev.llamascope.engine.tensor.F32Matrix;
import dev.llamascope.engine.tensor.Matrix;
import dev.llamascope.engine.tensor.Q4_0Matrix;
import dev.llamascope.engine.tensor.Q8_0Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * One decode kernel on one thread: {@code matvec} of COUNT random rows x cols matrices of one type (f32, q8 = Q8_0,
 * q4 = Q4_0), cycled. COUNT = 1 keeps the matrix in L2; COUNT = 200 (e.g. 125 MB of 768x768 Q8_0) makes the weights
 * stream from memory as in a real decode. Prints multiply-adds and bytes per second for 8 timed rounds after 4
 * warm-up rounds. Compile the engine first, then (from the repository root):
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp engine/target/classes bench/DecodeBench.java 768 768 200 q8
 * </pre>
 */
public class DecodeBench {
    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: DecodeBench ROWS COLS COUNT f32|q8|q4");
            System.exit(2);
        }
        int rows = Integer.parseInt(args[0]), cols = Integer.parseInt(args[1]), count = Integer.parseInt(args[2]);
        String type = args[3];
        SplittableRandom rng = new SplittableRandom(1);
        int blockBytes = type.equals("q4") ? Q4_0Matrix.BYTES : Q8_0Matrix.BYTES;
        long each = type.equals("f32") ? 4L * rows * cols : (long) rows * cols / 32 * blockBytes;
        MemorySegment seg;
        if (type.equals("f32")) {
            seg = Arena.global().allocate(each * count, 64);
            for (long i = 0; i < each * count; i += 4) seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) rng.nextGaussian());
        } else {
            seg = RandomBlocks.blocks(each * count, blockBytes, rng);
        }
        Matrix[] ms = new Matrix[count];
        for (int i = 0; i < count; i++) {
            ms[i] = switch (type) {
                case "f32" -> new F32Matrix(seg, i * each, rows, cols);
                case "q8" -> new Q8_0Matrix(seg, i * each, rows, cols);
                case "q4" -> new Q4_0Matrix(seg, i * each, rows, cols);
                default -> throw new IllegalArgumentException("type " + type + ": f32, q8 or q4");
            };
        }
        Activation x = new Activation(cols);
        for (int i = 0; i < cols; i++) x.data[i] = (float) rng.nextGaussian();
        x.changed();
        float[] out = new float[rows];
        int passes = Math.max(1, 2000 / count);
        for (int round = 0; round < 12; round++) {
            long t0 = System.nanoTime();
            for (int p = 0; p < passes; p++) for (Matrix m : ms) m.matvec(x, out, 0, 0, rows);
            long ns = System.nanoTime() - t0;
            if (round >= 4) {
                System.out.printf("%s %dx%d x%d: %.2f G multiply-adds/s, %.2f GB/s%n", type, rows, cols, count,
                        (double) rows * cols * count * passes / ns, (double) each * count * passes / ns);
            }
        }
    }
}

import dev.llamascope.engine.tensor.Activation;
import dev.llamascope.engine.tensor.Q8BlockInput;
import dev.llamascope.engine.tensor.Q8_0Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A Q8_0 decode kernel built on C2's auto-vectorizer instead of the Vector API's arithmetic, against the engine's
 * {@code Q8_0Matrix.matvec} ("old"), on one thread (seventh session, see bench/README.md). Needs 16 float lanes.
 *
 * <p>The Vector API has no integer dot product. C2's SuperWord, though, turns the plain loop in {@link #pairs}
 * ({@code out[i] = a[2i] * b[2i] + a[2i+1] * b[2i+1]} over short arrays) into {@code vpmaddwd} on 512-bit registers,
 * and the accumulating form {@code out[i] += ...} into AVX-512 VNNI's {@code vpdpwssd}: 32 multiply-adds per
 * instruction. "madd" uses it in three passes per row: the row's int8 weights widened to a short array (Vector API),
 * the pair products into an int array (SuperWord), then per block its 16 int lanes converted and scaled by one fma
 * (Vector API, four accumulators). Slower than the engine's kernel: every pass alone runs at about 20-30 G products
 * per second, so three of them lose to one.
 *
 * <p>Prints the largest relative difference from the engine's result (the lanes pair other products, so not
 * bitwise), then multiply-adds per second for 10 timed rounds. After building the engine, from the repository root:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp engine/target/classes bench/MaddDecodeBench.java ROWS COLS COUNT old|madd
 * </pre>
 * Add {@code -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,*MaddDecodeBench::pairs} (with bench/hsdis.c
 * installed) to see the {@code vpmaddwd}.
 */
public class MaddDecodeBench {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    static final VectorSpecies<Short> S32 = ShortVector.SPECIES_512;
    static final int BLOCK = Q8_0Matrix.BLOCK, BYTES = Q8_0Matrix.BYTES;

    private final MemorySegment seg;
    private final long base, rowBytes;
    private final int rows, cols, blocks;
    /** The blocks' fp16 scales as floats, [row][block]. */
    private final float[] scales;

    MaddDecodeBench(MemorySegment seg, long base, int rows, int cols) {
        this.seg = seg;
        this.base = base;
        this.rows = rows;
        this.cols = cols;
        blocks = cols / BLOCK;
        rowBytes = (long) blocks * BYTES;
        scales = new float[rows * blocks];
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < blocks; b++) {
                scales[r * blocks + b] = Float.float16ToFloat(seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, base + r * rowBytes + (long) b * BYTES));
            }
        }
    }

    void matvec(short[] xs, float[] xd, float[] out, int r0, int r1) {
        short[] ws = new short[cols];
        int[] pairSums = new int[cols / 2];
        float[] s = new float[blocks];
        for (int r = r0; r < r1; r++) {
            widen(base + r * rowBytes, ws);
            pairs(ws, xs, pairSums, cols / 2);
            for (int b = 0; b < blocks; b++) s[b] = scales[r * blocks + b] * xd[b];
            out[r] = scale(pairSums, s);
        }
    }

    /** The row's int8 weights (skipping each block's scale) as shorts. */
    private void widen(long o, short[] ws) {
        for (int b = 0; b < blocks; b++, o += BYTES) {
            ByteVector v = ByteVector.fromMemorySegment(B32, seg, o + 2, ByteOrder.LITTLE_ENDIAN);
            ((ShortVector) v.convertShape(VectorOperators.B2S, S32, 0)).intoArray(ws, b * BLOCK);
        }
    }

    /** Left to C2's SuperWord, which emits vpmaddwd for it. */
    static void pairs(short[] a, short[] b, int[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1];
    }

    /** Per block, its 16 pair sums as floats times the block's scale product; four chains against fma latency. */
    private float scale(int[] pairSums, float[] s) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int b = 0;
        for (; b + 3 < blocks; b += 4) {
            a0 = block(pairSums, b).fma(FloatVector.broadcast(F, s[b]), a0);
            a1 = block(pairSums, b + 1).fma(FloatVector.broadcast(F, s[b + 1]), a1);
            a2 = block(pairSums, b + 2).fma(FloatVector.broadcast(F, s[b + 2]), a2);
            a3 = block(pairSums, b + 3).fma(FloatVector.broadcast(F, s[b + 3]), a3);
        }
        for (; b < blocks; b++) a0 = block(pairSums, b).fma(FloatVector.broadcast(F, s[b]), a0);
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    }

    private static FloatVector block(int[] pairSums, int b) {
        return (FloatVector) IntVector.fromArray(I, pairSums, 16 * b).convertShape(VectorOperators.I2F, F, 0);
    }

    public static void main(String[] args) {
        if (args.length != 4 || !(args[3].equals("old") || args[3].equals("madd"))) {
            System.err.println("usage: MaddDecodeBench ROWS COLS COUNT old|madd");
            System.exit(2);
        }
        int rows = Integer.parseInt(args[0]), cols = Integer.parseInt(args[1]), count = Integer.parseInt(args[2]);
        boolean madd = args[3].equals("madd");
        SplittableRandom rng = new SplittableRandom(1);
        long each = (long) rows * cols / BLOCK * BYTES;
        MemorySegment seg = RandomBlocks.blocks(each * count, BYTES, rng);
        Q8_0Matrix[] old = new Q8_0Matrix[count];
        MaddDecodeBench[] nu = new MaddDecodeBench[count];
        for (int i = 0; i < count; i++) {
            old[i] = new Q8_0Matrix(seg, i * each, rows, cols);
            nu[i] = new MaddDecodeBench(seg, i * each, rows, cols);
        }
        Activation x = new Activation(cols);
        for (int i = 0; i < cols; i++) x.data[i] = (float) rng.nextGaussian();
        x.changed();
        Q8BlockInput in = x.form(Q8BlockInput.Kind.INSTANCE);
        float[] o1 = new float[rows], o2 = new float[rows];
        old[0].matvec(x, o1, 0, 0, rows);
        nu[0].matvec(in.qs, in.d, o2, 0, rows);
        double maxRel = 0;
        for (int r = 0; r < rows; r++) maxRel = Math.max(maxRel, Math.abs(o1[r] - o2[r]) / (Math.abs(o1[r]) + 1e-3));
        System.out.println("largest relative difference from the engine: " + maxRel);
        int passes = Math.max(1, 2000 / count);
        for (int round = 0; round < 16; round++) {
            long t0 = System.nanoTime();
            for (int p = 0; p < passes; p++) {
                for (int i = 0; i < count; i++) {
                    if (madd) nu[i].matvec(in.qs, in.d, o2, 0, rows);
                    else old[i].matvec(x, o1, 0, 0, rows);
                }
            }
            long ns = System.nanoTime() - t0;
            if (round >= 6) {
                System.out.printf("%s %dx%d x%d: %.2f G multiply-adds/s%n", args[3], rows, cols, count,
                        (double) rows * cols * count * passes / ns);
            }
        }
    }
}

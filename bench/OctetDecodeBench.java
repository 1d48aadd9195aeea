import dev.llamascope.engine.tensor.Activation;
import dev.llamascope.engine.tensor.Half;
import dev.llamascope.engine.tensor.Q4_0Matrix;
import dev.llamascope.engine.tensor.Q8BlockInput;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prototype Q4_0 decode kernels, outside the engine, against the engine's {@code Q4_0Matrix.matvec} ("old") on one
 * thread (sixth session, see bench/README.md). Needs 16 float lanes (AVX-512).
 * <ul>
 * <li>"new" (octets): four two-block product vectors fold by {@code selectFrom} (vpermt2w) permutes to one integer
 *     per (block, parity) for 8 blocks, one conversion and one fma per 8 blocks. Lane 2k + p = block k's positions
 *     of parity p. Raw nibbles are multiplied; 8 x (sum of q over the parity) is subtracted.</li>
 * <li>"quad": 8 lanes per block of 4 products each, the int16 pair sums widened by 32-bit shifts instead of
 *     vpmovsxwd (slower).</li>
 * </ul>
 * Prints the largest relative difference from the engine's result (the lane order differs, so not bitwise), then
 * multiply-adds per second for 8 timed rounds. Usage, after building the engine, from the repository root:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp engine/target/classes bench/OctetDecodeBench.java ROWS COLS COUNT old|new|quad
 * </pre>
 * COLS must be a multiple of 256. bench/patches/q4_0-octets.patch puts the octet kernel and its prefill into the
 * engine (BlockMatrixTest passes).
 */
public class OctetDecodeBench {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_512, F8 = FloatVector.SPECIES_256;
    static final VectorSpecies<Short> S32 = ShortVector.SPECIES_512, S16 = ShortVector.SPECIES_256;
    static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    static final VectorMask<Byte> UPPER = VectorMask.fromLong(B32, 0xFFFF0000L);
    static final VectorMask<Float> UPPER8 = VectorMask.fromLong(F, 0xFF00L);
    static final int BYTES = Q4_0Matrix.BYTES;
    /** Two pair vectors -> 4 blocks x 8 lanes (lane j + lane j + 8). */
    static final ShortVector FOLD_LO = indices(r -> 16 * (r / 8) + r % 8), FOLD_HI = FOLD_LO.add((short) 8);
    /** Two of those -> 8 blocks x 4 lanes, block k's lanes 0, 1 at 2k, 2k + 1 and lanes 2, 3 at 16 + 2k, 16 + 2k + 1. */
    static final ShortVector HALF_LO = indices(r -> 8 * ((r % 16) / 2) + 2 * (r / 16) + r % 2), HALF_HI = HALF_LO.add((short) 4);
    static final VectorShuffle<Float> TWICE = VectorShuffle.fromOp(F, i -> i / 2);

    static MemorySegment seg;

    static ShortVector indices(java.util.function.IntUnaryOperator f) {
        short[] a = new short[32];
        for (int r = 0; r < 32; r++) a[r] = (short) f.applyAsInt(r);
        return ShortVector.fromArray(S32, a, 0);
    }

    /** Blocks A, B at o: raw nibbles times the paired input (Q8BlockInput.qsPairs), 16 + 16 lanes of two products. */
    static ShortVector rawPair(long o, short[] xs, int xo) {
        ByteVector v = ByteVector.fromMemorySegment(B32, seg, o + 2, ByteOrder.LITTLE_ENDIAN)
                .blend(ByteVector.fromMemorySegment(B32, seg, o + BYTES + 2 - 16, ByteOrder.LITTLE_ENDIAN), UPPER);
        ShortVector w = (ShortVector) v.convertShape(VectorOperators.ZERO_EXTEND_B2S, S32, 0);
        ShortVector lo = w.and((short) 0x0F), hi = w.lanewise(VectorOperators.LSHR, 4);
        return lo.mul(ShortVector.fromArray(S32, xs, xo)).add(hi.mul(ShortVector.fromArray(S32, xs, xo + 32)));
    }

    /** "new": offsets[2b + p] = 8 x sum of q at block b's positions of parity p; table[at ..] the row's block scales. */
    static float dotOctets(long o, short[] xs, short[] offsets, float[] table, int at, float[] xd, int blocks) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b += 8, o += 8 * BYTES) {
            int xo = b * 32;
            ShortVector p0 = rawPair(o, xs, xo), p1 = rawPair(o + 2 * BYTES, xs, xo + 64);
            ShortVector p2 = rawPair(o + 4 * BYTES, xs, xo + 128), p3 = rawPair(o + 6 * BYTES, xs, xo + 192);
            ShortVector q0 = FOLD_LO.selectFrom(p0, p1).add(FOLD_HI.selectFrom(p0, p1));
            ShortVector q1 = FOLD_LO.selectFrom(p2, p3).add(FOLD_HI.selectFrom(p2, p3));
            ShortVector t = HALF_LO.selectFrom(q0, q1).add(HALF_HI.selectFrom(q0, q1));
            ShortVector u = ((ShortVector) t.reinterpretShape(S16, 0)).add((ShortVector) t.reinterpretShape(S16, 1))
                    .sub(ShortVector.fromArray(S16, offsets, 2 * b));
            FloatVector sums = (FloatVector) u.convertShape(VectorOperators.S2F, F, 0);
            FloatVector s = ((FloatVector) FloatVector.fromArray(F8, table, at + b).mul(FloatVector.fromArray(F8, xd, b))
                    .reinterpretShape(F, 0)).rearrange(TWICE);
            acc = sums.fma(s, acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** "quad": offsets[16b + j] = 8 x (q[j] + q[j + 16]) of the pair vector's lane j; s the row's scale products. */
    static float dotQuad(long o, short[] xs, short[] offsets, float[] s, int blocks) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b += 2, o += 2 * BYTES) {
            ShortVector p = rawPair(o, xs, b * 32).sub(ShortVector.fromArray(S32, offsets, b * 16));
            IntVector pi = p.reinterpretAsInts();
            IntVector q = pi.add(pi.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16);
            FloatVector sv = FloatVector.broadcast(F, s[b]).blend(FloatVector.broadcast(F, s[b + 1]), UPPER8);
            acc = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(sv, acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    public static void main(String[] args) {
        if (args.length != 4 || !args[3].matches("old|new|quad") || Integer.parseInt(args[1]) % 256 != 0) {
            System.err.println("usage: OctetDecodeBench ROWS COLS(multiple of 256) COUNT old|new|quad");
            System.exit(2);
        }
        int rows = Integer.parseInt(args[0]), cols = Integer.parseInt(args[1]), count = Integer.parseInt(args[2]);
        String mode = args[3];
        SplittableRandom rng = new SplittableRandom(1);
        int blocks = cols / 32;
        long each = (long) rows * blocks * BYTES;
        seg = RandomBlocks.blocks(each * count, BYTES, rng);
        Q4_0Matrix[] ms = new Q4_0Matrix[count];
        for (int i = 0; i < count; i++) ms[i] = new Q4_0Matrix(seg, i * each, rows, cols);
        float[] table = new float[rows * blocks * count];
        for (int i = 0; i < table.length; i++) table[i] = Half.toFloat(seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, (long) i * BYTES));

        Activation x = new Activation(cols);
        for (int i = 0; i < cols; i++) x.data[i] = (float) rng.nextGaussian();
        x.changed();
        Q8BlockInput in = x.form(Q8BlockInput.Kind.INSTANCE);
        short[] parity = new short[blocks * 2], pairLanes = new short[cols / 2];
        for (int b = 0; b < blocks; b++) {
            for (int p = 0; p < 32; p++) parity[2 * b + (p & 1)] += (short) (8 * in.qs[b * 32 + p]);
            for (int j = 0; j < 16; j++) pairLanes[b * 16 + j] = (short) (8 * (in.qs[b * 32 + j] + in.qs[b * 32 + j + 16]));
        }

        float[] expect = new float[rows], out = new float[rows], s = new float[blocks];
        ms[0].matvec(x, expect, 0, 0, rows);
        if (!mode.equals("old")) {
            matvec(mode, 0, 0, rows, blocks, in, parity, pairLanes, table, s, out);
            double err = 0;
            for (int r = 0; r < rows; r++) err = Math.max(err, Math.abs(expect[r] - out[r]) / (1e-3 + Math.abs(expect[r])));
            System.out.println("largest relative difference from the engine: " + err);
        }
        int passes = Math.max(1, 2000 / count);
        for (int round = 0; round < 12; round++) {
            long t0 = System.nanoTime();
            for (int p = 0; p < passes; p++) {
                for (int i = 0; i < count; i++) {
                    if (mode.equals("old")) ms[i].matvec(x, out, 0, 0, rows);
                    else matvec(mode, i * each, i * rows * blocks, rows, blocks, in, parity, pairLanes, table, s, out);
                }
            }
            long ns = System.nanoTime() - t0;
            if (round >= 4) System.out.printf("%s %dx%d x%d: %.2f G MAC/s%n", mode, rows, cols, count, (double) rows * cols * count * passes / ns);
        }
    }

    /** One matrix at byte base, its scales at table[tableAt ..], with a prototype kernel. */
    static void matvec(String mode, long base, int tableAt, int rows, int blocks, Q8BlockInput in, short[] parity,
                       short[] pairLanes, float[] table, float[] s, float[] out) {
        for (int r = 0; r < rows; r++) {
            long o = base + (long) r * blocks * BYTES;
            int at = tableAt + r * blocks;
            if (mode.equals("new")) {
                out[r] = dotOctets(o, in.qsPairs, parity, table, at, in.d, blocks);
            } else {
                for (int b = 0; b < blocks; b++) s[b] = table[at + b] * in.d[b]; // as the engine forms them
                out[r] = dotQuad(o, in.qsPairs, pairLanes, s, blocks);
            }
        }
    }
}

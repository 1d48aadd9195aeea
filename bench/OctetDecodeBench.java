import dev.llamascope.engine.tensor.*;
import java.lang.foreign.*;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import jdk.incubator.vector.*;

/**
 * Prototype Q4_0 decode kernels, outside the engine, against the engine's {@code Q4_0Matrix.matvec} ("old") on one
 * thread (sixth session, see bench/README.md):
 * <ul>
 * <li>"new" (octets): four two-block product vectors fold by {@code selectFrom} (vpermt2w) permutes to one integer
 *     per (block, parity) for 8 blocks, one conversion and one fma per 8 blocks. Lane 2k + p = block k's positions
 *     of parity p. Raw nibbles are multiplied; 8 x (sum of q over the parity) is subtracted.</li>
 * <li>"quad": 8 lanes per block of 4 products each, the int16 pair sums widened by 32-bit shifts instead of
 *     vpmovsxwd (slower).</li>
 * </ul>
 * Prints the largest relative difference from the engine's result (the lane order differs, so not bitwise), then
 * multiply-adds per second. Usage, after building the engine, from the repository root:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp engine/target/classes bench/OctetDecodeBench.java ROWS COLS COUNT old|new|quad
 * </pre>
 * bench/patches/q4_0-octets.patch puts the octet kernel and its prefill into the engine (BlockMatrixTest passes).
 */
public class OctetDecodeBench {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    static final VectorSpecies<Short> S32 = ShortVector.SPECIES_512, S16 = ShortVector.SPECIES_256;
    static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    static final VectorMask<Byte> UPPER = VectorMask.fromLong(B32, 0xFFFF0000L);
    static final int BYTES = 18;
    static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    static final ShortVector I1L = idx(r -> 16 * (r / 8) + r % 8), I1H = idx(r -> 16 * (r / 8) + r % 8 + 8);
    static final ShortVector I2L = idx(r -> r < 16 ? 8 * (r / 2) + r % 2 : 8 * ((r - 16) / 2) + 2 + r % 2);
    static final ShortVector I2H = idx(r -> (r < 16 ? 8 * (r / 2) + r % 2 : 8 * ((r - 16) / 2) + 2 + r % 2) + 4);
    static final VectorShuffle<Float> DUP = VectorShuffle.fromOp(F, i -> i / 2);
    static ShortVector idx(java.util.function.IntUnaryOperator f) {
        short[] a = new short[32];
        for (int r = 0; r < 32; r++) a[r] = (short) f.applyAsInt(r);
        return ShortVector.fromArray(S32, a, 0);
    }
    static MemorySegment seg;
    static ShortVector pair(long o, short[] xs, int xo) {
        ByteVector v = ByteVector.fromMemorySegment(B32, seg, o + 2, ByteOrder.LITTLE_ENDIAN)
                .blend(ByteVector.fromMemorySegment(B32, seg, o + BYTES + 2 - 16, ByteOrder.LITTLE_ENDIAN), UPPER);
        ShortVector w = (ShortVector) v.convertShape(VectorOperators.ZERO_EXTEND_B2S, S32, 0);
        ShortVector lo = w.and((short) 0x0F), hi = w.lanewise(VectorOperators.LSHR, 4);
        return lo.mul(ShortVector.fromArray(S32, xs, xo)).add(hi.mul(ShortVector.fromArray(S32, xs, xo + 32)));
    }
    static float dotRowBL(long o, short[] xs, short[] corr, float[] table, int tat, float[] xd, int blocks) {
        FloatVector acc = FloatVector.zero(F);
        for (int c = 0; c < blocks / 8; c++, o += 8 * BYTES) {
            int xo = c * 256;
            ShortVector p0 = pair(o, xs, xo), p1 = pair(o + 2 * BYTES, xs, xo + 64);
            ShortVector p2 = pair(o + 4 * BYTES, xs, xo + 128), p3 = pair(o + 6 * BYTES, xs, xo + 192);
            ShortVector q0 = I1L.selectFrom(p0, p1).add(I1H.selectFrom(p0, p1));
            ShortVector q1 = I1L.selectFrom(p2, p3).add(I1H.selectFrom(p2, p3));
            ShortVector t = I2L.selectFrom(q0, q1).add(I2H.selectFrom(q0, q1));
            ShortVector u = ((ShortVector) t.reinterpretShape(S16, 0)).add((ShortVector) t.reinterpretShape(S16, 1))
                    .sub(ShortVector.fromArray(S16, corr, c * 16));
            FloatVector dots = (FloatVector) u.convertShape(VectorOperators.S2F, F, 0);
            FloatVector s = ((FloatVector) FloatVector.fromArray(F8, table, tat + c * 8).mul(FloatVector.fromArray(F8, xd, c * 8)).reinterpretShape(F, 0)).rearrange(DUP);
            acc = dots.fma(s, acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    static final VectorMask<Float> UP8 = VectorMask.fromLong(F, 0xFF00L);
    static float dotQuad(long o, short[] xs, short[] corr, float[] s, int blocks) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b += 2, o += 2 * BYTES) {
            ByteVector v = ByteVector.fromMemorySegment(B32, seg, o + 2, ByteOrder.LITTLE_ENDIAN)
                    .blend(ByteVector.fromMemorySegment(B32, seg, o + BYTES + 2 - 16, ByteOrder.LITTLE_ENDIAN), UPPER);
            ShortVector w = (ShortVector) v.convertShape(VectorOperators.ZERO_EXTEND_B2S, S32, 0);
            ShortVector lo = w.and((short) 0x0F), hi = w.lanewise(VectorOperators.LSHR, 4);
            int xo = b * 32;
            ShortVector p = lo.mul(ShortVector.fromArray(S32, xs, xo)).add(hi.mul(ShortVector.fromArray(S32, xs, xo + 32))).sub(ShortVector.fromArray(S32, corr, xo / 2));
            IntVector pi = p.reinterpretAsInts();
            IntVector q = pi.add(pi.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16);
            FloatVector d = (FloatVector) q.convert(VectorOperators.I2F, 0);
            FloatVector sv = FloatVector.broadcast(F, s[b]).blend(FloatVector.broadcast(F, s[b + 1]), UP8);
            acc = d.fma(sv, acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
    public static void main(String[] args) {
        int rows = Integer.parseInt(args[0]), cols = Integer.parseInt(args[1]), count = Integer.parseInt(args[2]);
        boolean neu = args[3].equals("new");
        SplittableRandom rng = new SplittableRandom(1);
        long each = (long) rows * cols / 32 * BYTES;
        seg = Arena.global().allocate(each * count + 64, 64);
        for (long i = 0; i < seg.byteSize(); i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) rng.nextInt(256));
        for (long i = 0; i < each * count; i += BYTES) { seg.set(ValueLayout.JAVA_BYTE, i, (byte) 0); seg.set(ValueLayout.JAVA_BYTE, i + 1, (byte) 0x20); }
        int blocks = cols / 32;
        Q4_0Matrix[] ms = new Q4_0Matrix[count];
        for (int i = 0; i < count; i++) ms[i] = new Q4_0Matrix(seg, i * each, rows, cols);
        float[] table = new float[rows * blocks * count + 16];
        for (int i = 0; i < rows * blocks * count; i++) table[i] = Half.toFloat(seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, (long) i * BYTES));
        Activation x = new Activation(cols);
        for (int i = 0; i < cols; i++) x.data[i] = (float) rng.nextGaussian();
        x.changed();
        Q8BlockInput in = x.form(Q8BlockInput.Kind.INSTANCE);
        short[] corr = new short[blocks * 2];
        for (int b = 0; b < blocks; b++) for (int p = 0; p < 32; p++) corr[2 * b + (p & 1)] += (short) (8 * in.qs[b * 32 + p]);
        float[] xd = java.util.Arrays.copyOf(in.d, blocks + 16);
        short[] corrQ = new short[cols];
        for (int b = 0; b < blocks; b += 2) for (int j = 0; j < 16; j++) {
            corrQ[b * 16 + j] = (short) (8 * (in.qs[b * 32 + j] + in.qs[b * 32 + j + 16]));
            corrQ[b * 16 + 16 + j] = (short) (8 * (in.qs[(b + 1) * 32 + j] + in.qs[(b + 1) * 32 + j + 16]));
        }
        float[] sp = new float[blocks * count * rows];
        for (int i = 0; i < sp.length; i++) sp[i] = table[i] * xd[i % blocks];
        float[] out = new float[rows], out2 = new float[rows];
        ms[0].matvec(x, out, 0, 0, rows);
        boolean quad = args[3].equals("quad");
        for (int r = 0; r < rows; r++) out2[r] = quad ? dotQuad(r * (long) blocks * BYTES, in.qsPairs, corrQ, java.util.Arrays.copyOfRange(sp, r * blocks, r * blocks + blocks), blocks) : dotRowBL(r * (long) blocks * BYTES, in.qsPairs, corr, table, r * blocks, xd, blocks);
        double err = 0; for (int r = 0; r < rows; r++) err = Math.max(err, Math.abs(out[r] - out2[r]) / (1e-3 + Math.abs(out[r])));
        System.out.println("max rel diff old/new " + err + " e.g. " + out[0] + " " + out2[0]);
        int passes = Math.max(1, 2000 / count);
        for (int round = 0; round < 12; round++) {
            long t0 = System.nanoTime();
            for (int p = 0; p < passes; p++) for (int i = 0; i < count; i++) {
                if (quad) { long base = i * each; int tb = i * rows * blocks; float[] s = new float[blocks];
                    for (int r = 0; r < rows; r++) { int b = 0; for (; b <= blocks - 16; b += 16) FloatVector.fromArray(F, table, tb + r * blocks + b).mul(FloatVector.fromArray(F, xd, b)).intoArray(s, b); for (; b < blocks; b++) s[b] = table[tb + r * blocks + b] * xd[b];
                        out2[r] = dotQuad(base + r * (long) blocks * BYTES, in.qsPairs, corrQ, s, blocks); }
                } else if (neu) { long base = i * each; int tb = i * rows * blocks;
                    for (int r = 0; r < rows; r++) out2[r] = dotRowBL(base + r * (long) blocks * BYTES, in.qsPairs, corr, table, tb + r * blocks, xd, blocks);
                } else ms[i].matvec(x, out, 0, 0, rows);
            }
            long ns = System.nanoTime() - t0;
            if (round >= 4) System.out.printf("%s %dx%d x%d: %.2f G MAC/s%n", args[3], rows, cols, count, (double) rows * cols * count * passes / ns);
        }
    }
}

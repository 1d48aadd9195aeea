import dev.llamascope.engine.tensor.Activation;
import dev.llamascope.engine.tensor.Matrix;
import dev.llamascope.engine.tensor.Q4_0Matrix;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The first prototype of the ninth session (not what the engine runs: it interleaves rows, see Q4Groups and
 * bench/README.md): Q4_0 decode over weights repacked so that vector lanes run across 8 blocks of a row (lane 4b + jq of a
 * 32-byte chunk holds block b's values j0 + jq (low nibble) and j0 + 4 + jq (high nibble)). The int16 products
 * add up per lane over the group's 4 chunks, then fold to one exact integer per block, converted once and scaled by
 * one fma for 8 blocks. Against the engine's kernel on the same random blocks, one thread.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp engine/target/classes bench/GroupedQ4Bench.java 768 768 60 grouped|engine
 * </pre>
 */
public class GroupedQ4Bench {
    static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_256;
    static final VectorSpecies<Short> S512 = ShortVector.SPECIES_512;
    static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
    static final VectorSpecies<Long> L512 = LongVector.SPECIES_512;

    /** Repacked rows: per row, per group of 8 blocks, 4 chunks of 32 bytes. */
    static final class Grouped {
        final int rows, cols, blocks, groups;
        final byte[] w;
        final float[] t;

        Grouped(MemorySegment seg, long base, int rows, int cols) {
            this.rows = rows;
            this.cols = cols;
            blocks = cols / 32;
            groups = (blocks + 7) / 8;
            w = new byte[rows * groups * 128];
            t = new float[rows * groups * 8];
            for (int r = 0; r < rows; r++)
                for (int b = 0; b < blocks; b++) {
                    long o = base + ((long) r * blocks + b) * 18;
                    t[r * groups * 8 + b] = Float.float16ToFloat(seg.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, o));
                    int g = b / 8, bb = b % 8;
                    for (int j = 0; j < 32; j++) {
                        int byt = seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, o + 2 + (j & 15)) & 0xff;
                        int n = j < 16 ? byt & 15 : byt >> 4;
                        int c = j / 8, jq = j % 4, hi = (j % 8) / 4;
                        int at = r * groups * 128 + g * 128 + c * 32 + 4 * bb + jq;
                        w[at] |= (byte) (hi == 0 ? n : n << 4);
                    }
                }
        }
    }

    /** The input in the grouped order: per group, per chunk, 32 low-nibble partners then 32 high-nibble partners. */
    static final class In {
        final short[] x;
        final long[] sum8;
        final float[] d;

        In(int[] q, float[] d, int blocks) {
            int padded = (blocks + 7) / 8 * 8;
            this.d = java.util.Arrays.copyOf(d, padded);
            x = new short[padded * 32];
            sum8 = new long[padded];
            for (int b = 0; b < blocks; b++) {
                int g = b / 8, bb = b % 8;
                long s = 0;
                for (int j = 0; j < 32; j++) {
                    s += q[b * 32 + j];
                    int c = j / 8, jq = j % 4, hi = (j % 8) / 4;
                    x[g * 256 + c * 64 + hi * 32 + 4 * bb + jq] = (short) q[b * 32 + j];
                }
                sum8[b] = 8 * s;
            }
        }
    }

    static float dotGrouped(Grouped m, int r, In in, float[] lanes) {
        byte[] w = m.w;
        short[] x = in.x;
        int wo = r * m.groups * 128, so = r * m.groups * 8;
        FloatVector acc = FloatVector.zero(F256);
        for (int g = 0; g < m.groups; g++, wo += 128) {
            ShortVector a16 = ShortVector.zero(S512);
            int xo = g * 256;
            for (int c = 0; c < 4; c++) {
                ShortVector v = (ShortVector) ByteVector.fromArray(B256, w, wo + c * 32).convertShape(VectorOperators.ZERO_EXTEND_B2S, S512, 0);
                a16 = a16.add(v.and((short) 15).mul(ShortVector.fromArray(S512, x, xo + c * 64)))
                        .add(v.lanewise(VectorOperators.LSHR, 4).mul(ShortVector.fromArray(S512, x, xo + c * 64 + 32)));
            }
            IntVector i32 = a16.reinterpretAsInts();
            i32 = i32.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(i32.lanewise(VectorOperators.ASHR, 16));
            LongVector i64 = i32.reinterpretAsLongs();
            i64 = i64.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32).add(i64.lanewise(VectorOperators.ASHR, 32));
            i64 = i64.sub(LongVector.fromArray(L512, in.sum8, g * 8));
            FloatVector dot = (FloatVector) i64.convertShape(VectorOperators.L2F, F256, 0);
            FloatVector sp = FloatVector.fromArray(F256, m.t, so + g * 8).mul(FloatVector.fromArray(F256, in.d, g * 8));
            acc = dot.fma(sp, acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    public static void main(String[] args) {
        int rows = Integer.parseInt(args[0]), cols = Integer.parseInt(args[1]), count = Integer.parseInt(args[2]);
        String kind = args[3];
        SplittableRandom rng = new SplittableRandom(1);
        long each = (long) rows * cols / 32 * 18;
        MemorySegment seg = RandomBlocks.blocks(each * count, 18, rng);
        int blocks = cols / 32;
        Grouped[] gs = new Grouped[count];
        Matrix[] ms = new Matrix[count];
        for (int i = 0; i < count; i++) {
            if (kind.equals("grouped") || i == 0) gs[i] = new Grouped(seg, i * each, rows, cols);
            ms[i] = new Q4_0Matrix(seg, i * each, rows, cols);
        }
        Activation xa = new Activation(cols);
        int[] q = new int[cols];
        float[] d = new float[blocks];
        for (int i = 0; i < cols; i++) q[i] = rng.nextInt(255) - 127;
        for (int b = 0; b < blocks; b++) d[b] = (float) rng.nextDouble();
        for (int i = 0; i < cols; i++) xa.data[i] = q[i] * d[i / 32];
        xa.changed();
        In in = new In(q, d, blocks);
        float[] out = new float[rows], out2 = new float[rows], lanes = new float[16];
        // check against the engine on matrix 0 (close, not bitwise: the order of float operations differs)
                double maxErr = 0, maxRef = 0;
        for (int r = 0; r < rows; r++) {
            float v = dotGrouped(gs[0], r, in, lanes);
            double ref = 0;
            for (int b = 0; b < blocks; b++) {
                long o = (long) r * blocks * 18 + b * 18;
                long dot = 0;
                for (int j = 0; j < 32; j++) {
                    int byt = seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, o + 2 + (j & 15)) & 0xff;
                    dot += (long) ((j < 16 ? byt & 15 : byt >> 4) - 8) * q[b * 32 + j];
                }
                ref += (double) Float.float16ToFloat(seg.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, o)) * d[b] * dot;
            }
            out2[r] = (float) ref;
            maxErr = Math.max(maxErr, Math.abs(v - out2[r]));
            maxRef = Math.max(maxRef, Math.abs(out2[r]));
        }
        System.out.printf("check: max |grouped - engine| %.3g of max |out| %.3g%n", maxErr, maxRef);
        int passes = Math.max(1, 2000 / count);
        for (int round = 0; round < 12; round++) {
            long t0 = System.nanoTime();
            for (int p = 0; p < passes; p++)
                for (int i = 0; i < count; i++) {
                    if (kind.equals("grouped")) {
                        Grouped m = gs[i];
                        for (int r = 0; r < rows; r++) out[r] = dotGrouped(m, r, in, lanes);
                    } else ms[i].matvec(xa, out, 0, 0, rows);
                }
            long ns = System.nanoTime() - t0;
            if (round >= 4) System.out.printf("%s %dx%d x%d: %.2f G multiply-adds/s%n", kind, rows, cols, count, (double) rows * cols * count * passes / ns);
        }
    }
}

package dev.llamascope.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector quantizers of kernel inputs against their scalar definitions, bit for bit (floats compared by their
 * bits, so -0.0 and 0.0 differ): both q8_0 (llama.cpp, halves to even) and runq.c's groups (halves away from zero).
 */
class InputQuantizeTest {

    /** Blocks of 32 built to hit the edge cases: exact halves after scaling, signed zeros, denormals, equal values. */
    private static float[] inputs(int blocks, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[blocks * 32];
        for (int b = 0; b < blocks; b++) {
            int o = b * 32;
            switch (b % 6) {
                case 0 -> { for (int i = 0; i < 32; i++) x[o + i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-6, 4))); }
                case 1 -> { // max 127: scale 1, so k + 0.5 are exact ties
                    x[o] = 127f;
                    for (int i = 1; i < 32; i++) x[o + i] = (rng.nextInt(-126, 126) + 0.5f) * (rng.nextBoolean() ? 1 : -1);
                }
                case 2 -> { for (int i = 0; i < 32; i++) x[o + i] = i % 2 == 0 ? -0.0f : 0.0f; }
                case 3 -> { for (int i = 0; i < 32; i++) x[o + i] = Float.MIN_VALUE * rng.nextInt(-5, 5); }
                case 4 -> { for (int i = 0; i < 32; i++) x[o + i] = -3.25f; }
                default -> { // one large value, the rest tiny, some rounding to -0.0
                    for (int i = 0; i < 32; i++) x[o + i] = (float) rng.nextGaussian() * 1e-3f;
                    x[o + rng.nextInt(32)] = -1e4f;
                }
            }
        }
        return x;
    }

    @Test
    void q8_0VectorIsScalar() {
        float[] x = inputs(600, 1);
        x[33] = Float.NaN; // block 1 takes the scalar path
        x[70] = Float.POSITIVE_INFINITY;
        Q8BlockInput vec = new Activation(x.length).form(Q8BlockInput.Kind.INSTANCE);
        Q8BlockInput.quantize(x, vec);
        Activation a = new Activation(x.length);
        Q8BlockInput ref = a.form(Q8BlockInput.Kind.INSTANCE);
        int vectorBlocks = 0;
        for (int b = 0; b < x.length / 32; b++) {
            Q8BlockInput.quantizeScalar(x, b, ref);
            if (Float.isFinite(x[b * 32]) && b != 1 && b != 2) vectorBlocks++;
        }
        assertTrue(vectorBlocks > 500);
        assertArrayEquals(bits(ref.q), bits(vec.q));
        assertArrayEquals(ref.qs, vec.qs);
        assertArrayEquals(bits(ref.d), bits(vec.d));
        assertArrayEquals(bits(ref.sum), bits(vec.sum));
        assertArrayEquals(bits(ref.s), bits(vec.s));
        // prefill's block-at-a-time entry: the same values and scales, NaN and infinite blocks included
        float[] qb = new float[x.length + 7], db = new float[x.length / 32];
        for (int b = 0; b < db.length; b++) db[b] = Q8BlockInput.quantizeBlock(x, b * 32, qb, 7 + b * 32);
        assertArrayEquals(bits(ref.q), bits(java.util.Arrays.copyOfRange(qb, 7, qb.length)));
        assertArrayEquals(bits(ref.d), bits(db));
        // the tie case really hits ties: 2.5 -> 2 and -3.5 -> -4 under halves to even
        float[] t = new float[32];
        t[0] = 127f;
        t[1] = 2.5f;
        t[2] = -3.5f;
        t[3] = -0.25f;
        Q8BlockInput q = new Activation(32).form(Q8BlockInput.Kind.INSTANCE);
        assertTrue(Q8BlockInput.quantizeVector(t, 0, q));
        assertEquals(2f, q.q[1]);
        assertEquals(-4f, q.q[2]);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(q.q[3]));
    }

    @Test
    void runqGroupsVectorIsScalar() {
        for (int gs : new int[]{32, 64, 128}) {
            float[] x = inputs(640, gs);
            x[gs + 3] = Float.NaN;
            int n = x.length;
            float[] qv = new float[n], sv = new float[n / gs], qr = new float[n], sr = new float[n / gs];
            Q8Input.quantize(x, n, gs, qv, sv);
            for (int g = 0; g < n / gs; g++) Q8Input.quantizeScalar(x, g, gs, qr, sr);
            assertArrayEquals(bits(qr), bits(qv), "group size " + gs);
            assertArrayEquals(bits(sr), bits(sv), "group size " + gs);
        }
        float[] t = new float[32], q = new float[32], s = new float[1];
        t[0] = 127f;
        t[1] = 2.5f;
        t[2] = -3.5f;
        t[3] = -0.25f;
        t[4] = 0.49999997f;
        assertTrue(Q8Input.quantizeVector(t, 0, 32, q, s));
        assertEquals(3f, q[1]);
        assertEquals(-4f, q[2]);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(q[3]));
        assertEquals(0f, q[4]);
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
        return b;
    }
}

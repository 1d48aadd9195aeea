package dev.llamascope.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Eight keys at a time, and four queries at a time, give every score the bits of one dot product and a division, as decode computed them. */
class AttentionScoresTest {
    @Test
    void batchedScoresAreDotThenDivide() {
        SplittableRandom rng = new SplittableRandom(11);
        int stride = 272, keys = 70;
        float[] k = new float[keys * stride + 64], q = new float[4 * 300];
        // Magnitudes spread over 2^-6 .. 2^6, so that a different order of the additions shows in the low bits.
        for (int i = 0; i < k.length; i++) k[i] = (float) (rng.nextGaussian() * Math.scalb(1.0, rng.nextInt(-6, 7)));
        for (int i = 0; i < q.length; i++) q[i] = (float) (rng.nextGaussian() * Math.scalb(1.0, rng.nextInt(-6, 7)));
        float scale = (float) Math.sqrt(48);
        for (int len : new int[]{8, 16, 32, 48, 64, 72, 128, 256}) {
            for (int n : new int[]{1, 15, 16, 17, 32, 47, keys}) {
                int ko = 5, qo = 3, oo = 2;
                float[] want = new float[n + 4], got = new float[n + 4];
                for (int t = 0; t < n; t++) want[oo + t] = Kernels.dot(q, qo, k, ko + t * stride, len) / scale;
                AttentionScores.scaled(q, qo, k, ko, stride, len, scale, got, oo, n);
                for (int i = 0; i < want.length; i++)
                    assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), "len " + len + ", n " + n + ", element " + i);
                if (n + 3 > keys) continue;
                // Four causal queries (n, n+1, n+2, n+3 keys) at once: each as alone.
                int qs = len + 9, os = keys + 6;
                float[] wantQuad = new float[4 * os], gotQuad = new float[4 * os];
                for (int r = 0; r < 4; r++)
                    for (int t = 0; t < n + r; t++) wantQuad[oo + r * os + t] = Kernels.dot(q, qo + r * qs, k, ko + t * stride, len) / scale;
                AttentionScores.scaledQuad(q, qo, qs, k, ko, stride, len, scale, gotQuad, oo, os, n);
                for (int i = 0; i < wantQuad.length; i++)
                    assertEquals(Float.floatToRawIntBits(wantQuad[i]), Float.floatToRawIntBits(gotQuad[i]), "quad: len " + len + ", n " + n + ", element " + i);
            }
        }
    }
}

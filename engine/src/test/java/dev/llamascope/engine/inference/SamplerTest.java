package dev.llamascope.engine.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplerTest {
    /** run.c's xorshift64* from seed 42; values computed independently with Python's integers. */
    @Test
    void randomSequenceIsRunC() {
        Sampler s = new Sampler(4, SamplerSettings.runC(1f, 0.9f, 42));
        long[] expected = {1456360119L, 3359763283L, 3393612768L, 4054632243L, 3283045847L};
        for (long e : expected) assertEquals(e, s.nextU32());
        Sampler f = new Sampler(4, SamplerSettings.runC(1f, 0.9f, 42));
        assertEquals((1456360119L >>> 8) / 16777216.0f, f.nextFloat());
    }

    @Test
    void greedyTakesTheFirstMaximum() {
        Sampler s = new Sampler(5, SamplerSettings.greedy());
        assertEquals(2, s.sample(new float[]{0f, 1f, 3f, 3f, -1f}, new int[0], 0));
    }

    @Test
    void topKKeepsOnlyTheKMostLikely() {
        float[] logits = {5f, 4.9f, 4.8f, 0f, 0f, 0f};
        Set<Integer> seen = new HashSet<>();
        for (int seed = 1; seed < 400; seed++) {
            Sampler s = new Sampler(6, new SamplerSettings(1f, 1f, 2, 0f, 1f, 64, seed));
            seen.add(s.sample(logits.clone(), new int[0], 0));
        }
        assertEquals(Set.of(0, 1), seen);
    }

    @Test
    void minPDropsUnlikelyTokens() {
        float[] logits = {3f, 2.9f, 0f, -1f};
        Set<Integer> seen = new HashSet<>();
        for (int seed = 1; seed < 400; seed++) {
            Sampler s = new Sampler(4, new SamplerSettings(1f, 1f, 0, 0.5f, 1f, 64, seed));
            seen.add(s.sample(logits.clone(), new int[0], 0));
        }
        assertEquals(Set.of(0, 1), seen);
    }

    @Test
    void repetitionPenaltyChangesTheGreedyChoice() {
        float[] logits = {2f, 1.9f, -1f};
        int[] history = {0, 0, 0};
        assertEquals(0, new Sampler(3, SamplerSettings.greedy()).sample(logits.clone(), history, 3));
        Sampler penalized = new Sampler(3, new SamplerSettings(0f, 0.9f, 0, 0f, 1.2f, 64, 1));
        assertEquals(1, penalized.sample(logits.clone(), history, 3), "2 / 1.2 < 1.9");
        // negative logits are multiplied, so a penalty always makes a token less likely
        float[] neg = {-1f, -1.1f};
        assertEquals(1, new Sampler(2, new SamplerSettings(0f, 0.9f, 0, 0f, 1.2f, 64, 1)).sample(neg, new int[]{0}, 1));
        // the window looks only at the last N tokens
        Sampler windowed = new Sampler(3, new SamplerSettings(0f, 0.9f, 0, 0f, 1.2f, 1, 1));
        assertEquals(0, windowed.sample(logits.clone(), new int[]{0, 2}, 2));
    }

    @Test
    void topPSamplesWithinTheNucleus() {
        float[] logits = {4f, 3f, -5f, -5f, -5f};
        for (int seed = 1; seed < 300; seed++) {
            Sampler s = new Sampler(5, SamplerSettings.runC(1f, 0.5f, seed));
            assertEquals(0, s.sample(logits.clone(), new int[0], 0), "p(0) = 0.73 > 0.5: the nucleus is token 0 alone");
        }
        Set<Integer> seen = new HashSet<>();
        for (int seed = 1; seed < 300; seed++) seen.add(new Sampler(5, SamplerSettings.runC(1f, 0.95f, seed)).sample(logits.clone(), new int[0], 0));
        assertTrue(seen.equals(Set.of(0, 1)), seen.toString());
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(-1f, 0.9f, 0, 0f, 1f, 64, 1));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(1f, Float.NaN, 0, 0f, 1f, 64, 1));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(1f, 0.9f, 0, 2f, 1f, 64, 1));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(1f, 0.9f, 0, 0f, 0f, 64, 1));
    }
}

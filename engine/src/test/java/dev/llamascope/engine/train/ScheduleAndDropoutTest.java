package dev.llamascope.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleAndDropoutTest {
    @Test
    void cosineWithWarmupAndFloor() {
        LrSchedule s = new LrSchedule(LrSchedule.Kind.COSINE, 1e-3, 10, 1e-4, 111);
        assertEquals(1e-4, s.at(0), 1e-15, "warmup starts at lr / warmup");
        assertEquals(5e-4, s.at(4), 1e-15);
        assertEquals(1e-3, s.at(9), 1e-15, "full lr at the last warmup step");
        assertEquals(1e-3, s.at(10), 1e-15, "the cosine starts at lr");
        assertEquals(5.5e-4, s.at(60), 1e-12, "half-way down: the middle of lr and the floor");
        assertEquals(1e-4, s.at(110), 1e-15, "the last step is at the floor");
        assertEquals(1e-4, s.at(500), 1e-15, "past the end: the floor");
        for (int i = 11; i < 111; i++) assertTrue(s.at(i) < s.at(i - 1), "decreasing at " + i);
        LrSchedule c = new LrSchedule(LrSchedule.Kind.CONSTANT, 2e-3, 4, 0, 50);
        assertEquals(1e-3, c.at(1), 1e-15);
        assertEquals(2e-3, c.at(49), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(LrSchedule.Kind.COSINE, 1e-3, 0, 2e-3, 10), "floor above lr");
    }

    @Test
    void dropoutDropsTheRightFractionAndScalesTheRest() {
        Dropout d = new Dropout(0.25f);
        long stream = Dropout.stream(Dropout.key(1, 0), Dropout.Site.ATTENTION, 3);
        int n = 200_000, dropped = 0;
        for (int i = 0; i < n; i++) {
            float f = d.factor(stream, i);
            if (f == 0f) dropped++;
            else assertEquals(1f / 0.75f, f);
        }
        assertEquals(0.25, dropped / (double) n, 0.005);
        long other = Dropout.stream(Dropout.key(1, 0), Dropout.Site.FFN_OUT, 3);
        int same = 0;
        for (int i = 0; i < 1000; i++) if ((d.factor(stream, i) == 0f) == (d.factor(other, i) == 0f)) same++;
        assertTrue(same < 700, "sites draw independent masks (" + same + " of 1000 agree)");
        assertNotEquals(Dropout.key(1, 0), Dropout.key(1, 1), "each micro-batch its own key");
        assertEquals(1f, new Dropout(0f).factor(stream, 5));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f));
    }

    @Test
    void clippingCoefficientIsPyTorchs() {
        assertEquals(1f, AdamW.clipCoefficient(0.5, 1f));
        assertEquals(1f / (4f + 1e-6f), AdamW.clipCoefficient(4.0, 1f));
        assertEquals(1f, AdamW.clipCoefficient(1e9, 0f), "0 turns clipping off");
    }
}

package dev.llamascope.app.ui.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;

class ColorScaleTest {
    @Test
    void sequentialEndsAndGamma() {
        ColorScale s = ColorScale.sequential(Color.WHITE, Color.BLUE, Color.BLACK, 0, 1, 0.5);
        assertEquals(0xffffffff, s.argb(0));
        assertEquals(0xff000000, s.argb(1));
        assertEquals(0xffffffff, s.argb(-3), "clamped below");
        assertEquals(0xff000000, s.argb(7), "clamped above");
        // gamma 0.5: a weight of 0.25 sits half way along the scale, on the mid colour
        assertEquals(0.5, s.position(0.25), 1e-12);
        assertEquals(0xff0000ff, s.argb(0.25));
        assertEquals(0.25, s.valueAt(0.5), 1e-12);
        for (double v = 0; v <= 1; v += 0.1) assertEquals(v, s.valueAt(s.position(v)), 1e-9);
    }

    @Test
    void divergingIsSymmetricAroundZero() {
        ColorScale d = ColorScale.diverging(Color.BLUE, Color.WHITE, Color.RED, -2, 5, 1);
        assertEquals(-5, d.min(), 0);
        assertEquals(5, d.max(), 0);
        assertEquals(0xffffffff, d.argb(0));
        assertEquals(0xffff0000, d.argb(5));
        assertEquals(0xff0000ff, d.argb(-5));
        assertEquals(0.25, d.position(-2.5), 1e-12);
        assertEquals(-2.5, d.valueAt(0.25), 1e-12);
    }

    @Test
    void textColourReadsOnItsBackground() {
        assertEquals(Color.BLACK, ColorScale.textOn(Color.WHITE));
        assertEquals(Color.WHITE, ColorScale.textOn(Color.web("#0969da")));
        assertEquals(Color.WHITE, ColorScale.textOn(Color.web("#24292f")));
    }
}

package dev.llamascope.app.ui.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenOddsTest {
    @Test
    void topKAndProbabilitiesMatchAFullSoftmaxAndSort() {
        Random r = new Random(7);
        float[] logits = new float[512];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (r.nextGaussian() * 3);
        TokenOdds odds = TokenOdds.of(logits, logits.length, 17, 8);

        double max = IntStream.range(0, 512).mapToDouble(i -> logits[i]).max().orElseThrow();
        double sum = IntStream.range(0, 512).mapToDouble(i -> Math.exp(logits[i] - max)).sum();
        int[] expected = IntStream.range(0, 512).boxed().sorted(Comparator.comparingDouble(i -> -logits[i])).limit(8).mapToInt(i -> i).toArray();
        assertArrayEquals(expected, odds.ids());
        for (int i = 0; i < 8; i++) assertEquals(Math.exp(logits[expected[i]] - max) / sum, odds.probs()[i], 1e-6);
        assertEquals(Math.exp(logits[17] - max) / sum, odds.chosen(), 1e-6);
    }

    @Test
    void tiesKeepTheLowerIdFirstAndFewerTokensThanKWork() {
        TokenOdds odds = TokenOdds.of(new float[]{1, 3, 3, 0}, 4, 2, 8);
        assertArrayEquals(new int[]{1, 2, 0, 3}, odds.ids());
        assertEquals(1.0, odds.probs()[0] + odds.probs()[1] + odds.probs()[2] + odds.probs()[3], 1e-6);
        assertTrue(Arrays.equals(odds.ids(), odds.withChosen(0).ids()));
        assertEquals(odds.probs()[2], odds.withChosen(0).chosen());
        assertTrue(Float.isNaN(odds.withChosen(99).chosen()));
    }
}

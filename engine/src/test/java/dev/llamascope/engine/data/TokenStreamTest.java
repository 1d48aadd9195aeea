package dev.llamascope.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.SharedData;
import dev.llamascope.engine.tokenizer.Llama2cTokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenStreamTest {
    /** The text reader + tokenizer produce llama2.c's pretokenized shard of the same text. */
    @Test
    void plainTextTokenizesLikeTheU16Shard() throws Exception {
        Tokenizer tok = Llama2cTokenizer.read(SharedData.file("models/stories260K/tok512.bin"));
        int[] shard = TokenFileReader.read(SharedData.file("data/tinystories-sample.tok512.u16"), 512);
        var docs = TextReader.documents(SharedData.file("data/tinystories-sample.txt")).subList(0, 400);
        int[] ours = Datasets.tokenize(docs, tok);
        assertArrayEquals(shard, ours);
    }

    @Test
    void sequentialOrderIsGoldensWindows() {
        int[] t = new int[1001];
        for (int i = 0; i < t.length; i++) t[i] = i;
        TokenStream s = new TokenStream(t, "counting");
        int B = 4, T = 64, W = 1000 / 64;
        assertEquals(W, s.units(T));
        BatchLoader l = new BatchLoader(s, B, T, DataOrder.SEQUENTIAL, 0);
        for (int step : new int[]{0, 1, 3, 7}) {
            Batch b = l.batch(step);
            for (int r = 0; r < B; r++) {
                int j = (step * B + r) % W;
                assertEquals(j * T, b.inputs()[r * T]);
                assertEquals(j * T + T - 1, b.inputs()[r * T + T - 1]);
                assertEquals(j * T + T, b.targets()[r * T + T - 1]);
            }
        }
    }

    @Test
    void shuffleVisitsEveryUnitOncePerEpochAndDependsOnTheSeed() {
        TokenStream s = new TokenStream(new int[10 * 8 + 1], "zeros");
        BatchLoader a = new BatchLoader(s, 2, 8, DataOrder.SHUFFLE, 1), b = new BatchLoader(s, 2, 8, DataOrder.SHUFFLE, 2);
        int[] epoch0 = new int[10], epoch1 = new int[10], other = new int[10];
        for (int i = 0; i < 10; i++) {
            epoch0[i] = a.unit(i);
            epoch1[i] = a.unit(10 + i);
            other[i] = b.unit(i);
        }
        Set<Integer> seen = new HashSet<>();
        for (int u : epoch0) seen.add(u);
        assertEquals(10, seen.size(), "a permutation: " + Arrays.toString(epoch0));
        assertNotEquals(Arrays.toString(epoch0), Arrays.toString(epoch1), "a new order each epoch");
        assertNotEquals(Arrays.toString(epoch0), Arrays.toString(other), "another seed, another order");
        assertEquals(epoch0[3], new BatchLoader(s, 2, 8, DataOrder.SHUFFLE, 1).unit(3), "reproducible");
    }

    @Test
    void heldOutSplitTakesTheLastWindows() {
        int[] t = new int[101];
        for (int i = 0; i < t.length; i++) t[i] = i;
        TrainingSet[] p = new TokenStream(t, "counting").split(0.1, 10);
        assertEquals(9, p[0].units(10));
        assertEquals(1, p[1].units(10));
        int[] x = new int[10], y = new int[10];
        p[1].fillRow(0, 10, x, y, 0);
        assertEquals(90, x[0]);
        assertEquals(100, y[9]);
        p[0].fillRow(8, 10, x, y, 0);
        assertEquals(89, x[9]);
        assertTrue(p[1].description().contains("held-out"));
    }
}

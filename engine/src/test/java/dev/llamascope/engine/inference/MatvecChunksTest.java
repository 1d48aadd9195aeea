package dev.llamascope.engine.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How decode splits a matrix-vector product between threads ({@link Transformer#chunkCount}). */
class MatvecChunksTest {
    private static final long KB = 1024;

    @Test
    void everyThreadGetsWorkOnSmallQuantizedMatrices() {
        assertEquals(2, Transformer.chunkCount(47 * KB, 2), "15M Q4_0 wo");
        assertEquals(2, Transformer.chunkCount(124 * KB, 2), "15M Q4_0 w2");
        assertEquals(4, Transformer.chunkCount(248 * KB, 2), "15M Q4_0 w1 + w3: a multiple of the threads, not 3");
    }

    @Test
    void largeMatricesGetAbout64KbChunksUpTo16PerThread() {
        assertEquals(6, Transformer.chunkCount(331 * KB, 2), "15M fp32 wo: 5 rounded up to a multiple of 2");
        assertEquals(32, Transformer.chunkCount(37 * KB * KB, 2), "110M fp32 classifier");
        assertEquals(64, Transformer.chunkCount(37 * KB * KB, 4));
    }

    @Test
    void tinyMatricesAndOneThreadStaySerial() {
        assertEquals(1, Transformer.chunkCount(15 * KB, 2), "stories260K: the hand-off costs more than the work");
        assertEquals(1, Transformer.chunkCount(37 * KB * KB, 1));
    }
}

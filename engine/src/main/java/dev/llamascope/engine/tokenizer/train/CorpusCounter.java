package dev.llamascope.engine.tokenizer.train;

import dev.llamascope.engine.tensor.ComputePool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One parallel pass over a text file: the file is read in blocks that end at a line break, each block is cut into
 * a few ranges per thread that count their segments into private sharded counters, and the shards are then added
 * into the global counters in parallel (shard s only ever touches global shard s, so no locks).
 */
final class CorpusCounter {
    static final int SHARDS = 16;
    private static final int DEFAULT_BLOCK = 16 << 20;
    /** Held-out text kept for the statistics; lines beyond are still left out of training. */
    private static final long MAX_HELD_OUT_CHARS = 4_000_000;

    /** Told how far the pass is, in bytes. */
    @FunctionalInterface
    interface Progress {
        void bytesRead(long done, long total);
    }

    private final BpeTrainingConfig config;
    private final ComputePool pool;
    private final int blockBytes;

    CorpusCounter(BpeTrainingConfig config, ComputePool pool) {
        this(config, pool, DEFAULT_BLOCK);
    }

    CorpusCounter(BpeTrainingConfig config, ComputePool pool, int blockBytes) {
        this.config = config;
        this.pool = pool;
        this.blockBytes = blockBytes;
    }

    CorpusCounts count(Path file, Progress progress) throws IOException {
        SegmentCounter[] global = new SegmentCounter[SHARDS];
        for (int s = 0; s < SHARDS; s++) global[s] = new SegmentCounter(1 << 12);
        int ranges = Math.max(1, pool.threads() * 4);
        Local[] locals = new Local[ranges];
        for (int r = 0; r < ranges; r++) locals[r] = new Local(config);
        List<String> heldOut = new ArrayList<>();
        long heldOutChars = 0, lines = 0, heldOutLines = 0, total = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] buf = new byte[(int) Math.min(blockBytes, Math.max(size, 1))];
            int filled = 0;
            boolean eof = false;
            while (!eof || filled > 0) {
                // Fill the buffer; a line longer than the buffer grows it.
                while (!eof && filled < buf.length) {
                    int n = ch.read(ByteBuffer.wrap(buf, filled, buf.length - filled));
                    if (n < 0) eof = true;
                    else filled += n;
                }
                int end = eof ? filled : lastLineBreak(buf, filled) + 1;
                if (end == 0) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                    continue;
                }
                countBlock(buf, end, locals, global);
                for (Local l : locals) {
                    lines += l.lines;
                    heldOutLines += l.heldOut.size();
                    for (String h : l.heldOut) {
                        if (heldOutChars < MAX_HELD_OUT_CHARS) {
                            heldOut.add(h);
                            heldOutChars += h.length();
                        }
                    }
                    l.reset();
                }
                total += end;
                System.arraycopy(buf, end, buf, 0, filled - end);
                filled -= end;
                if (progress != null) progress.bytesRead(total, size);
            }
        }
        return new CorpusCounts(global, total, lines, heldOutLines, heldOut);
    }

    private static int lastLineBreak(byte[] b, int n) {
        for (int i = n - 1; i >= 0; i--) if (b[i] == '\n') return i;
        return -1;
    }

    private void countBlock(byte[] buf, int end, Local[] locals, SegmentCounter[] global) {
        int ranges = locals.length;
        int[] bounds = new int[ranges + 1];
        for (int r = 1; r < ranges; r++) {
            int p = Math.max(bounds[r - 1], (int) ((long) end * r / ranges));
            while (p < end && p > 0 && buf[p - 1] != '\n') p++; // start right after a line break (UTF-8 safe)
            bounds[r] = p;
        }
        bounds[ranges] = end;
        pool.parallelFor(ranges, 1, (r0, r1) -> {
            for (int r = r0; r < r1; r++) locals[r].count(buf, bounds[r], bounds[r + 1]);
        });
        pool.parallelFor(SHARDS, 1, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                for (Local l : locals) {
                    l.shards[s].addTo(global[s]);
                    l.shards[s].clear();
                }
            }
        });
    }

    static int shardOf(int hash) {
        return (hash * 0x85EBCA6B) >>> 28; // 16 shards
    }

    /** The held-out test: a hash of the line, so the same line is always on the same side. */
    static boolean isHeldOut(int lineHash, double fraction) {
        if (fraction <= 0) return false;
        long z = lineHash * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 31)) * 0xBF58476D1CE4E5B9L;
        z ^= z >>> 29;
        return (z >>> 11) * 0x1.0p-53 < fraction;
    }

    /** One range's private state, reused block after block. */
    private static final class Local {
        final SegmentCounter[] shards = new SegmentCounter[SHARDS];
        final TextSegmenter segmenter;
        final double heldOutFraction;
        final List<String> heldOut = new ArrayList<>();
        final TextSegmenter.Sink sink;
        char[] chars = new char[1 << 16];
        long lines;

        Local(BpeTrainingConfig config) {
            for (int s = 0; s < SHARDS; s++) shards[s] = new SegmentCounter();
            segmenter = new TextSegmenter(config.splitDigits());
            heldOutFraction = config.heldOutFraction();
            sink = (b, s, e, h) -> shards[shardOf(h)].add(b, s, e, h, 1);
        }

        void count(byte[] buf, int from, int to) {
            if (to <= from) return;
            String text = new String(buf, from, to - from, StandardCharsets.UTF_8);
            int n = text.length();
            if (chars.length < n) chars = new char[Math.max(n, chars.length * 2)];
            char[] c = chars;
            text.getChars(0, n, c, 0);
            for (int i = 0; i < n; ) {
                int lineEnd = i;
                int h = 0;
                while (lineEnd < n && c[lineEnd] != '\n') h = 31 * h + c[lineEnd++];
                int e = lineEnd;
                if (e > i && c[e - 1] == '\r') h = SegmentCounter.hash(c, i, --e); // a CRLF line: hash it without the CR
                if (e > i) {
                    lines++;
                    if (isHeldOut(h, heldOutFraction)) heldOut.add(new String(c, i, e - i));
                    else segmenter.split(c, i, e, sink);
                }
                i = lineEnd + 1;
            }
        }

        void reset() {
            heldOut.clear();
            lines = 0;
        }
    }
}

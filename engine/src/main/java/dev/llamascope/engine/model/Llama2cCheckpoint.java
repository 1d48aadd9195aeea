package dev.llamascope.engine.model;

import dev.llamascope.engine.tensor.F32Matrix;
import dev.llamascope.engine.tensor.Matrix;
import dev.llamascope.engine.tensor.Q8GroupMatrix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads llama2.c checkpoints, memory-mapped:
 * <ul>
 *   <li>legacy version 0: a 28-byte header of seven int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads,
 *       vocab_size, seq_len; a negative vocab_size means a separate classifier), then fp32 tensors grouped by kind
 *       across layers, with the unused RoPE tables before the classifier;</li>
 *   <li>version 1: magic "ak42", version, the seven ints, a shared-classifier byte, zero padding to 256 bytes, then
 *       fp32 tensors with all norms first;</li>
 *   <li>version 2: as version 1 plus the int8 group size at byte 37; norms in fp32, every matrix as int8 values
 *       followed by its per-group fp32 scales (runq.c).</li>
 * </ul>
 * The header is checked against the file size before anything is mapped, so a damaged file gets a clear message
 * and no absurd allocation.
 */
public final class Llama2cCheckpoint {
    public static final int MAGIC = 0x616b3432; // "ak42" little-endian
    public static final int V0_HEADER = 28;
    public static final int V1_HEADER = 256;

    private Llama2cCheckpoint() {}

    /** What the header says, before any weight is touched. */
    public record Header(int version, ModelConfig config, int groupSize, long expectedBytes) {}

    /** True when the file starts with the "ak42" magic of export versions 1 and 2. */
    public static boolean hasMagic(ByteBuffer head) {
        return head.remaining() >= 4 && head.order(ByteOrder.LITTLE_ENDIAN).getInt(0) == MAGIC;
    }

    public static LlamaModel read(Path file) throws IOException, ModelFormatException {
        Header h = readHeader(file);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = dev.llamascope.engine.util.Segments.asNative(ch.map(FileChannel.MapMode.READ_ONLY, 0, h.expectedBytes(), arena), arena);
            return h.version() == 2 ? mapV2(file, h, seg, arena) : mapFp32(file, h, seg, arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Parses and validates the header against the file size. */
    public static Header readHeader(Path file) throws IOException, ModelFormatException {
        if (Files.isDirectory(file)) throw new ModelFormatException(file, "is a directory, not a llama2.c checkpoint file");
        long size = Files.size(file);
        if (size == 0) throw new ModelFormatException(file, "the file is empty");
        if (size < V0_HEADER) throw new ModelFormatException(file, "the file is too small (" + size + " bytes) to be a llama2.c checkpoint");
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(size, V1_HEADER)).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (b.hasRemaining() && ch.read(b) >= 0) { /* fill */ }
        }
        b.flip();
        int version = 0, off = 0, groupSize = 0;
        boolean shared;
        if (hasMagic(b)) {
            if (size < V1_HEADER) throw new ModelFormatException(file, "truncated: the 256-byte header of a llama2.c export is cut off at " + size + " bytes");
            version = b.getInt(4);
            if (version != 1 && version != 2)
                throw new ModelFormatException(file, "unsupported llama2.c export version " + version + " (this reads versions 0, 1 and 2)");
            off = 8;
        }
        int[] v = new int[7];
        for (int i = 0; i < 7; i++) v[i] = b.getInt(off + 4 * i);
        if (version == 0) {
            shared = v[5] > 0;
            v[5] = Math.abs(v[5]);
        } else {
            shared = b.get(36) != 0;
            if (version == 2) groupSize = b.getInt(37);
        }
        ModelConfig config;
        try {
            config = new ModelConfig(v[0], v[1], v[2], v[3], v[4], v[5], v[6], shared);
        } catch (IllegalArgumentException e) {
            String what = version == 0 && !hasMagic(b)
                    ? "not a llama2.c checkpoint (unknown magic, and as a version 0 header: " + e.getMessage() + ")"
                    : "bad header: " + e.getMessage();
            throw new ModelFormatException(file, what);
        }
        if (version == 2) {
            if (groupSize <= 0) throw new ModelFormatException(file, "bad header: int8 group size " + groupSize);
            if (config.dim() % groupSize != 0 || config.hiddenDim() % groupSize != 0)
                throw new ModelFormatException(file, "int8 group size " + groupSize + " does not divide dim " + config.dim()
                        + " and hidden_dim " + config.hiddenDim() + " (runq.c would compute garbage with it)");
        }
        long expected = expectedBytes(version, config, groupSize);
        if (size < expected)
            throw new ModelFormatException(file, "truncated: the header (" + config + ") needs " + expected + " bytes, the file has " + size);
        if (size > expected)
            throw new ModelFormatException(file, "the header (" + config + ") does not match the file size: it needs "
                    + expected + " bytes, the file has " + size);
        return new Header(version, config, groupSize, expected);
    }

    /** The exact file size a header implies. */
    public static long expectedBytes(int version, ModelConfig c, int groupSize) {
        long d = c.dim(), h = c.hiddenDim(), L = c.nLayers(), kv = c.kvDim(), emb = (long) c.vocabSize() * d;
        long cls = c.sharedClassifier() ? 0 : emb;
        if (version == 2) {
            long norms = (2 * L * d + d) * 4;
            long q = q8(emb, groupSize) + L * (2 * q8(d * d, groupSize) + 2 * q8(d * kv, groupSize) + 3 * q8(d * h, groupSize))
                    + (c.sharedClassifier() ? 0 : q8(emb, groupSize));
            return V1_HEADER + norms + q;
        }
        long floats = emb + L * (2 * d + 2 * d * d + 2 * d * kv + 3 * d * h) + d + cls;
        if (version == 0) floats += (long) c.seqLen() * c.headSize(); // freq_cis_real and _imag, seq_len * head_size / 2 each
        return (version == 0 ? V0_HEADER : V1_HEADER) + floats * 4;
    }

    /**
     * Writes a version 0 checkpoint atomically: header (a negative vocab_size marks a separate classifier), the
     * tensors in storage order, and the RoPE tables (cos, sin per position and pair) that run.c skips, as
     * llama2.c's legacy export writes them.
     */
    public static void writeV0(Path file, FlatWeights w) throws IOException {
        ModelConfig c = w.config();
        float[] d = w.data();
        int beforeTables = w.offset(FlatWeights.Kind.FINAL_NORM, 0) + c.dim();
        dev.llamascope.engine.util.AtomicFiles.write(file, out -> {
            ByteBuffer h = ByteBuffer.allocate(V0_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(c.dim()).putInt(c.hiddenDim()).putInt(c.nLayers()).putInt(c.nHeads()).putInt(c.nKvHeads())
                    .putInt(c.sharedClassifier() ? c.vocabSize() : -c.vocabSize()).putInt(c.seqLen());
            out.write(h.array());
            writeFloats(out, d, 0, beforeTables);
            int half = c.headSize() / 2;
            float[] cos = new float[c.seqLen() * half], sin = new float[c.seqLen() * half];
            for (int p = 0; p < c.seqLen(); p++) {
                for (int j = 0; j < half; j++) {
                    double freq = 1.0 / Math.pow(c.ropeTheta(), (2.0 * j) / c.headSize());
                    cos[p * half + j] = (float) Math.cos(p * freq);
                    sin[p * half + j] = (float) Math.sin(p * freq);
                }
            }
            writeFloats(out, cos, 0, cos.length);
            writeFloats(out, sin, 0, sin.length);
            writeFloats(out, d, beforeTables, d.length - beforeTables);
        });
    }

    /** The int8 group size llama2.c's export uses: 64, halved until it divides both dim and hidden_dim. */
    public static int defaultGroupSize(ModelConfig c) {
        int gs = 64;
        while (c.dim() % gs != 0 || c.hiddenDim() % gs != 0) gs /= 2;
        return gs;
    }

    /**
     * Writes a version 2 checkpoint (runq.c's int8 format) atomically, quantizing as llama2.c's export.py does: per
     * group, scale = max|w| / 127 and q = round(w / scale) with halves to even; the 256-byte header, then the norms in
     * fp32 (attention, ffn, final), then each matrix's int8 values followed by its scales: the embedding, wq, wk, wv,
     * wo, w1, w2, w3 across layers, and the classifier when it is separate.
     */
    public static void writeV2(Path file, FlatWeights w, int groupSize) throws IOException {
        ModelConfig c = w.config();
        if (groupSize <= 0 || c.dim() % groupSize != 0 || c.hiddenDim() % groupSize != 0)
            throw new IllegalArgumentException("group size " + groupSize + " does not divide dim " + c.dim() + " and hidden_dim " + c.hiddenDim());
        float[] d = w.data();
        dev.llamascope.engine.util.AtomicFiles.write(file, out -> {
            ByteBuffer h = ByteBuffer.allocate(V1_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(MAGIC).putInt(2).putInt(c.dim()).putInt(c.hiddenDim()).putInt(c.nLayers()).putInt(c.nHeads())
                    .putInt(c.nKvHeads()).putInt(c.vocabSize()).putInt(c.seqLen()).put((byte) (c.sharedClassifier() ? 1 : 0))
                    .putInt(groupSize);
            out.write(h.array());
            for (FlatWeights.Kind k : new FlatWeights.Kind[]{FlatWeights.Kind.ATTN_NORM, FlatWeights.Kind.FFN_NORM, FlatWeights.Kind.FINAL_NORM}) {
                writeFloats(out, d, w.offset(k, 0), w.count(k) * w.numel(k));
            }
            for (FlatWeights.Kind k : new FlatWeights.Kind[]{FlatWeights.Kind.EMBEDDING, FlatWeights.Kind.WQ, FlatWeights.Kind.WK,
                    FlatWeights.Kind.WV, FlatWeights.Kind.WO, FlatWeights.Kind.W1, FlatWeights.Kind.W2, FlatWeights.Kind.W3,
                    FlatWeights.Kind.CLASSIFIER}) {
                for (int l = 0; l < w.count(k); l++) writeQ8(out, d, w.offset(k, l), w.numel(k), groupSize);
            }
        });
    }

    /** One matrix as export.py's quantize_q80 writes it: int8 values, then one fp32 scale per group. */
    private static void writeQ8(java.io.OutputStream out, float[] v, int off, int n, int gs) throws IOException {
        byte[] q = new byte[n];
        float[] scales = new float[n / gs];
        for (int g = 0; g < n / gs; g++) {
            float max = 0f;
            for (int i = 0; i < gs; i++) max = Math.max(max, Math.abs(v[off + g * gs + i]));
            float scale = max / 127.0f;
            scales[g] = scale;
            for (int i = 0; i < gs; i++) q[g * gs + i] = scale == 0f ? 0 : (byte) Math.rint(v[off + g * gs + i] / scale);
        }
        out.write(q);
        writeFloats(out, scales, 0, scales.length);
    }

    /** Writes floats little-endian in 1 MiB pieces. */
    public static void writeFloats(java.io.OutputStream out, float[] v, int off, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; ) {
            int m = Math.min(n - i, buf.capacity() / 4);
            buf.clear();
            buf.asFloatBuffer().put(v, off + i, m);
            out.write(buf.array(), 0, m * 4);
            i += m;
        }
    }

    private static long q8(long n, int gs) {
        return Q8GroupMatrix.storageBytes(n, gs);
    }

    /** Versions 0 and 1: everything fp32. */
    private static LlamaModel mapFp32(Path file, Header h, MemorySegment seg, Arena arena) {
        ModelConfig c = h.config();
        int d = c.dim(), hd = c.hiddenDim(), L = c.nLayers(), kv = c.kvDim(), V = c.vocabSize();
        Cursor p = new Cursor(seg, h.version() == 0 ? V0_HEADER : V1_HEADER);
        Matrix emb;
        float[][] attNorm, ffnNorm;
        float[] finalNorm;
        Matrix[] wq, wk, wv, wo, w1, w2, w3;
        if (h.version() == 0) {
            emb = p.f32(V, d);
            attNorm = p.vectors(L, d);
            wq = p.f32s(L, d, d);
            wk = p.f32s(L, kv, d);
            wv = p.f32s(L, kv, d);
            wo = p.f32s(L, d, d);
            ffnNorm = p.vectors(L, d);
            w1 = p.f32s(L, hd, d);
            w2 = p.f32s(L, d, hd);
            w3 = p.f32s(L, hd, d);
            finalNorm = p.vectors(1, d)[0];
            p.skip((long) c.seqLen() * c.headSize() * 4);
        } else {
            attNorm = p.vectors(L, d);
            ffnNorm = p.vectors(L, d);
            finalNorm = p.vectors(1, d)[0];
            emb = p.f32(V, d);
            wq = p.f32s(L, d, d);
            wk = p.f32s(L, kv, d);
            wv = p.f32s(L, kv, d);
            wo = p.f32s(L, d, d);
            w1 = p.f32s(L, hd, d);
            w2 = p.f32s(L, d, hd);
            w3 = p.f32s(L, hd, d);
        }
        Matrix cls = c.sharedClassifier() ? emb : p.f32(V, d);
        return assemble(c, h.version() == 0 ? "llama2.c v0" : "llama2.c v1", file, emb, attNorm, wq, wk, wv, wo, ffnNorm, w1, w2, w3, finalNorm, cls, arena);
    }

    /** Version 2: fp32 norms, then int8 groups; each matrix is its values followed by its scales. */
    private static LlamaModel mapV2(Path file, Header h, MemorySegment seg, Arena arena) {
        ModelConfig c = h.config();
        int d = c.dim(), hd = c.hiddenDim(), L = c.nLayers(), kv = c.kvDim(), V = c.vocabSize(), gs = h.groupSize();
        Cursor p = new Cursor(seg, V1_HEADER);
        float[][] attNorm = p.vectors(L, d);
        float[][] ffnNorm = p.vectors(L, d);
        float[] finalNorm = p.vectors(1, d)[0];
        Matrix emb = p.q8(V, d, gs);
        Matrix[] wq = p.q8s(L, d, d, gs), wk = p.q8s(L, kv, d, gs), wv = p.q8s(L, kv, d, gs), wo = p.q8s(L, d, d, gs);
        Matrix[] w1 = p.q8s(L, hd, d, gs), w2 = p.q8s(L, d, hd, gs), w3 = p.q8s(L, hd, d, gs);
        Matrix cls = c.sharedClassifier() ? emb : p.q8(V, d, gs);
        return assemble(c, "llama2.c v2 int8", file, emb, attNorm, wq, wk, wv, wo, ffnNorm, w1, w2, w3, finalNorm, cls, arena);
    }

    private static LlamaModel assemble(ModelConfig c, String format, Path file, Matrix emb, float[][] attNorm,
                                       Matrix[] wq, Matrix[] wk, Matrix[] wv, Matrix[] wo, float[][] ffnNorm,
                                       Matrix[] w1, Matrix[] w2, Matrix[] w3, float[] finalNorm, Matrix cls, Arena arena) {
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.nLayers(); l++) {
            layers.add(new LayerWeights(attNorm[l], wq[l], wk[l], wv[l], wo[l], ffnNorm[l], w1[l], w2[l], w3[l]));
        }
        return new LlamaModel(c, format, file, emb, layers, finalNorm, cls, arena);
    }

    /** Walks the mapped file tensor by tensor. */
    private static final class Cursor {
        private final MemorySegment seg;
        private long pos;

        Cursor(MemorySegment seg, long pos) {
            this.seg = seg;
            this.pos = pos;
        }

        void skip(long bytes) {
            pos += bytes;
        }

        F32Matrix f32(int rows, int cols) {
            F32Matrix m = new F32Matrix(seg, pos, rows, cols);
            pos += (long) rows * cols * 4;
            return m;
        }

        Matrix[] f32s(int n, int rows, int cols) {
            Matrix[] r = new Matrix[n];
            for (int i = 0; i < n; i++) r[i] = f32(rows, cols);
            return r;
        }

        Q8GroupMatrix q8(int rows, int cols, int gs) {
            long n = (long) rows * cols;
            Q8GroupMatrix m = new Q8GroupMatrix(seg, pos, pos + n, rows, cols, gs);
            pos += Q8GroupMatrix.storageBytes(n, gs);
            return m;
        }

        Matrix[] q8s(int n, int rows, int cols, int gs) {
            Matrix[] r = new Matrix[n];
            for (int i = 0; i < n; i++) r[i] = q8(rows, cols, gs);
            return r;
        }

        float[][] vectors(int n, int len) {
            float[][] r = new float[n][len];
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(seg, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), pos, r[i], 0, len);
                pos += (long) len * 4;
            }
            return r;
        }
    }
}

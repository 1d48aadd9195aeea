package dev.llamascope.engine.train;

import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.util.AtomicFiles;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a run needs to continue exactly where it stopped: weights, AdamW moments, the step, the data position
 * and the random state. The data position and the random state are both the micro-batch counter: batches and
 * dropout masks are pure functions of (seed, counter), see {@link dev.llamascope.engine.data.BatchLoader} and
 * {@link Dropout}.
 *
 * <p>On disk, a folder (beside the saved model: {@code OUT.bin} → {@code OUT.state/}) holding {@code state.bin} —
 * magic "LSTRAIN1", int32 length of a UTF-8 JSON header, the header, zero padding to 4 bytes, then weights, first
 * moments and second moments as little-endian fp32 in {@link FlatWeights} order — written atomically as one file, so a
 * crash leaves the previous state whole; and {@code state.json}, the same header for people to read.
 *
 * @param meta the header: step, micro_batches, tokens, model shape, run settings, data description
 */
public record TrainState(FlatWeights weights, float[] m, float[] v, long step, long microBatches, long tokens,
                         Map<String, Object> meta) {
    public static final String MAGIC = "LSTRAIN1";
    public static final String FILE = "state.bin";

    /** The state folder that goes with a saved model file. */
    public static Path folderFor(Path modelFile) {
        String name = modelFile.getFileName().toString();
        String base = name.toLowerCase(java.util.Locale.ROOT).endsWith(".bin") ? name.substring(0, name.length() - 4) : name;
        return modelFile.resolveSibling(base + ".state");
    }

    public static void save(Path dir, TrainState s) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("format", "llamascope-train-state");
        header.put("version", 1);
        header.put("step", s.step);
        header.put("micro_batches", s.microBatches);
        header.put("tokens", s.tokens);
        header.put("model", shape(s.weights.config()));
        header.putAll(s.meta);
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int pad = (4 - (8 + 4 + json.length) % 4) % 4;
        AtomicFiles.write(dir.resolve(FILE), out -> {
            ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            h.put(MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(json.length);
            out.write(h.array());
            out.write(json);
            out.write(new byte[pad]);
            float[] w = s.weights.data();
            dev.llamascope.engine.model.Llama2cCheckpoint.writeFloats(out, w, 0, w.length);
            dev.llamascope.engine.model.Llama2cCheckpoint.writeFloats(out, s.m, 0, s.m.length);
            dev.llamascope.engine.model.Llama2cCheckpoint.writeFloats(out, s.v, 0, s.v.length);
        });
        AtomicFiles.writeString(dir.resolve("state.json"), Json.write(header) + "\n");
    }

    /** Reads a state folder (or its state.bin, or the model file saved with it). */
    public static TrainState load(Path dir) throws IOException, ModelFormatException {
        if (!Files.exists(dir)) throw new NoSuchFileException(dir.toString(), null, "no such training-state folder");
        Path file = Files.isDirectory(dir) ? dir.resolve(FILE) : dir;
        if (Files.isRegularFile(dir) && !dir.getFileName().toString().equals(FILE) && Files.isDirectory(folderFor(dir))) {
            file = folderFor(dir).resolve(FILE); // the saved model was named: its state folder is beside it
        }
        if (!Files.exists(file))
            throw new ModelFormatException(dir, "not a training-state folder (no " + FILE + "; --resume wants the OUT.state folder that --save OUT.bin writes)");
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(12);
            if (head.length < 12 || !new String(head, 0, 8, StandardCharsets.US_ASCII).equals(MAGIC))
                throw new ModelFormatException(file, "not a llamascope training state (bad magic)");
            int len = ByteBuffer.wrap(head, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (len <= 0 || len > 1 << 24 || 12L + len > size) throw new ModelFormatException(file, "damaged: header length " + len);
            Map<String, Object> meta;
            try {
                meta = Json.parseObject(new String(in.readNBytes(len), StandardCharsets.UTF_8));
            } catch (Json.JsonException e) {
                throw new ModelFormatException(file, "damaged header: " + e.getMessage());
            }
            ModelConfig c;
            long step, micro, tokens;
            try {
                c = config(meta);
                step = Json.integer(meta, "step", -1);
                micro = Json.integer(meta, "micro_batches", -1);
                tokens = Json.integer(meta, "tokens", 0);
            } catch (RuntimeException e) {
                throw new ModelFormatException(file, "damaged header: " + e.getMessage());
            }
            if (step < 0 || micro < 0) throw new ModelFormatException(file, "damaged header: no step or micro_batches");
            long n = c.parameterCount();
            int pad = (4 - (12 + len) % 4) % 4;
            long expected = 12L + len + pad + 3 * n * 4;
            if (size != expected)
                throw new ModelFormatException(file, (size < expected ? "truncated" : "too long") + ": the header (" + c + ") needs "
                        + expected + " bytes, the file has " + size);
            in.skipNBytes(pad);
            float[] w = readFloats(in, (int) n), m = readFloats(in, (int) n), v = readFloats(in, (int) n);
            Map<String, Object> rest = new LinkedHashMap<>(meta);
            for (String k : new String[]{"format", "version", "step", "micro_batches", "tokens", "model"}) rest.remove(k);
            return new TrainState(new FlatWeights(c, w), m, v, step, micro, tokens, rest);
        }
    }

    private static float[] readFloats(InputStream in, int n) throws IOException {
        float[] out = new float[n];
        byte[] buf = new byte[1 << 20];
        for (int i = 0; i < n; ) {
            int m = Math.min(n - i, buf.length / 4);
            int got = in.readNBytes(buf, 0, m * 4);
            if (got != m * 4) throw new IOException("unexpected end of the training state");
            ByteBuffer.wrap(buf, 0, m * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, i, m);
            i += m;
        }
        return out;
    }

    static Map<String, Object> shape(ModelConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dim", c.dim());
        m.put("hidden_dim", c.hiddenDim());
        m.put("n_layers", c.nLayers());
        m.put("n_heads", c.nHeads());
        m.put("n_kv_heads", c.nKvHeads());
        m.put("vocab_size", c.vocabSize());
        m.put("seq_len", c.seqLen());
        m.put("shared_classifier", c.sharedClassifier());
        m.put("rope_theta", (double) c.ropeTheta());
        m.put("rms_eps", (double) c.rmsEps());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static ModelConfig config(Map<String, Object> meta) {
        if (!(meta.get("model") instanceof Map<?, ?> mm)) throw new IllegalArgumentException("no model shape");
        Map<String, Object> m = (Map<String, Object>) mm;
        return new ModelConfig((int) Json.integer(m, "dim", 0), (int) Json.integer(m, "hidden_dim", 0),
                (int) Json.integer(m, "n_layers", 0), (int) Json.integer(m, "n_heads", 0), (int) Json.integer(m, "n_kv_heads", 0),
                (int) Json.integer(m, "vocab_size", 0), (int) Json.integer(m, "seq_len", 0), Json.bool(m, "shared_classifier", true),
                (float) Json.number(m, "rope_theta", 10000), (float) Json.number(m, "rms_eps", 1e-5));
    }
}

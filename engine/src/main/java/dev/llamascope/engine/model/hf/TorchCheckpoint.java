package dev.llamascope.engine.model.hf;

import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * pytorch_model.bin as torch.save writes it since PyTorch 1.6: a zip holding {@code <name>/data.pkl} (the pickled
 * state dict) and one file per storage under {@code <name>/data/}. The pickle is read by
 * {@link RestrictedUnpickler}, which executes nothing; tensors are used in place in the mapped zip.
 */
public final class TorchCheckpoint {
    private TorchCheckpoint() {}

    public static void read(Path file, Arena arena, Map<String, HfTensor> into, Map<String, Path> files)
            throws IOException, ModelFormatException {
        if (file.getFileName().toString().endsWith(".index.json")) {
            readIndex(file, arena, into, files);
            return;
        }
        long size = Files.size(file);
        if (size < 22) throw new ModelFormatException(file, "truncated: " + size + " bytes is too small for a PyTorch checkpoint");
        MemorySegment seg;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            seg = dev.llamascope.engine.util.Segments.asNative(ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena), arena);
        }
        byte first = seg.get(ValueLayout.JAVA_BYTE, 0);
        if (first == (byte) 0x80) throw new ModelFormatException(file, "is a legacy (pre-1.6) PyTorch pickle; re-save it with a current PyTorch");
        ZipDirectory zip = new ZipDirectory(file, seg);
        ZipDirectory.Entry pkl = null;
        for (ZipDirectory.Entry e : zip.entries.values()) {
            if (e.name().endsWith("data.pkl") && (pkl == null || e.name().length() < pkl.name().length())) pkl = e;
        }
        if (pkl == null) throw new ModelFormatException(file, "is a zip without data.pkl, not a PyTorch checkpoint");
        String prefix = pkl.name().substring(0, pkl.name().length() - "data.pkl".length());
        Object root;
        try {
            MemorySegment p = zip.data(pkl, null);
            if (p.byteSize() > Integer.MAX_VALUE - 16) throw new ModelFormatException(file, "data.pkl is too large");
            root = RestrictedUnpickler.load(p.toArray(ValueLayout.JAVA_BYTE));
        } catch (RestrictedUnpickler.Refused e) {
            throw new ModelFormatException(file, e.getMessage());
        }
        Map<?, ?> dict = stateDict(file, root);
        Map<String, MemorySegment> storages = new HashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof RestrictedUnpickler.TensorRef t)) continue;
            RestrictedUnpickler.StorageRef s = t.storage();
            MemorySegment data = storages.get(s.key());
            if (data == null) {
                ZipDirectory.Entry entry = zip.entries.get(prefix + "data/" + s.key());
                if (entry == null) throw new ModelFormatException(file, "storage " + s.key() + " of tensor '" + name + "' is missing");
                data = zip.data(entry, arena);
                storages.put(s.key(), data);
            }
            int es = HfTensor.elementSize(s.dtype());
            if (s.numel() < 0 || s.numel() * es > data.byteSize())
                throw new ModelFormatException(file, "storage " + s.key() + " holds " + data.byteSize() + " bytes, not the " + s.numel() + " values it claims");
            long expect = 1, count = 1;
            for (int i = t.size().length - 1; i >= 0; i--) {
                if (t.size()[i] < 0) throw new ModelFormatException(file, "tensor '" + name + "' has a negative size");
                if (t.size()[i] > 1 && t.stride()[i] != expect)
                    throw new ModelFormatException(file, "tensor '" + name + "' is not contiguous (strides " + java.util.Arrays.toString(t.stride()) + ")");
                expect *= t.size()[i];
                count *= t.size()[i];
            }
            if (t.offset() < 0 || t.offset() + count > s.numel())
                throw new ModelFormatException(file, "tensor '" + name + "' lies outside its storage");
            if (into.put(name, new HfTensor(name, s.dtype(), t.size(), data, t.offset() * es)) != null)
                throw new ModelFormatException(file, "tensor '" + name + "' appears twice");
            files.put(name, file);
        }
    }

    /** The dict of tensors: the top object, or the dict under "state_dict"/"model" when it holds the tensors. */
    private static Map<?, ?> stateDict(Path file, Object root) throws ModelFormatException {
        if (!(root instanceof Map<?, ?> m)) throw new ModelFormatException(file, "holds no state dict");
        for (Object v : m.values()) if (v instanceof RestrictedUnpickler.TensorRef) return m;
        for (String key : new String[]{"state_dict", "model"}) {
            if (m.get(key) instanceof Map<?, ?> inner) return stateDict(file, inner);
        }
        throw new ModelFormatException(file, "holds no tensors");
    }

    private static void readIndex(Path index, Arena arena, Map<String, HfTensor> into, Map<String, Path> files)
            throws IOException, ModelFormatException {
        Map<String, Object> root;
        try {
            root = Json.parseObject(Files.readString(index, StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            throw new ModelFormatException(index, "not valid JSON: " + e.getMessage());
        }
        if (!(root.get("weight_map") instanceof Map<?, ?> map)) throw new ModelFormatException(index, "has no weight_map");
        Map<String, Boolean> shards = new LinkedHashMap<>();
        for (Object f : map.values()) shards.put(String.valueOf(f), true);
        Path dir = index.toAbsolutePath().getParent();
        for (String shard : shards.keySet()) {
            Path p = dir.resolve(shard).normalize();
            if (!p.startsWith(dir) || !Files.isRegularFile(p)) throw new ModelFormatException(index, "shard '" + shard + "' is missing");
            read(p, arena, into, files);
        }
    }
}

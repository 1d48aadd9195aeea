package dev.llamascope.engine.model.hf;

import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * safetensors files: an 8-byte little-endian header length N, N bytes of JSON naming each tensor's dtype, shape
 * and [begin, end) byte range within the data that follows, then the data. The header length, every range and
 * every size are checked against the file before anything is mapped or allocated.
 */
public final class Safetensors {
    /** Headers larger than this are refused (the format's own reference limit is 100 MB). */
    static final long MAX_HEADER = 100L << 20;

    private Safetensors() {}

    /** Maps one file and adds its tensors to {@code into}. */
    public static void read(Path file, Arena arena, Map<String, HfTensor> into, Map<String, Path> files)
            throws IOException, ModelFormatException {
        long size = Files.size(file);
        if (size < 8) throw new ModelFormatException(file, "truncated: " + size + " bytes is too small for a safetensors file");
        MemorySegment seg;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            seg = dev.llamascope.engine.util.Segments.asNative(ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena), arena);
        }
        long n = seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 2 || n > MAX_HEADER || n > size - 8)
            throw new ModelFormatException(file, "corrupt or truncated: the header claims " + Long.toUnsignedString(n)
                    + " bytes, the file has " + (size - 8) + " after the length field");
        String json = new String(seg.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        Map<String, Object> header;
        try {
            header = Json.parseObject(json.stripTrailing());
        } catch (Json.JsonException e) {
            throw new ModelFormatException(file, "the header is not valid JSON: " + e.getMessage());
        }
        long dataStart = 8 + n, dataSize = size - dataStart;
        for (Map.Entry<String, Object> e : header.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) continue;
            if (!(e.getValue() instanceof Map<?, ?> m)) throw new ModelFormatException(file, "tensor '" + name + "' has no description");
            HfTensor t = tensor(file, name, m, seg, dataStart, dataSize);
            if (into.put(name, t) != null) throw new ModelFormatException(file, "tensor '" + name + "' appears twice");
            files.put(name, file);
        }
    }

    private static HfTensor tensor(Path file, String name, Map<?, ?> m, MemorySegment seg, long dataStart, long dataSize)
            throws ModelFormatException {
        Object dtype = m.get("dtype"), shape = m.get("shape"), offsets = m.get("data_offsets");
        if (!(dtype instanceof String dt) || !(shape instanceof List<?> sh) || !(offsets instanceof List<?> off) || off.size() != 2)
            throw new ModelFormatException(file, "tensor '" + name + "' lacks dtype, shape or data_offsets");
        int es = HfTensor.elementSize(dt);
        if (es == 0) throw new ModelFormatException(file, "tensor '" + name + "' has unknown dtype " + dt);
        long[] dims = new long[sh.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            if (!(sh.get(i) instanceof Long d) || d < 0 || d > (1L << 40) || (d > 0 && count > Long.MAX_VALUE / 8 / d))
                throw new ModelFormatException(file, "tensor '" + name + "' has a bad shape " + sh);
            dims[i] = d;
            count *= d;
        }
        if (!(off.get(0) instanceof Long begin) || !(off.get(1) instanceof Long end) || begin < 0 || end < begin)
            throw new ModelFormatException(file, "tensor '" + name + "' has bad data_offsets " + off);
        if (end > dataSize)
            throw new ModelFormatException(file, "truncated: tensor '" + name + "' ends at data byte " + end + ", the file holds " + dataSize);
        if (end - begin != count * es)
            throw new ModelFormatException(file, "tensor '" + name + "' (" + dt + " " + sh + ") needs " + count * es + " bytes, its range holds " + (end - begin));
        return new HfTensor(name, dt, dims, seg, dataStart + begin);
    }

    /** Reads a sharded checkpoint: model.safetensors.index.json's weight_map names the file of each tensor. */
    public static void readIndex(Path index, Arena arena, Map<String, HfTensor> into, Map<String, Path> files)
            throws IOException, ModelFormatException {
        Map<String, Object> root;
        try {
            root = Json.parseObject(Files.readString(index, StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            throw new ModelFormatException(index, "not valid JSON: " + e.getMessage());
        }
        if (!(root.get("weight_map") instanceof Map<?, ?> map)) throw new ModelFormatException(index, "has no weight_map");
        Map<String, Object> shards = new LinkedHashMap<>();
        for (Object f : map.values()) shards.put(String.valueOf(f), f);
        Path dir = index.toAbsolutePath().getParent();
        for (String shard : shards.keySet()) {
            Path p = dir.resolve(shard).normalize();
            if (!p.startsWith(dir)) throw new ModelFormatException(index, "shard '" + shard + "' lies outside the folder");
            if (!Files.isRegularFile(p)) throw new ModelFormatException(index, "shard '" + shard + "' is missing");
            read(p, arena, into, files);
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!into.containsKey(String.valueOf(e.getKey())))
                throw new ModelFormatException(index, "tensor '" + e.getKey() + "' is not in its shard " + e.getValue());
        }
    }
}

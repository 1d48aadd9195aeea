package dev.llamascope.engine.model.gguf;

import dev.llamascope.engine.model.ModelFormatException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GGUF file (versions 2 and 3, little-endian), memory-mapped: the magic "GGUF", version, tensor and metadata
 * counts, the metadata key/value pairs, the tensor table (name, dimensions, type, offset), then the tensor data at
 * the next multiple of {@code general.alignment} (32 by default). Every count, length and offset is checked
 * against the file size before it is used, so a damaged file gets a one-line message and never a huge allocation.
 */
public final class GgufFile {
    public static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    public static final int DEFAULT_ALIGNMENT = 32;

    /** Metadata value types. */
    public static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7,
            STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;

    /** One tensor: ggml dimensions (ne[0] is the innermost, the row length), type, absolute offset and size. */
    public record Tensor(String name, long[] dims, GgmlType type, long offset, long bytes) {
        public long elements() {
            long n = 1;
            for (long d : dims) n *= d;
            return n;
        }

        public String shape() {
            StringBuilder sb = new StringBuilder();
            for (long d : dims) sb.append(sb.isEmpty() ? "" : "x").append(d);
            return sb.toString();
        }
    }

    private final Path path;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, Tensor> tensors;
    private final int alignment;
    private final long dataStart;
    private final MemorySegment segment;

    private GgufFile(Path path, int version, Map<String, Object> metadata, Map<String, Tensor> tensors, int alignment,
                     long dataStart, MemorySegment segment) {
        this.path = path;
        this.version = version;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableMap(tensors);
        this.alignment = alignment;
        this.dataStart = dataStart;
        this.segment = segment;
    }

    /** True when the bytes start with the GGUF magic. */
    public static boolean hasMagic(java.nio.ByteBuffer head) {
        return head.remaining() >= 4 && head.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(head.position()) == MAGIC;
    }

    /** Maps and parses a file; the mapping lives as long as {@code arena}. */
    public static GgufFile open(Path file, Arena arena) throws IOException, ModelFormatException {
        if (Files.isDirectory(file)) throw new ModelFormatException(file, "is a folder, not a GGUF file");
        long size = Files.size(file);
        if (size < 24) throw new ModelFormatException(file, "truncated: " + size + " bytes is too small for a GGUF header");
        MemorySegment seg;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            seg = dev.llamascope.engine.util.Segments.asNative(ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena), arena);
        }
        return parse(file, seg);
    }

    /** Parses a GGUF image held in a segment (a mapped file, or bytes in memory for tests). */
    public static GgufFile parse(Path file, MemorySegment seg) throws ModelFormatException {
        Cursor c = new Cursor(file, seg);
        int magic = c.i32();
        if (magic != MAGIC) throw new ModelFormatException(file, "not a GGUF file (wrong magic " + hex(magic) + ", expected \"GGUF\")");
        int version = c.i32();
        if (version == 0x03000000 || version == 0x02000000)
            throw new ModelFormatException(file, "is a big-endian GGUF file, which this program does not read");
        if (version == 1) throw new ModelFormatException(file, "GGUF version 1 is obsolete (32-bit counts); convert it to version 3 with llama.cpp");
        if (version != 2 && version != 3) throw new ModelFormatException(file, "unsupported GGUF version " + version + " (this reads versions 2 and 3)");
        long nTensors = c.u64("the tensor count");
        long nKv = c.u64("the metadata count");
        // The smallest metadata entry takes 8 + 4 + 1 bytes, the smallest tensor entry 8 + 4 + 8 + 4 + 8.
        if (nKv < 0 || nKv > c.remaining() / 13)
            throw new ModelFormatException(file, "corrupt header: " + Long.toUnsignedString(nKv) + " metadata entries cannot fit in " + seg.byteSize() + " bytes");
        if (nTensors < 0 || nTensors > c.remaining() / 32)
            throw new ModelFormatException(file, "corrupt header: " + Long.toUnsignedString(nTensors) + " tensors cannot fit in " + seg.byteSize() + " bytes");
        Map<String, Object> meta = new LinkedHashMap<>();
        for (long i = 0; i < nKv; i++) {
            c.context = "metadata entry " + i;
            String key = c.string();
            c.context = "metadata '" + key + "'";
            int type = c.i32();
            Object value = c.value(type, 0);
            if (meta.put(key, value) != null) throw new ModelFormatException(file, "metadata key '" + key + "' appears twice");
        }
        int alignment = DEFAULT_ALIGNMENT;
        Object a = meta.get("general.alignment");
        if (a != null) {
            if (!(a instanceof Long l) || l <= 0 || l > (1 << 20) || Long.bitCount(l) != 1)
                throw new ModelFormatException(file, "general.alignment " + a + " is not a power of two");
            alignment = (int) (long) (Long) a;
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long[][] dims = new long[(int) nTensors][];
        String[] names = new String[(int) nTensors];
        long[] types = new long[(int) nTensors], offsets = new long[(int) nTensors];
        for (int i = 0; i < nTensors; i++) {
            c.context = "tensor entry " + i;
            names[i] = c.string();
            c.context = "tensor '" + names[i] + "'";
            int nd = c.i32();
            if (nd < 1 || nd > 4) throw new ModelFormatException(file, "tensor '" + names[i] + "' has " + nd + " dimensions (1 to 4 allowed)");
            dims[i] = new long[nd];
            for (int d = 0; d < nd; d++) dims[i][d] = c.u64("a dimension");
            types[i] = c.i32() & 0xffffffffL;
            offsets[i] = c.u64("an offset");
        }
        long dataStart = align(c.pos, alignment);
        long size = seg.byteSize();
        for (int i = 0; i < nTensors; i++) {
            String name = names[i];
            GgmlType type = GgmlType.byId(types[i]);
            if (type == null) throw new ModelFormatException(file, "tensor '" + name + "' has unknown tensor type " + types[i]);
            long n = 1;
            for (long d : dims[i]) {
                if (d <= 0 || d > (1L << 40) || n > Long.MAX_VALUE / d)
                    throw new ModelFormatException(file, "tensor '" + name + "' has impossible dimensions " + java.util.Arrays.toString(dims[i]));
                n *= d;
            }
            if (dims[i][0] % type.blockSize != 0)
                throw new ModelFormatException(file, "tensor '" + name + "': row length " + dims[i][0] + " is not a multiple of the " + type + " block size " + type.blockSize);
            long bytes = type.bytes(n);
            long off = offsets[i];
            if (off % alignment != 0)
                throw new ModelFormatException(file, "tensor '" + name + "' offset " + off + " is not a multiple of the alignment " + alignment);
            if (off < 0 || off > size || dataStart + off > size || bytes > size - dataStart - off)
                throw new ModelFormatException(file, "tensor '" + name + "' (" + type + ", " + bytes + " bytes at data offset " + Long.toUnsignedString(off)
                        + ") runs past the end of the file (" + size + " bytes): truncated or corrupt");
            Tensor t = new Tensor(name, dims[i], type, dataStart + off, bytes);
            if (tensors.put(name, t) != null) throw new ModelFormatException(file, "tensor '" + name + "' appears twice");
        }
        return new GgufFile(file, version, meta, tensors, alignment, dataStart, seg);
    }

    static long align(long p, int alignment) {
        return (p + alignment - 1) / alignment * alignment;
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public int alignment() {
        return alignment;
    }

    public long dataStart() {
        return dataStart;
    }

    /** The mapped file. */
    public MemorySegment segment() {
        return segment;
    }

    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    public String string(String key, String dflt) throws ModelFormatException {
        Object v = metadata.get(key);
        if (v == null) return dflt;
        if (v instanceof String s) return s;
        throw wrongType(key, v, "a string");
    }

    public long integer(String key, long dflt) throws ModelFormatException {
        Object v = metadata.get(key);
        if (v == null) return dflt;
        if (v instanceof Long l) return l;
        throw wrongType(key, v, "an integer");
    }

    /** An integer that must be present and fit an int in [1, max]. */
    public int requiredInt(String key, int max) throws ModelFormatException {
        if (!metadata.containsKey(key)) throw new ModelFormatException(path, "metadata '" + key + "' is missing");
        long v = integer(key, 0);
        if (v < 1 || v > max) throw new ModelFormatException(path, "metadata '" + key + "' = " + v + " is out of range (1.." + max + ")");
        return (int) v;
    }

    public double number(String key, double dflt) throws ModelFormatException {
        Object v = metadata.get(key);
        if (v == null) return dflt;
        if (v instanceof Float f) return f;
        if (v instanceof Double d) return d;
        if (v instanceof Long l) return l;
        throw wrongType(key, v, "a number");
    }

    public boolean bool(String key, boolean dflt) throws ModelFormatException {
        Object v = metadata.get(key);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        throw wrongType(key, v, "true or false");
    }

    public GgufArray array(String key) throws ModelFormatException {
        Object v = metadata.get(key);
        if (v == null) return null;
        if (v instanceof GgufArray a) return a;
        throw wrongType(key, v, "an array");
    }

    private ModelFormatException wrongType(String key, Object v, String want) {
        return new ModelFormatException(path, "metadata '" + key + "' should be " + want + ", but is " + v.getClass().getSimpleName() + " " + v);
    }

    /** Reads the header fields with a bounds check before every read. */
    private static final class Cursor {
        private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

        final Path file;
        final MemorySegment seg;
        long pos;
        String context = "the header";

        Cursor(Path file, MemorySegment seg) {
            this.file = file;
            this.seg = seg;
        }

        long remaining() {
            return seg.byteSize() - pos;
        }

        void need(long n) throws ModelFormatException {
            if (n < 0 || n > remaining())
                throw new ModelFormatException(file, "truncated: " + context + " runs past the end of the file (" + seg.byteSize() + " bytes)");
        }

        int i32() throws ModelFormatException {
            need(4);
            int v = seg.get(I32, pos);
            pos += 4;
            return v;
        }

        long u64(String what) throws ModelFormatException {
            need(8);
            long v = seg.get(I64, pos);
            pos += 8;
            if (v < 0) throw new ModelFormatException(file, "corrupt header: " + what + " of " + context + " is " + Long.toUnsignedString(v));
            return v;
        }

        String string() throws ModelFormatException {
            long n = u64("a string length");
            need(n);
            byte[] b = seg.asSlice(pos, n).toArray(ValueLayout.JAVA_BYTE);
            pos += n;
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                // Some vocabularies hold pieces that are not valid UTF-8; keep them readable rather than refuse the file.
                return new String(b, StandardCharsets.UTF_8);
            }
        }

        Object value(int type, int depth) throws ModelFormatException {
            return switch (type) {
                case UINT8 -> { need(1); yield (long) (seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xff); }
                case INT8 -> { need(1); yield (long) seg.get(ValueLayout.JAVA_BYTE, pos++); }
                case UINT16 -> { need(2); long v = seg.get(I16, pos) & 0xffff; pos += 2; yield v; }
                case INT16 -> { need(2); long v = seg.get(I16, pos); pos += 2; yield v; }
                case UINT32 -> (long) i32() & 0xffffffffL;
                case INT32 -> (long) i32();
                case FLOAT32 -> { need(4); float v = seg.get(F32, pos); pos += 4; yield v; }
                case BOOL -> { need(1); yield seg.get(ValueLayout.JAVA_BYTE, pos++) != 0; }
                case STRING -> string();
                case UINT64, INT64 -> { need(8); long v = seg.get(I64, pos); pos += 8; yield v; }
                case FLOAT64 -> { need(8); double v = seg.get(F64, pos); pos += 8; yield v; }
                case ARRAY -> array(depth);
                default -> throw new ModelFormatException(file, "unknown metadata value type " + type + " in " + context);
            };
        }

        private GgufArray array(int depth) throws ModelFormatException {
            if (depth > 4) throw new ModelFormatException(file, "arrays nested too deeply in " + context);
            int et = i32();
            long n = u64("an array length");
            long min = switch (et) {
                case UINT8, INT8, BOOL -> 1;
                case UINT16, INT16 -> 2;
                case UINT32, INT32, FLOAT32 -> 4;
                case STRING, UINT64, INT64, FLOAT64 -> 8;
                case ARRAY -> 12;
                default -> throw new ModelFormatException(file, "unknown array element type " + et + " in " + context);
            };
            if (n > remaining() / min || n > Integer.MAX_VALUE - 8)
                throw new ModelFormatException(file, "truncated: " + context + " claims " + n + " array elements, more than the file holds");
            int len = (int) n;
            Object values;
            switch (et) {
                case FLOAT32 -> {
                    float[] f = new float[len];
                    MemorySegment.copy(seg, F32, pos, f, 0, len);
                    pos += 4L * len;
                    values = f;
                }
                case INT32 -> {
                    long[] l = new long[len];
                    for (int i = 0; i < len; i++) l[i] = seg.get(I32, pos + 4L * i);
                    pos += 4L * len;
                    values = l;
                }
                case STRING -> {
                    String[] s = new String[len];
                    for (int i = 0; i < len; i++) s[i] = string();
                    values = s;
                }
                case ARRAY -> {
                    GgufArray[] a = new GgufArray[len];
                    for (int i = 0; i < len; i++) a[i] = array(depth + 1); // each element: its own type, length, values
                    values = a;
                }
                case FLOAT64 -> {
                    double[] d = new double[len];
                    for (int i = 0; i < len; i++) d[i] = (Double) value(et, depth);
                    values = d;
                }
                case BOOL -> {
                    boolean[] b = new boolean[len];
                    for (int i = 0; i < len; i++) b[i] = (Boolean) value(et, depth);
                    values = b;
                }
                default -> {
                    long[] l = new long[len];
                    for (int i = 0; i < len; i++) l[i] = (Long) value(et, depth);
                    values = l;
                }
            }
            return new GgufArray(et, values);
        }
    }
}

package dev.llamascope.engine.model.hf;

import dev.llamascope.engine.model.ModelFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip file held in a mapped segment (PyTorch's checkpoint container): the central directory,
 * zip64 included, gives each entry's local header; stored entries are used in place, deflated ones are inflated to
 * native memory. Every offset and size is checked against the segment.
 */
final class ZipDirectory {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    record Entry(String name, int method, long compressedSize, long size, long localHeader) {}

    private final Path file;
    private final MemorySegment seg;
    final Map<String, Entry> entries = new LinkedHashMap<>();

    ZipDirectory(Path file, MemorySegment seg) throws ModelFormatException {
        this.file = file;
        this.seg = seg;
        long size = seg.byteSize();
        long eocd = -1;
        for (long p = size - 22; p >= Math.max(0, size - 22 - 65535); p--) {
            if (seg.get(I32, p) == 0x06054b50) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) throw new ModelFormatException(file, "not a zip archive (no end-of-directory record): truncated or not a PyTorch checkpoint");
        long count = u16(eocd + 10), cdSize = u32(eocd + 12), cdOffset = u32(eocd + 16);
        if (eocd >= 20 && seg.get(I32, eocd - 20) == 0x07064b50) { // zip64 locator
            long z = seg.get(I64, eocd - 20 + 8);
            check(z, 56, "zip64 directory");
            if (seg.get(I32, z) != 0x06064b50) throw new ModelFormatException(file, "corrupt zip64 directory record");
            count = seg.get(I64, z + 32);
            cdSize = seg.get(I64, z + 40);
            cdOffset = seg.get(I64, z + 48);
        }
        check(cdOffset, cdSize, "central directory");
        if (count < 0 || count > cdSize / 46) throw new ModelFormatException(file, "corrupt zip directory (" + count + " entries)");
        long p = cdOffset;
        for (long i = 0; i < count; i++) {
            check(p, 46, "central directory entry");
            if (seg.get(I32, p) != 0x02014b50) throw new ModelFormatException(file, "corrupt zip directory entry " + i);
            int method = u16(p + 10);
            long csize = u32(p + 20), usize = u32(p + 24);
            int nameLen = u16(p + 28), extraLen = u16(p + 30), commentLen = u16(p + 32);
            long local = u32(p + 42);
            check(p + 46, (long) nameLen + extraLen + commentLen, "central directory entry");
            String name = new String(seg.asSlice(p + 46, nameLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            long x = p + 46 + nameLen, xEnd = x + extraLen;
            while (x + 4 <= xEnd) { // zip64 extended information replaces the fields that read 0xFFFFFFFF
                int id = u16(x), len = u16(x + 2);
                if (id == 0x0001) {
                    long q = x + 4;
                    if (usize == 0xffffffffL && q + 8 <= xEnd) { usize = seg.get(I64, q); q += 8; }
                    if (csize == 0xffffffffL && q + 8 <= xEnd) { csize = seg.get(I64, q); q += 8; }
                    if (local == 0xffffffffL && q + 8 <= xEnd) local = seg.get(I64, q);
                }
                x += 4 + len;
            }
            entries.put(name, new Entry(name, method, csize, usize, local));
            p += 46 + nameLen + extraLen + commentLen;
        }
    }

    /** The bytes of an entry: in place when stored, inflated onto the heap when deflated. */
    MemorySegment data(Entry e, java.lang.foreign.Arena arena) throws ModelFormatException {
        check(e.localHeader(), 30, "entry " + e.name());
        if (seg.get(I32, e.localHeader()) != 0x04034b50) throw new ModelFormatException(file, "corrupt zip entry " + e.name());
        long start = e.localHeader() + 30 + u16(e.localHeader() + 26) + u16(e.localHeader() + 28);
        check(start, e.compressedSize(), "entry " + e.name());
        MemorySegment raw = seg.asSlice(start, e.compressedSize());
        if (e.method() == 0) {
            if (e.size() != e.compressedSize()) throw new ModelFormatException(file, "corrupt stored entry " + e.name());
            return raw;
        }
        if (e.method() != 8) throw new ModelFormatException(file, "entry " + e.name() + " uses zip compression method " + e.method());
        if (e.size() < 0 || e.size() > Integer.MAX_VALUE - 16) throw new ModelFormatException(file, "entry " + e.name() + " is too large to inflate");
        byte[] out = new byte[(int) e.size()];
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(raw.asByteBuffer());
            int n = 0;
            while (n < out.length && !inf.finished()) {
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) break;
                n += k;
            }
            if (n != out.length) throw new ModelFormatException(file, "entry " + e.name() + " inflates to " + n + " bytes, not " + out.length);
        } catch (DataFormatException ex) {
            throw new ModelFormatException(file, "entry " + e.name() + " is corrupt: " + ex.getMessage());
        } finally {
            inf.end();
        }
        return dev.llamascope.engine.util.Segments.allocate(out.length, arena).copyFrom(MemorySegment.ofArray(out));
    }

    private void check(long off, long len, String what) throws ModelFormatException {
        if (off < 0 || len < 0 || off > seg.byteSize() || len > seg.byteSize() - off)
            throw new ModelFormatException(file, "truncated or corrupt zip: the " + what + " lies past the end of the file");
    }

    private int u16(long p) {
        return seg.get(I16, p) & 0xffff;
    }

    private long u32(long p) {
        return seg.get(I32, p) & 0xffffffffL;
    }
}

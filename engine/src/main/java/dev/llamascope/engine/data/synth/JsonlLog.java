package dev.llamascope.engine.data.synth;

import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.util.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An append-only JSONL file that a long generation run can be stopped and resumed on: one record per line, each
 * written with a single write straight to the operating system (no buffer in between), so a crash loses at most
 * the records still being generated. Opening an existing file collects the ids already there, so a resumed run
 * skips them, and cuts off a half-written last line.
 *
 * <p>This is the one kind of file that does not go through {@code AtomicFiles}: rewriting the whole file per record
 * would make a run quadratic, and a temporary file would lose everything on a crash, which is what resuming is for.
 */
public final class JsonlLog implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final Set<String> ids;
    private final long truncatedBytes;
    private final boolean durable;

    private JsonlLog(Path file, FileChannel channel, Set<String> ids, long truncatedBytes, boolean durable) {
        this.file = file;
        this.channel = channel;
        this.ids = ids;
        this.truncatedBytes = truncatedBytes;
        this.durable = durable;
    }

    /**
     * Opens (or creates) the file for appending.
     *
     * @param idField the record field that identifies a record
     * @param durable also force each record to the disk (survives a power cut, costs a disk flush per record)
     */
    public static JsonlLog open(Path file, String idField, boolean durable) throws IOException, ModelFormatException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Set<String> ids = new HashSet<>();
        long keep = 0, size = 0;
        if (Files.exists(file)) {
            size = Files.size(file);
            keep = scan(file, idField, ids);
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (keep < size) ch.truncate(keep); // the torn last line of a crashed run
            ch.position(keep);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new JsonlLog(file, ch, ids, size - keep, durable);
    }

    /** Reads complete lines, collecting ids; returns the length of the part that ends with the last complete line. */
    private static long scan(Path file, String idField, Set<String> ids) throws IOException, ModelFormatException {
        long pos = 0, keep = 0;
        int lineNo = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            for (int b; (b = in.read()) >= 0; ) {
                pos++;
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                lineNo++;
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                keep = pos;
                if (text.isBlank()) continue;
                try {
                    Map<String, Object> rec = Json.parseObject(text);
                    Object id = rec.get(idField);
                    if (id != null) ids.add(String.valueOf(id));
                } catch (Json.JsonException e) {
                    throw new ModelFormatException(file, "line " + lineNo + " is not JSON (" + e.getMessage() + "); fix or remove it to resume");
                }
            }
        }
        return keep;
    }

    public Path file() {
        return file;
    }

    /** Ids of the records that were in the file when it was opened. */
    public Set<String> existingIds() {
        return Set.copyOf(ids);
    }

    /** Bytes of a torn last line that opening cut off (0 when the file ended cleanly). */
    public long truncatedBytes() {
        return truncatedBytes;
    }

    /** Appends one record as one line. */
    public synchronized void append(Map<String, Object> record) throws IOException {
        byte[] b = (Json.write(record) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) channel.write(buf);
        if (durable) channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}

package dev.llamascope.engine.data.prep;

import dev.llamascope.engine.util.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The outputs of one job, written as {@link AtomicFiles} writes one file, but committed together: each output goes
 * to a hidden temporary file beside its target, and only {@link #commit} renames them into place, after every one
 * is complete. {@link #close} deletes what was not committed, so a failed or cancelled job leaves nothing behind.
 */
final class PendingFiles implements AutoCloseable {
    private final List<Path> temps = new ArrayList<>();
    private final List<Pending> open = new ArrayList<>();
    private final List<Path> targets = new ArrayList<>();
    private boolean committed;

    /** A file being written: its stream, and the channel to force it to disk before closing. */
    final class Pending implements AutoCloseable {
        private final FileChannel channel;
        final OutputStream out;
        final Path temp;

        private Pending(Path temp) throws IOException {
            this.temp = temp;
            channel = FileChannel.open(temp, StandardOpenOption.WRITE);
            out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
        }

        private boolean closed;

        /** Flushes, forces to disk and closes; closing again does nothing. */
        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            try (channel) {
                out.flush();
                channel.force(true);
            }
        }
    }

    /**
     * Opens a temporary file in the folder of {@code nameLike} (created if missing); the target path is given at
     * commit, when it may first be known (shards are named once their count is).
     */
    Pending open(Path nameLike) throws IOException {
        Path dir = nameLike.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + nameLike.getFileName() + ".", ".partial");
        temps.add(tmp);
        // createTempFile makes the file private (0600); a dataset should read like any other file
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix"))
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Pending p = new Pending(tmp);
        open.add(p);
        return p;
    }

    /** Renames the temporary files (in the order opened) onto {@code finalPaths}. */
    void commit(List<Path> finalPaths) throws IOException {
        if (finalPaths.size() != temps.size()) throw new IllegalStateException(temps.size() + " files written, " + finalPaths.size() + " names");
        for (int i = 0; i < temps.size(); i++) {
            AtomicFiles.move(temps.get(i), finalPaths.get(i));
            targets.add(finalPaths.get(i));
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (committed) return;
        for (Pending p : open) {
            if (p.closed) continue;
            p.closed = true;
            try {
                p.channel.close(); // abandoned: no flush, the file goes
            } catch (IOException ignored) {
                // deleting it below is what matters
            }
        }
        IOException first = null;
        for (Path t : temps) {
            try {
                Files.deleteIfExists(t);
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}

package dev.llamascope.app.ui.models;

import dev.llamascope.app.ui.concurrent.CancelToken;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelLoader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

/**
 * The real opener: first reads the model's files once from start to end (the part that takes time for a large
 * model: it brings the weights into the page cache, so progress is real and cancellation is quick), then lets
 * {@link ModelLoader} recognise and map the model, which is then fast.
 */
public final class FileModelOpener implements ModelOpener {
    private static final int CHUNK = 8 << 20;

    @Override
    public LoadedModel open(Path model, Path tokenizer, Progress progress, CancelToken cancel) throws Exception {
        progress.report(-1, "Checking " + model.getFileName() + "…");
        ModelLoader.formatOf(model); // fails fast with a clear message before reading gigabytes of a foreign file
        warmUp(filesOf(model), progress, cancel);
        if (cancel.isCancelled()) throw new CancellationException();
        progress.report(-1, "Mapping the weights…");
        LoadedModel loaded = ModelLoader.load(model, tokenizer);
        if (cancel.isCancelled()) {
            loaded.close();
            throw new CancellationException();
        }
        progress.report(1, "Loaded");
        return loaded;
    }

    private static List<Path> filesOf(Path model) throws IOException {
        if (!Files.isDirectory(model)) return List.of(model);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(model)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        return files;
    }

    private static void warmUp(List<Path> files, Progress progress, CancelToken cancel) throws IOException {
        long total = 0;
        for (Path f : files) total += Files.size(f);
        if (total == 0) return;
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
        long done = 0;
        for (Path f : files) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                int n;
                while (true) {
                    if (cancel.isCancelled()) throw new CancellationException();
                    buf.clear();
                    n = ch.read(buf);
                    if (n < 0) break;
                    done += n;
                    progress.report((double) done / total, "Reading " + f.getFileName() + "…");
                }
            }
        }
    }
}

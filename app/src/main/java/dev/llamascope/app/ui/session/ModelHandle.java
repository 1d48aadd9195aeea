package dev.llamascope.app.ui.session;

import dev.llamascope.engine.model.LoadedModel;
import java.nio.file.Path;

/**
 * A loaded model shared by the panes, with a usage count: work that runs on the model {@link #acquire}s it and
 * {@link #release}s it when done; when a newer model replaces it, it is {@link #retire}d and its memory mapping is
 * closed once the last user lets go. So replacing a model never pulls the weights out from under a generation.
 * Thread-safe; no JavaFX.
 */
public final class ModelHandle {
    private final LoadedModel loaded;
    private final Path modelPath;
    private final Path tokenizerPath;
    private final ModelSummary summary;
    private int users;
    private boolean retired;
    private boolean closed;

    /** @param tokenizerPath the tokenizer file the user chose, or null when the model brought its own */
    public ModelHandle(LoadedModel loaded, Path modelPath, Path tokenizerPath) {
        this.loaded = loaded;
        this.modelPath = modelPath;
        this.tokenizerPath = tokenizerPath;
        this.summary = ModelSummary.of(loaded, modelPath, tokenizerPath);
    }

    public LoadedModel loaded() {
        return loaded;
    }

    public Path modelPath() {
        return modelPath;
    }

    public Path tokenizerPath() {
        return tokenizerPath;
    }

    public ModelSummary summary() {
        return summary;
    }

    /** Takes a use of the model; false when it has been retired (the caller must not use it). */
    public synchronized boolean acquire() {
        if (retired) return false;
        users++;
        return true;
    }

    public synchronized void release() {
        if (users <= 0) throw new IllegalStateException("release without acquire");
        users--;
        closeIfUnused();
    }

    /** Marks the model replaced: no new uses; closed as soon as the current ones end. */
    public synchronized void retire() {
        retired = true;
        closeIfUnused();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private void closeIfUnused() {
        if (retired && users == 0 && !closed) {
            closed = true;
            loaded.close();
        }
    }
}

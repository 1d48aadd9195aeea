package dev.llamascope.app.ui.settings;

import java.nio.file.Path;
import java.util.Objects;

/** A model opened before: the checkpoint (file or folder) and the tokenizer chosen with it (null: the model's own). */
public record RecentModel(Path model, Path tokenizer) {
    public RecentModel {
        Objects.requireNonNull(model, "model");
    }

    public String displayName() {
        Path name = model.getFileName();
        return name == null ? model.toString() : name.toString();
    }
}

package dev.llamascope.engine.catalog;

import java.nio.file.Path;

/**
 * A catalog model on disk, ready to load: pass {@link #model()} (and {@link #tokenizer()} when not null) to
 * {@code ModelLoader.load}. llama2.c tokenizers are stored as tokenizer.bin beside the checkpoint, where the
 * loader finds them by itself.
 */
public record InstalledModel(CatalogEntry entry, Path dir, Path model, Path tokenizer) {}

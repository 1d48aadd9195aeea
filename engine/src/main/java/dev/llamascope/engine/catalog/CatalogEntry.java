package dev.llamascope.engine.catalog;

import dev.llamascope.engine.model.ModelConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A model the app knows how to fetch: its files, shape and license. Installed into {@code <models>/<name>/}.
 *
 * @param name        the word users type ({@code ./llamascope pull stories15M}); also the folder name
 * @param description one line for lists
 * @param format      the file format of the model file ("llama2.c", "gguf", "hf"), informational
 * @param license     the license of the weights (SPDX-like)
 * @param isDefault   the model offered on a first run
 * @param shape       the model's shape, or null when the catalog does not know it
 * @param source      the page the files come from
 * @param files       the files; exactly one has the role MODEL
 */
public record CatalogEntry(String name, String description, String format, String license, boolean isDefault,
                           ModelConfig shape, String source, List<CatalogFile> files) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public CatalogEntry {
        if (name == null || !NAME.matcher(name).matches())
            throw new IllegalArgumentException("'name' should be 1-64 letters, digits, '.', '_' or '-' (it is a folder name)");
        description = description == null ? "" : description;
        format = format == null ? "" : format;
        license = license == null ? "" : license;
        source = source == null ? "" : source;
        if (files == null || files.isEmpty()) throw new IllegalArgumentException("'files' is empty");
        files = List.copyOf(files);
        long models = files.stream().filter(f -> f.role() == CatalogFile.Role.MODEL).count();
        if (models != 1) throw new IllegalArgumentException("needs exactly one file with role 'model', has " + models);
        Set<String> seen = new HashSet<>();
        for (CatalogFile f : files) {
            if (!seen.add(f.path())) throw new IllegalArgumentException("two files with path " + f.path());
        }
    }

    public CatalogFile modelFile() {
        return files.stream().filter(f -> f.role() == CatalogFile.Role.MODEL).findFirst().orElseThrow();
    }

    public Optional<CatalogFile> tokenizerFile() {
        return files.stream().filter(f -> f.role() == CatalogFile.Role.TOKENIZER).findFirst();
    }

    /** Sum of the sizes the catalog knows. */
    public long knownSize() {
        return files.stream().mapToLong(f -> Math.max(0, f.size())).sum();
    }

    /** Whether every file has a known size (else {@link #knownSize()} is a lower bound). */
    public boolean sizeComplete() {
        return files.stream().allMatch(CatalogFile::sizeKnown);
    }

    /** Whether every file's size and sha256 were confirmed against the official source. */
    public boolean verified() {
        return files.stream().allMatch(CatalogFile::verified);
    }
}

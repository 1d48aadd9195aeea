package dev.llamascope.engine.catalog;

import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The list of models the app can fetch ({@code models/catalog.json}). The format:
 * <pre>{@code
 * {"version": 1, "models": [ {"name": "stories15M", "description": "...", "format": "llama2.c",
 *   "license": "MIT", "default": true, "source": "https://...",
 *   "shape": {"dim": 288, "hidden": 768, "layers": 6, "heads": 6, "kvHeads": 6, "vocab": 32000, "seq": 256,
 *             "sharedClassifier": true},
 *   "files": [ {"path": "stories15M.bin", "role": "model", "url": "https://...", "size": 60816028,
 *               "sha256": "cd59...", "verified": true, "note": "where the values come from"} ] } ]}
 * }</pre>
 * Parsing is strict (unknown keys are errors, so a typo such as "sha265" cannot silently disable a check) and
 * every error names the file, the entry and the field.
 */
public final class Catalog {
    public static final int VERSION = 1;

    private final String source;
    private final List<CatalogEntry> entries;

    public Catalog(String source, List<CatalogEntry> entries) {
        this.source = source;
        this.entries = List.copyOf(entries);
    }

    /** Where it was read from, for messages. */
    public String source() {
        return source;
    }

    public List<CatalogEntry> entries() {
        return entries;
    }

    /** An entry by name, ignoring case. */
    public Optional<CatalogEntry> find(String name) {
        return entries.stream().filter(e -> e.name().equalsIgnoreCase(name)).findFirst();
    }

    /** An entry by name, or an error listing the known names. */
    public CatalogEntry require(String name) throws CatalogException {
        return find(name).orElseThrow(() -> new CatalogException("no model named '" + name + "' in the catalog (known: "
                + String.join(", ", entries.stream().map(CatalogEntry::name).toList()) + ")"));
    }

    /** The model offered on a first run. */
    public Optional<CatalogEntry> defaultEntry() {
        return entries.stream().filter(CatalogEntry::isDefault).findFirst();
    }

    public static Catalog load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no catalog file");
        if (Files.size(file) > 16 << 20) throw new CatalogException(file + ": too large for a catalog (" + Files.size(file) + " bytes)");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new CatalogException(file + ": not UTF-8 text");
        }
        return parse(text, file.toString());
    }

    /**
     * The catalog file to use: {@code catalog.json} in the models folder when there is one, else the project's
     * {@code models/catalog.json} (system property {@code llamascope.root}), else {@code ./models/catalog.json}.
     */
    public static Path locate(ModelsFolder folder, Properties props) throws CatalogException {
        List<Path> candidates = new ArrayList<>();
        candidates.add(folder.root().resolve("catalog.json"));
        String root = props.getProperty(ModelsFolder.ROOT_PROPERTY);
        if (root != null && !root.isBlank()) candidates.add(Path.of(root, "models", "catalog.json"));
        candidates.add(Path.of("models", "catalog.json"));
        for (Path p : candidates) if (Files.isRegularFile(p)) return p.toAbsolutePath().normalize();
        throw new CatalogException("no catalog.json found (looked at " + String.join(", ",
                candidates.stream().map(p -> p.toAbsolutePath().normalize().toString()).distinct().toList()) + ")");
    }

    public static Catalog parse(String json, String source) throws CatalogException {
        Map<String, Object> top;
        try {
            top = Json.parseObject(json);
        } catch (Json.JsonException e) {
            throw new CatalogException(source + ": " + withLineNumber(e.getMessage(), json));
        }
        try {
            checkKeys(top, Set.of("version", "models", "comment"));
            long version = Json.integer(top, "version", VERSION);
            if (version != VERSION)
                throw new IllegalArgumentException("catalog version " + version + " is not supported (this program reads version " + VERSION + ")");
        } catch (IllegalArgumentException | Json.JsonException e) {
            throw new CatalogException(source + ": " + e.getMessage());
        }
        if (!(top.get("models") instanceof List<?> list))
            throw new CatalogException(source + ": 'models' should be a list of entries");
        List<CatalogEntry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String where = source + ": models[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) throw new CatalogException(where + ": should be an object");
            @SuppressWarnings("unchecked") Map<String, Object> o = (Map<String, Object>) m;
            if (o.get("name") instanceof String n) where = source + ": model '" + n + "'";
            CatalogEntry e;
            try {
                e = entry(o);
            } catch (IllegalArgumentException | Json.JsonException ex) {
                throw new CatalogException(where + ": " + ex.getMessage());
            } catch (CatalogException ex) {
                throw new CatalogException(where + ": " + ex.getMessage());
            }
            if (!names.add(e.name().toLowerCase(Locale.ROOT))) throw new CatalogException(where + ": the name is used twice");
            entries.add(e);
        }
        long defaults = entries.stream().filter(CatalogEntry::isDefault).count();
        if (defaults > 1) throw new CatalogException(source + ": " + defaults + " models are marked default; at most one may be");
        return new Catalog(source, entries);
    }

    private static CatalogEntry entry(Map<String, Object> o) throws CatalogException {
        checkKeys(o, Set.of("name", "description", "format", "license", "default", "shape", "source", "files", "note"));
        String name = requireString(o, "name");
        ModelConfig shape = null;
        if (o.get("shape") != null) {
            if (!(o.get("shape") instanceof Map<?, ?> sm)) throw new IllegalArgumentException("'shape' should be an object");
            @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) sm;
            shape = shape(s);
        }
        if (!(o.get("files") instanceof List<?> fl)) throw new IllegalArgumentException("'files' should be a list");
        List<CatalogFile> files = new ArrayList<>();
        for (int j = 0; j < fl.size(); j++) {
            if (!(fl.get(j) instanceof Map<?, ?> fm)) throw new IllegalArgumentException("files[" + j + "] should be an object");
            @SuppressWarnings("unchecked") Map<String, Object> f = (Map<String, Object>) fm;
            try {
                files.add(file(f));
            } catch (IllegalArgumentException | Json.JsonException ex) {
                throw new CatalogException("files[" + j + "]: " + ex.getMessage());
            }
        }
        return new CatalogEntry(name, Json.string(o, "description", ""), Json.string(o, "format", ""),
                Json.string(o, "license", ""), Json.bool(o, "default", false), shape, Json.string(o, "source", ""), files);
    }

    private static ModelConfig shape(Map<String, Object> s) {
        checkKeys(s, Set.of("dim", "hidden", "layers", "heads", "kvHeads", "vocab", "seq", "sharedClassifier"));
        int heads = intField(s, "heads", -1);
        try {
            return new ModelConfig(intField(s, "dim", -1), intField(s, "hidden", -1), intField(s, "layers", -1), heads,
                    intField(s, "kvHeads", heads), intField(s, "vocab", -1), intField(s, "seq", -1),
                    Json.bool(s, "sharedClassifier", true));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("shape: " + e.getMessage());
        }
    }

    private static int intField(Map<String, Object> o, String key, int dflt) {
        if (o.get(key) == null && dflt == -1) throw new IllegalArgumentException("'" + key + "' is missing");
        long v = Json.integer(o, key, dflt);
        if (v < 1 || v > Integer.MAX_VALUE) throw new IllegalArgumentException("'" + key + "' = " + v + " is out of range");
        return (int) v;
    }

    private static CatalogFile file(Map<String, Object> f) {
        checkKeys(f, Set.of("path", "role", "url", "size", "sha256", "verified", "note"));
        String url = requireString(f, "url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'url' " + url + " is not a valid address");
        }
        String sha = Json.string(f, "sha256", null);
        return new CatalogFile(requireString(f, "path"), CatalogFile.Role.parse(Json.string(f, "role", "other")), uri,
                Json.integer(f, "size", -1), sha, Json.bool(f, "verified", false), Json.string(f, "note", ""));
    }

    private static String requireString(Map<String, Object> o, String key) {
        String v = Json.string(o, key, null);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("'" + key + "' is missing");
        return v;
    }

    private static void checkKeys(Map<String, Object> o, Set<String> allowed) {
        for (String k : o.keySet()) {
            if (!allowed.contains(k))
                throw new IllegalArgumentException("unknown key '" + k + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
    }

    private static final Pattern AT_CHAR = Pattern.compile("at character (\\d+)");

    /** Json reports a character offset; people editing the file want a line and column. */
    static String withLineNumber(String message, String text) {
        Matcher m = AT_CHAR.matcher(message);
        if (!m.find()) return message;
        int offset = (int) Math.min(Long.parseLong(m.group(1)), text.length());
        int line = 1, col = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return m.replaceFirst("at line " + line + ", column " + col);
    }
}

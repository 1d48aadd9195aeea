package dev.llamascope.engine.catalog;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The folder that holds downloaded models: {@code $LLAMASCOPE_MODELS} when set, else {@code models/} in the
 * project (the launcher passes the project folder as the system property {@code llamascope.root}), else
 * {@code ./models}. A catalog entry lives in {@code <folder>/<name>/}; a download in progress is the target's
 * name plus {@code .partial}, beside it.
 */
public final class ModelsFolder {
    public static final String ENV = "LLAMASCOPE_MODELS";
    public static final String ROOT_PROPERTY = "llamascope.root";
    public static final String PARTIAL_SUFFIX = ".partial";

    private final Path root;

    public ModelsFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The folder the environment asks for (see the class comment). */
    public static ModelsFolder locate(Map<String, String> env, Properties props) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return new ModelsFolder(Path.of(fromEnv));
        String projectRoot = props.getProperty(ROOT_PROPERTY);
        if (projectRoot != null && !projectRoot.isBlank()) return new ModelsFolder(Path.of(projectRoot, "models"));
        return new ModelsFolder(Path.of("models"));
    }

    public static ModelsFolder fromEnvironment() {
        return locate(System.getenv(), System.getProperties());
    }

    public Path root() {
        return root;
    }

    public Path dirOf(CatalogEntry e) {
        return root.resolve(e.name());
    }

    public Path pathOf(CatalogEntry e, CatalogFile f) {
        return dirOf(e).resolve(f.path());
    }

    public static Path partialOf(Path target) {
        return target.resolveSibling(target.getFileName() + PARTIAL_SUFFIX);
    }

    /** Whether a file of an entry is in place: present, with the catalog's size when it knows one. */
    public boolean isComplete(CatalogEntry e, CatalogFile f) {
        Path p = pathOf(e, f);
        try {
            return Files.isRegularFile(p) && (!f.sizeKnown() || Files.size(p) == f.size());
        } catch (IOException ex) {
            return false;
        }
    }

    public InstallStatus status(CatalogEntry e) {
        long present = 0;
        int complete = 0;
        boolean anything = false;
        for (CatalogFile f : e.files()) {
            Path p = pathOf(e, f);
            if (isComplete(e, f)) {
                complete++;
                anything = true;
                present += sizeOrZero(p);
            } else {
                Path partial = partialOf(p);
                if (Files.isRegularFile(partial)) {
                    anything = true;
                    present += sizeOrZero(partial);
                } else if (Files.exists(p)) {
                    anything = true; // present with the wrong size: a pull replaces it
                }
            }
        }
        InstallStatus.State state = complete == e.files().size() ? InstallStatus.State.INSTALLED
                : anything ? InstallStatus.State.PARTIAL : InstallStatus.State.NOT_INSTALLED;
        return new InstallStatus(e, state, present, e.knownSize(), dirOf(e));
    }

    public Optional<InstalledModel> installed(CatalogEntry e) {
        if (!status(e).installed()) return Optional.empty();
        Path tok = e.tokenizerFile().map(f -> pathOf(e, f)).orElse(null);
        return Optional.of(new InstalledModel(e, dirOf(e), pathOf(e, e.modelFile()), tok));
    }

    /** The installed entries of a catalog, default first, then in catalog order. */
    public List<InstalledModel> installed(Catalog c) {
        List<InstalledModel> out = new ArrayList<>();
        c.defaultEntry().flatMap(this::installed).ifPresent(out::add);
        for (CatalogEntry e : c.entries()) {
            if (!e.isDefault()) installed(e).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Model files in the folder that no catalog entry owns (a GGUF or .bin someone put there, a model made by
     * this program): loose files ending in .bin, .gguf or .safetensors that do not look like tokenizers, and
     * sub-folders holding a config.json (Hugging Face layout) or such files.
     */
    public List<Path> otherModels(Catalog c) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        Set<String> owned = new HashSet<>();
        for (CatalogEntry e : c.entries()) owned.add(e.name().toLowerCase(Locale.ROOT));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(".")) continue;
                if (Files.isRegularFile(p)) {
                    if (looksLikeModel(n)) out.add(p);
                } else if (Files.isDirectory(p) && !owned.contains(n.toLowerCase(Locale.ROOT))) {
                    if (Files.isRegularFile(p.resolve("config.json"))) {
                        out.add(p);
                        continue;
                    }
                    try (DirectoryStream<Path> inner = Files.newDirectoryStream(p)) {
                        for (Path q : inner) if (Files.isRegularFile(q) && looksLikeModel(q.getFileName().toString())) out.add(q);
                    }
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static boolean looksLikeModel(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("tok")) return false; // tokenizer.bin, tok512.bin
        return n.endsWith(".bin") || n.endsWith(".gguf") || n.endsWith(".safetensors");
    }

    private static long sizeOrZero(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}

package dev.llamascope.engine.data.synth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where shipped data files (word lists, prompt recipes) are read from, by their path under {@code assets/}, e.g.
 * {@code "words/en/nouns.txt"}. The engine does not know where the application keeps them: the app passes a
 * source (its jar's {@code /assets} on the class path, or the project's {@code assets/} folder), tests pass a folder.
 */
public interface AssetSource {

    /** Opens an asset; {@link NoSuchFileException} when it is not there. */
    InputStream open(String path) throws IOException;

    /** Where an asset would come from, for messages. */
    String describe(String path);

    /** Assets in a folder on disk (the project's {@code assets/}). */
    static AssetSource folder(Path root) {
        return new AssetSource() {
            @Override
            public InputStream open(String path) throws IOException {
                Path p = root.resolve(path);
                if (!Files.isRegularFile(p)) throw new NoSuchFileException(p.toString(), null, "no such asset");
                return Files.newInputStream(p);
            }

            @Override
            public String describe(String path) {
                return root.resolve(path).toString();
            }
        };
    }

    /** Assets inside a jar or class folder under {@code prefix} (e.g. "assets/"). */
    static AssetSource classpath(ClassLoader loader, String prefix) {
        String base = prefix.endsWith("/") ? prefix : prefix + "/";
        return new AssetSource() {
            @Override
            public InputStream open(String path) throws IOException {
                InputStream in = loader.getResourceAsStream(base + path);
                if (in == null) throw new NoSuchFileException("classpath:/" + base + path, null, "no such asset");
                return in;
            }

            @Override
            public String describe(String path) {
                return "classpath:/" + base + path;
            }
        };
    }

    /** The first source that has the asset. */
    static AssetSource firstOf(AssetSource... sources) {
        return new AssetSource() {
            @Override
            public InputStream open(String path) throws IOException {
                NoSuchFileException last = null;
                for (AssetSource s : sources) {
                    try {
                        return s.open(path);
                    } catch (NoSuchFileException e) {
                        last = e;
                    }
                }
                throw last != null ? last : new NoSuchFileException(path, null, "no asset sources");
            }

            @Override
            public String describe(String path) {
                return sources.length == 0 ? path : sources[0].describe(path);
            }
        };
    }
}

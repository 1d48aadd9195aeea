package dev.llamascope.engine.cuda;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What library discovery looks at: the operating system, the environment and the file system. Tests pass a fake
 * one whose absolute paths resolve under a temporary folder.
 *
 * @param osName as {@code System.getProperty("os.name")}
 * @param root   where absolute Unix paths ("/usr/lib/...") are looked up: "/" on a real system
 */
public record HostSystem(String osName, Map<String, String> env, Path userHome, Path root) {
    public HostSystem {
        env = Map.copyOf(env);
    }

    public static HostSystem current() {
        return new HostSystem(System.getProperty("os.name", ""), System.getenv(), Path.of(System.getProperty("user.home", ".")),
                Path.of("/").toAbsolutePath());
    }

    public boolean windows() {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** An absolute Unix path under the root. */
    public Path unix(String absolute) {
        return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }

    /** A path named by an environment variable or a search-path entry (absolute on the real system). */
    public Path fromEnv(String value) {
        Path p = Path.of(value);
        if (!windows() && p.isAbsolute()) return unix(value);
        return p;
    }

    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}

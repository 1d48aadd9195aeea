package dev.llamascope.app.cli;

import dev.llamascope.engine.data.synth.AssetSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the app finds its shipped data: inside its jar under /assets (app/pom.xml copies the project's assets/
 * there), else in the assets/ folder of the project root the launcher passes as -Dllamascope.root.
 */
public final class AppAssets {
    private AppAssets() {}

    public static AssetSource source() {
        List<AssetSource> sources = new ArrayList<>();
        sources.add(AssetSource.classpath(AppAssets.class.getClassLoader(), "assets/"));
        String root = System.getProperty("llamascope.root");
        if (root != null && !root.isBlank() && Files.isDirectory(Path.of(root, "assets")))
            sources.add(AssetSource.folder(Path.of(root, "assets")));
        return AssetSource.firstOf(sources.toArray(AssetSource[]::new));
    }
}

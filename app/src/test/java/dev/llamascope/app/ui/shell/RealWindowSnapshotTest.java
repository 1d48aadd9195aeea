package dev.llamascope.app.ui.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llamascope.app.ui.TestData;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real window, not Monocle: runs {@code llamascope gui --snapshot} in a child JVM under Xvfb (GTK glass, the
 * software pipeline), loading stories260K and generating, and checks the PNG it writes to
 * target/screenshots/ (kept as a CI artifact). Skipped where xvfb-run is not installed.
 */
class RealWindowSnapshotTest {
    @TempDir
    Path config;

    @Test
    void theLauncherOpensTheWindowGeneratesAndWritesAScreenshot() throws Exception {
        Path xvfb = findOnPath("xvfb-run");
        assumeTrue(xvfb != null, "xvfb-run is not installed (apt-get install xvfb libgtk-3-0); skipping the real-window run");
        Path model = TestData.stories260K().toAbsolutePath(), tok = TestData.tok512().toAbsolutePath();
        Path png = Path.of("target", "screenshots", "generate.png").toAbsolutePath();
        Files.deleteIfExists(png);

        List<String> cmd = new ArrayList<>(List.of(xvfb.toString(), "-a", "-s", "-screen 0 1400x900x24",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dllamascope.config.dir=" + config, "-cp", System.getProperty("java.class.path"),
                "dev.llamascope.app.Main", "gui", "--model", model.toString(), "--tokenizer", tok.toString(),
                "--prompt", "Once upon a time", "--generate", "--max-tokens", "120", "--temperature", "0",
                "--size", "1280x800", "--snapshot", png.toString(), "--snapshot-delay", "0.3"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        boolean done = p.waitFor(180, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly();
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(done, "the window did not close within 180 s:\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("snapshot written to"), out);
        assertTrue(out.contains("window interactive"), out);

        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1280, img.getWidth());
        assertEquals(800, img.getHeight());
        // Non-trivial: many distinct colours (anti-aliased text, icons, coloured tokens), not a blank or black frame.
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) for (int x = 0; x < img.getWidth(); x += 2) colours.add(img.getRGB(x, y));
        assertTrue(colours.size() > 200, "only " + colours.size() + " colours in " + png);
        assertTrue(Files.size(png) > 30_000, "suspiciously small PNG: " + Files.size(png) + " bytes");
    }

    private static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}

package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed PTX is what the committed CUDA sources compile to. Always: the sources' sha256 recorded by
 * build-ptx.sh matches the sources (so an edited kernel without regenerated PTX fails here, nvcc or not). With nvcc
 * present: recompiling every source gives the committed PTX, apart from nvcc's header comments.
 */
class PtxBuildCheckTest {
    @TempDir
    Path tmp;

    static Path cudaDir() {
        return EmuBuild.moduleDir().resolve("src/main/cuda");
    }

    static Path ptxDir() {
        return EmuBuild.moduleDir().resolve("src/main/resources/dev/llamascope/engine/cuda/ptx");
    }

    static final String REGENERATE = "run engine/src/main/cuda/build-ptx.sh and commit the PTX";

    @Test
    void recordedSourceHashesMatchTheSources() throws Exception {
        List<String> expected = new ArrayList<>();
        try (var files = Files.list(cudaDir())) {
            for (Path p : files.filter(p -> p.getFileName().toString().matches(".*\\.(cu|cuh)$|NVCC_FLAGS")).sorted().toList()) {
                // LF line ends, as git stores them (see .gitattributes)
                byte[] bytes = Files.readString(p, StandardCharsets.UTF_8).replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
                expected.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)) + "  " + p.getFileName());
            }
        }
        List<String> recorded = Files.readAllLines(ptxDir().resolve("SOURCES.sha256")).stream().filter(l -> !l.isBlank()).toList();
        assertEquals(String.join("\n", expected), String.join("\n", recorded), "the PTX is stale: " + REGENERATE);
        for (String f : PtxModule.FILES) {
            assertEquals(true, Files.exists(cudaDir().resolve(f + ".cu")), f + ".cu");
            assertEquals(true, Files.exists(ptxDir().resolve(f + ".ptx")), f + ".ptx: " + REGENERATE);
        }
    }

    @Test
    void nvccReproducesTheCommittedPtx() throws Exception {
        Optional<String> nvcc = findNvcc();
        assumeTrue(nvcc.isPresent(), "nvcc not found (PATH, CUDA_HOME, /usr/local/cuda/bin): cannot recompile the kernels here; skipping");
        String version = run(List.of(nvcc.get(), "--version"), tmp).lines().filter(l -> l.startsWith("Cuda compilation tools")).findFirst().orElse("?");
        String committedVersion = Files.readString(ptxDir().resolve("matmul.ptx")).lines()
                .filter(l -> l.startsWith("// Cuda compilation tools")).findFirst().orElse("?").substring(3);
        assumeTrue(version.equals(committedVersion), "the PTX was made by '" + committedVersion + "', this nvcc is '" + version
                + "': different compilers emit different PTX, so only the source hashes are checked; skipping");
        List<String> flags = List.of(Files.readString(cudaDir().resolve("NVCC_FLAGS")).trim().split("\\s+"));
        // one nvcc run per virtual architecture (it writes NAME.ptx into the working folder for each NAME.cu); a
        // source names its own on its first line ("// nvcc-arch: compute_80"), as build-ptx.sh reads it
        Map<String, List<String>> byArch = new TreeMap<>();
        for (String f : PtxModule.FILES) {
            String first = Files.readString(cudaDir().resolve(f + ".cu")).lines().findFirst().orElse("");
            String arch = first.startsWith("// nvcc-arch: ") ? "-arch=" + first.substring(14).trim() : "";
            byArch.computeIfAbsent(arch, a -> new ArrayList<>()).add(cudaDir().resolve(f + ".cu").toString());
        }
        for (Map.Entry<String, List<String>> e : byArch.entrySet()) {
            List<String> cmd = new ArrayList<>(List.of(nvcc.get()));
            for (String flag : flags) cmd.add(flag.startsWith("-arch=") && !e.getKey().isEmpty() ? e.getKey() : flag);
            cmd.addAll(e.getValue());
            run(cmd, tmp);
        }
        for (String f : PtxModule.FILES) {
            assertEquals(body(ptxDir().resolve(f + ".ptx")), body(tmp.resolve(f + ".ptx")), f + ".ptx differs from what nvcc makes of " + f + ".cu: " + REGENERATE);
        }
    }

    /** The PTX without nvcc's comment lines (compiler build, which could carry paths or dates). */
    static String body(Path p) throws IOException {
        return Files.readString(p).replace("\r\n", "\n").lines().filter(l -> !l.startsWith("//")).collect(Collectors.joining("\n"));
    }

    static Optional<String> findNvcc() {
        List<String> candidates = new ArrayList<>(List.of("nvcc"));
        String home = System.getenv("CUDA_HOME");
        if (home != null) candidates.add(Path.of(home, "bin", "nvcc").toString());
        candidates.add("/usr/local/cuda/bin/nvcc");
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return Optional.of(c);
            } catch (IOException | InterruptedException e) {
                // not this one
            }
        }
        return Optional.empty();
    }

    private static String run(List<String> cmd, Path dir) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }
}

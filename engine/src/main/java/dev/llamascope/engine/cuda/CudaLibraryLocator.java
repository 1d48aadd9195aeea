package dev.llamascope.engine.cuda;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the NVIDIA libraries are: the driver (libcuda, always installed with the driver, no toolkit needed) and
 * cuBLAS (optional: from a CUDA toolkit, a conda environment, or the pip wheels PyTorch installs). Produces
 * candidates in the order they should be tried; loading is {@link CudaDriver}'s and {@link Cublas}'s job.
 */
public final class CudaLibraryLocator {
    private CudaLibraryLocator() {}

    /** The environment variable naming libcuda explicitly (a file). */
    public static final String DRIVER_ENV = "LLAMASCOPE_LIBCUDA";
    /** The environment variable naming cuBLAS explicitly (a file, or a folder holding it); "none" disables it. */
    public static final String CUBLAS_ENV = "LLAMASCOPE_CUBLAS";

    /**
     * Driver candidates: an explicit file, then the library name for the system loader (which knows ldconfig's
     * paths and the Windows system folder), then files in the usual folders (distribution multiarch folders, WSL's
     * driver folder, the toolkit's forward-compatibility folders, newest toolkit first) that exist.
     * Strings: a bare name is for the system loader, anything else is a path.
     */
    public static List<String> driverCandidates(HostSystem h) {
        Set<String> out = new LinkedHashSet<>();
        String explicit = h.env(DRIVER_ENV);
        if (explicit != null) out.add(explicit);
        if (h.windows()) {
            out.add("nvcuda.dll");
            String sysRoot = h.env("SystemRoot");
            if (sysRoot != null) addIfFile(out, Path.of(sysRoot, "System32", "nvcuda.dll"));
            return List.copyOf(out);
        }
        out.add("libcuda.so.1");
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib",
                "/usr/lib/wsl/lib")) {
            addIfFile(out, h.unix(dir).resolve("libcuda.so.1"));
        }
        for (Path cuda : toolkits(h)) addIfFile(out, cuda.resolve("compat").resolve("libcuda.so.1"));
        return List.copyOf(out);
    }

    /** The cuBLAS file names, preferred first (CUDA 13, then 12). */
    public static List<String> cublasNames(HostSystem h) {
        return h.windows() ? List.of("cublas64_13.dll", "cublas64_12.dll") : List.of("libcublas.so.13", "libcublas.so.12");
    }

    /**
     * Existing cuBLAS files, preferred first: an explicit one, then per folder (explicit folder, CUDA_HOME/CUDA_PATH,
     * /usr/local/cuda and /usr/local/cuda-X.Y newest first, the distribution's folders, LD_LIBRARY_PATH or PATH,
     * conda, then Python site-packages where NVIDIA's wheels unpack: nvidia/cu13/lib for CUDA 13, nvidia/cublas/lib
     * for CUDA 12) the newest version found there. Empty when {@value #CUBLAS_ENV} is "none".
     */
    public static List<Path> cublasCandidates(HostSystem h) {
        String explicit = h.env(CUBLAS_ENV);
        if ("none".equalsIgnoreCase(explicit)) return List.of();
        List<Path> dirs = new ArrayList<>();
        Set<String> out = new LinkedHashSet<>();
        if (explicit != null) {
            Path p = h.fromEnv(explicit);
            if (Files.isRegularFile(p)) out.add(p.toString());
            else dirs.add(p);
        }
        for (String var : List.of("CUDA_HOME", "CUDA_PATH", "CUDA_ROOT")) {
            String v = h.env(var);
            if (v == null) continue;
            Path base = h.fromEnv(v);
            if (h.windows()) {
                dirs.add(base.resolve("bin").resolve("x64"));
                dirs.add(base.resolve("bin"));
            } else {
                dirs.add(base.resolve("lib64"));
                dirs.add(base.resolve("lib"));
            }
        }
        if (!h.windows()) {
            for (Path cuda : toolkits(h)) dirs.add(cuda.resolve("lib64"));
            for (String d : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib")) dirs.add(h.unix(d));
        }
        String searchPath = h.env(h.windows() ? "PATH" : "LD_LIBRARY_PATH");
        if (searchPath != null) {
            for (String e : searchPath.split(h.windows() ? ";" : ":")) if (!e.isBlank()) dirs.add(h.fromEnv(e));
        }
        for (String var : List.of("CONDA_PREFIX", "VIRTUAL_ENV")) {
            String v = h.env(var);
            if (v == null) continue;
            Path base = h.fromEnv(v);
            dirs.add(h.windows() ? base.resolve("Library").resolve("bin") : base.resolve("lib"));
            for (Path sp : sitePackages(h, base)) addWheelDirs(dirs, sp, h);
        }
        for (Path sp : globalSitePackages(h)) addWheelDirs(dirs, sp, h);
        for (Path d : dirs) {
            for (String name : cublasNames(h)) {
                Path f = d.resolve(name);
                if (Files.isRegularFile(f)) out.add(f.toString());
            }
        }
        List<Path> result = new ArrayList<>();
        for (String s : out) result.add(Path.of(s));
        return result;
    }

    private static void addWheelDirs(List<Path> dirs, Path sitePackages, HostSystem h) {
        Path nvidia = sitePackages.resolve("nvidia");
        String sub = h.windows() ? "bin" : "lib";
        dirs.add(nvidia.resolve("cu13").resolve(sub));
        dirs.add(nvidia.resolve("cublas").resolve(sub));
        if (h.windows()) dirs.add(sitePackages.resolve("torch").resolve("lib"));  // Windows torch wheels bundle cuBLAS
    }

    /** site-packages under a Python prefix (lib/python3.X/site-packages, or Lib/site-packages on Windows). */
    private static List<Path> sitePackages(HostSystem h, Path prefix) {
        List<Path> out = new ArrayList<>();
        if (h.windows()) {
            out.add(prefix.resolve("Lib").resolve("site-packages"));
            return out;
        }
        for (Path py : pythonDirs(prefix.resolve("lib"))) {
            out.add(py.resolve("site-packages"));
            out.add(py.resolve("dist-packages"));
        }
        return out;
    }

    private static List<Path> globalSitePackages(HostSystem h) {
        List<Path> out = new ArrayList<>();
        if (h.windows()) {
            String local = h.env("LOCALAPPDATA");
            if (local != null) {
                for (Path py : children(Path.of(local, "Programs", "Python"), "Python3\\d+")) out.add(py.resolve("Lib").resolve("site-packages"));
            }
            String appData = h.env("APPDATA");
            if (appData != null) {
                for (Path py : children(Path.of(appData, "Python"), "Python3\\d+")) out.add(py.resolve("site-packages"));
            }
            return out;
        }
        Path home = h.unix(h.userHome().toString());
        out.addAll(sitePackages(h, home.resolve(".local")));
        for (String prefix : List.of("/usr/local", "/usr", "/opt/conda")) out.addAll(sitePackages(h, h.unix(prefix)));
        out.add(h.unix("/usr/lib/python3/dist-packages"));
        return out;
    }

    /** /usr/local/cuda, then /usr/local/cuda-X.Y newest first. */
    static List<Path> toolkits(HostSystem h) {
        List<Path> out = new ArrayList<>();
        Path local = h.unix("/usr/local");
        out.add(local.resolve("cuda"));
        List<Path> versioned = new ArrayList<>(children(local, "cuda-\\d+(\\.\\d+)*"));
        versioned.sort(Comparator.comparing((Path p) -> version(p.getFileName().toString())).reversed());
        out.addAll(versioned);
        return out;
    }

    private static List<Path> pythonDirs(Path lib) {
        List<Path> dirs = new ArrayList<>(children(lib, "python3(\\.\\d+)?"));
        dirs.sort(Comparator.comparing((Path p) -> version(p.getFileName().toString())).reversed());
        return dirs;
    }

    private static final Pattern NUMBERS = Pattern.compile("\\d+");

    /** "cuda-12.10" -> 12 * 1e4 + 10, so 12.10 sorts after 12.9. */
    static long version(String name) {
        Matcher m = NUMBERS.matcher(name);
        long v = 0;
        int parts = 0;
        while (m.find() && parts < 3) {
            v = v * 10_000 + Math.min(9_999, Long.parseLong(m.group().length() > 4 ? "9999" : m.group()));
            parts++;
        }
        for (; parts < 3; parts++) v *= 10_000;
        return v;
    }

    private static List<Path> children(Path dir, String regex) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) if (p.getFileName().toString().matches(regex) && Files.isDirectory(p)) out.add(p);
        } catch (IOException | SecurityException e) {
            // an unreadable folder holds nothing we can load
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static void addIfFile(Set<String> out, Path p) {
        if (Files.isRegularFile(p) || Files.isSymbolicLink(p)) out.add(p.toString());
    }
}

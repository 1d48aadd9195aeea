package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Library discovery over fake file trees: which files are found, in which order. */
class CudaLibraryLocatorTest {
    @TempDir
    Path root;

    private Path touch(String rel) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "fake");
        return p;
    }

    private HostSystem linux(Map<String, String> env) {
        return new HostSystem("Linux", env, Path.of("/home/u"), root);
    }

    private List<String> cublas(HostSystem h) {
        return CudaLibraryLocator.cublasCandidates(h).stream().map(p -> root.relativize(p).toString()).toList();
    }

    @Test
    void toolkitsNewestFirstThenDistributionThenPipWheels() throws Exception {
        touch("usr/local/cuda-12.4/lib64/libcublas.so.12");
        touch("usr/local/cuda-13.0/lib64/libcublas.so.13");
        touch("usr/local/cuda-12.10/lib64/libcublas.so.12");
        touch("usr/lib/x86_64-linux-gnu/libcublas.so.12");
        touch("home/u/.local/lib/python3.12/site-packages/nvidia/cu13/lib/libcublas.so.13");
        touch("home/u/.local/lib/python3.12/site-packages/nvidia/cublas/lib/libcublas.so.12");
        touch("usr/local/lib/python3.11/dist-packages/nvidia/cublas/lib/libcublas.so.12");
        touch("usr/local/cuda-13.0/lib64/libcublasLt.so.13");  // not cuBLAS itself
        assertEquals(List.of(
                "usr/local/cuda-13.0/lib64/libcublas.so.13",
                "usr/local/cuda-12.10/lib64/libcublas.so.12",
                "usr/local/cuda-12.4/lib64/libcublas.so.12",
                "usr/lib/x86_64-linux-gnu/libcublas.so.12",
                "home/u/.local/lib/python3.12/site-packages/nvidia/cu13/lib/libcublas.so.13",
                "home/u/.local/lib/python3.12/site-packages/nvidia/cublas/lib/libcublas.so.12",
                "usr/local/lib/python3.11/dist-packages/nvidia/cublas/lib/libcublas.so.12"), cublas(linux(Map.of())));
    }

    @Test
    void environmentComesFirstAndNoneDisables() throws Exception {
        touch("usr/local/cuda-13.0/lib64/libcublas.so.13");
        Path explicit = touch("opt/mine/libcublas.so.12");
        touch("venv/lib/python3.13/site-packages/nvidia/cu13/lib/libcublas.so.13");
        touch("conda/lib/libcublas.so.13");
        touch("ld/libcublas.so.12");
        Map<String, String> env = new HashMap<>();
        env.put("LLAMASCOPE_CUBLAS", "/opt/mine/libcublas.so.12");
        env.put("VIRTUAL_ENV", "/venv");
        env.put("CONDA_PREFIX", "/conda");
        env.put("LD_LIBRARY_PATH", "/ld:/missing");
        assertEquals(List.of(root.relativize(explicit).toString(),
                "usr/local/cuda-13.0/lib64/libcublas.so.13",
                "ld/libcublas.so.12",
                "conda/lib/libcublas.so.13",
                "venv/lib/python3.13/site-packages/nvidia/cu13/lib/libcublas.so.13"), cublas(linux(env)));
        assertEquals(List.of(), cublas(linux(Map.of("LLAMASCOPE_CUBLAS", "none"))));
        // a folder works as well as a file
        assertEquals("opt/mine/libcublas.so.12", cublas(linux(Map.of("LLAMASCOPE_CUBLAS", "/opt/mine"))).getFirst());
    }

    @Test
    void nothingInstalledFindsNothing() {
        assertEquals(List.of(), cublas(linux(Map.of())));
    }

    @Test
    void driverByLoaderNameFirstThenKnownFolders() throws Exception {
        touch("usr/lib/wsl/lib/libcuda.so.1");
        touch("usr/local/cuda-13.0/compat/libcuda.so.1");
        touch("usr/local/cuda-12.8/compat/libcuda.so.1");
        List<String> c = CudaLibraryLocator.driverCandidates(linux(Map.of()));
        assertEquals("libcuda.so.1", c.getFirst());
        assertEquals(List.of("usr/lib/wsl/lib/libcuda.so.1", "usr/local/cuda-13.0/compat/libcuda.so.1", "usr/local/cuda-12.8/compat/libcuda.so.1"),
                c.subList(1, c.size()).stream().map(s -> root.relativize(Path.of(s)).toString()).toList());
    }

    @Test
    void windowsUsesNvcudaAndCudaPathBin() throws Exception {
        Path cudaPath = root.resolve("CUDA/v13.0");
        touch("CUDA/v13.0/bin/x64/cublas64_13.dll");
        touch("CUDA/v12.8/bin/cublas64_12.dll");
        touch("py/Lib/site-packages/torch/lib/cublas64_12.dll");
        Map<String, String> env = Map.of("CUDA_PATH", cudaPath.toString(), "PATH", root.resolve("CUDA/v12.8/bin") + ";C:\\nothing",
                "VIRTUAL_ENV", root.resolve("py").toString());
        HostSystem win = new HostSystem("Windows 11", env, root.resolve("home"), root);
        assertEquals(List.of("nvcuda.dll"), CudaLibraryLocator.driverCandidates(win));
        assertEquals(List.of("cublas64_13.dll", "cublas64_12.dll"), CudaLibraryLocator.cublasNames(win));
        List<Path> found = CudaLibraryLocator.cublasCandidates(win);
        assertEquals(3, found.size(), found.toString());
        assertTrue(found.get(0).endsWith(Path.of("CUDA/v13.0/bin/x64/cublas64_13.dll")), found.toString());
        assertTrue(found.get(1).endsWith(Path.of("CUDA/v12.8/bin/cublas64_12.dll")), found.toString());
        assertTrue(found.get(2).endsWith(Path.of("py/Lib/site-packages/torch/lib/cublas64_12.dll")), found.toString());
    }

    @Test
    void versionsSortNumerically() {
        assertTrue(CudaLibraryLocator.version("cuda-12.10") > CudaLibraryLocator.version("cuda-12.9"));
        assertTrue(CudaLibraryLocator.version("cuda-13.0") > CudaLibraryLocator.version("cuda-12.10"));
        assertTrue(CudaLibraryLocator.version("python3.13") > CudaLibraryLocator.version("python3.9"));
    }

    @Test
    void aFakeCublasFileIsNotLoaded() throws Exception {
        touch("usr/local/cuda-13.0/lib64/libcublas.so.13");
        assertTrue(Cublas.find(linux(Map.of())).isEmpty(), "a file that is not a library is skipped, not fatal");
    }
}

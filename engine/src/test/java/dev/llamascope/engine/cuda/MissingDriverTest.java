package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without an NVIDIA driver: one clear sentence, no stack trace, and the probe answers instead of throwing. */
class MissingDriverTest {
    @TempDir
    Path root;

    @Test
    void aLibraryThatIsNotThereGivesTheClearMessage() {
        CudaException e = assertThrows(CudaException.class, () -> CudaDriver.load("libllamascope-bogus-cuda.so.1"));
        assertTrue(e.getMessage().startsWith("no NVIDIA driver: libllamascope-bogus-cuda.so.1 could not be loaded"), e.getMessage());
        assertTrue(e.getMessage().contains("Install the NVIDIA driver"), e.getMessage());
        assertTrue(e.getMessage().contains("no CUDA toolkit is needed"), e.getMessage());
    }

    @Test
    void aLibraryWithoutTheDriverApiIsRefusedByName() {
        // libc loads but is not a CUDA driver: every missing entry point is named
        CudaException e = assertThrows(CudaException.class, () -> CudaDriver.load("libc.so.6"));
        assertTrue(e.getMessage().contains("lacks cuInit") && e.getMessage().contains("cuMemAlloc_v2"), e.getMessage());
        assertTrue(e.getMessage().contains("too old"), e.getMessage());
    }

    @Test
    void theProbeReportsTheReason() {
        GpuReport r = CudaDevices.probe(HostSystem.current(), "/nonexistent/libcuda.so.1");
        assertFalse(r.usable());
        assertNull(r.driverLibrary());
        assertTrue(r.devices().isEmpty());
        assertTrue(r.unusableReason().contains("/nonexistent/libcuda.so.1 could not be loaded"), r.unusableReason());
        List<String> lines = r.describe();
        assertTrue(lines.getLast().startsWith("GPU training: unavailable: no NVIDIA driver"), lines.toString());
    }

    @Test
    void searchingAnEmptySystemListsWhatWasTried() {
        // a fake Linux with no driver anywhere: only the loader's own search is tried, and it names the library
        HostSystem empty = new HostSystem("Linux", Map.of("LLAMASCOPE_LIBCUDA", root.resolve("nope.so").toString()), root.resolve("home"), root);
        List<String> c = CudaLibraryLocator.driverCandidates(empty);
        assertTrue(c.get(0).endsWith("nope.so") && c.get(1).equals("libcuda.so.1"), c.toString());
        org.junit.jupiter.api.Assumptions.assumeTrue(CudaDriver.open("libcuda.so.1").isEmpty(), "this machine has a driver; skipping");
        CudaException e = assertThrows(CudaException.class, () -> CudaDriver.load(empty));
        assertTrue(e.getMessage().contains("nope.so, libcuda.so.1 could not be loaded"), e.getMessage());
    }
}

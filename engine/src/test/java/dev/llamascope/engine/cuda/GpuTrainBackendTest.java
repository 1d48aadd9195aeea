package dev.llamascope.engine.cuda;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real GPU, the registered CUDA backend against the CPU backend through the {@link dev.llamascope.engine.train.Trainer}
 * loop: gradient accumulation with dropout and evals, and resuming from one device on the other. The same checks run on
 * the emulator in CudaTrainBackendEmuTest. Skipped (with the reason) without a GPU.
 */
class GpuTrainBackendTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void needsAGpu() {
        GpuSupport.usableReport();  // before the CPU reference runs
    }

    @Test
    void accumulationWithDropoutMatchesTheCpuBackend() throws Exception {
        CrossDeviceRuns.accumulationWithDropoutMatchesTheCpu(GpuSupport::backend, "GPU ", 1e-3);
    }

    @Test
    void resumesFromTheCpuOnTheGpuAndBack() throws Exception {
        CrossDeviceRuns.resumesFromTheCpuOnTheGpuAndBack(GpuSupport::backend, tmp, 1e-3);
    }
}

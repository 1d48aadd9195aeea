package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Opens the first usable GPU for a test, or skips the test saying why there is none. */
final class GpuSupport {
    private GpuSupport() {}

    private static GpuReport report;

    static synchronized GpuReport report() {
        if (report == null) report = CudaDevices.probe(HostSystem.current());
        return report;
    }

    static CudaAccelerator open(boolean useCublas, boolean tf32) {
        GpuReport r = report();
        assumeTrue(r.usable(), "no usable GPU (" + r.unusableReason() + "); skipping");
        System.out.println(String.join("\n", r.describe()));
        return new CudaAccelerator(CudaDriver.load(HostSystem.current()),
                new CudaAccelerator.Options(r.usableDevices().getFirst().ordinal(), useCublas, tf32), HostSystem.current());
    }
}

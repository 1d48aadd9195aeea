package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.train.TrainBackend;

/** Opens the first usable GPU for a test, or skips the test saying why there is none. */
final class GpuSupport {
    private GpuSupport() {}

    private static GpuReport report;

    static synchronized GpuReport report() {
        if (report == null) report = CudaDevices.probe(HostSystem.current());
        return report;
    }

    /** Skips the calling test (saying why) where no GPU can train. */
    static GpuReport usableReport() {
        GpuReport r = report();
        assumeTrue(r.usable(), "no usable GPU (" + r.unusableReason() + "); skipping");
        System.out.println(String.join("\n", r.describe()));
        return r;
    }

    static CudaAccelerator open(boolean useCublas, boolean tf32) {
        GpuReport r = usableReport();
        return new CudaAccelerator(CudaDriver.load(HostSystem.current()),
                new CudaAccelerator.Options(r.usableDevices().getFirst().ordinal(), useCublas, tf32), HostSystem.current());
    }

    /** The production path: the registered "cuda" factory (probe, memory check, cuBLAS when found). */
    static TrainBackend backend(FlatWeights initial, TrainBackend.Spec spec) {
        usableReport();
        return new CudaTrainBackend.Factory().create(initial, spec);
    }

    /** A backend on the first usable GPU with our own tiled matrix multiply instead of cuBLAS. */
    static TrainBackend backendWithoutCublas(FlatWeights initial, TrainBackend.Spec spec) {
        CudaAccelerator acc = open(false, spec.tf32());
        try {
            return new CudaTrainBackend(acc, initial, spec, "GPU " + report().usableDevices().getFirst().ordinal());
        } catch (RuntimeException e) {
            acc.close();
            throw e;
        }
    }
}

package dev.llamascope.engine.cuda;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds out whether GPU training can run here, and on which GPUs: loads the driver, lists the devices (name,
 * compute capability, free and total memory), checks the driver is new enough for the shipped PTX, JIT-compiles the
 * kernels once on the first usable GPU (the definitive test), and looks for cuBLAS. Never throws for a missing or
 * unusable GPU: the answer is a {@link GpuReport} with the reason.
 */
public final class CudaDevices {
    private CudaDevices() {}

    /** Probes with the system's driver. */
    public static GpuReport probe(HostSystem host) {
        return probe(host, () -> CudaDriver.load(host));
    }

    /** Probes with a given driver library (a name for the system loader, or a path). */
    public static GpuReport probe(HostSystem host, String driverLibrary) {
        return probe(host, () -> CudaDriver.load(driverLibrary));
    }

    static GpuReport probe(HostSystem host, Supplier<CudaDriver> driver) {
        String ptxVersion;
        int minDriver;
        try {
            PtxModule first = PtxModule.load(PtxModule.FILES.getFirst());
            ptxVersion = first.version();
            minDriver = first.minimumDriverVersion();
        } catch (RuntimeException e) {
            return GpuReport.unusable(null, 0, List.of(), "?", e.getMessage());
        }
        CudaDriver cu;
        try {
            cu = driver.get();
        } catch (CudaException e) {
            return GpuReport.unusable(null, 0, List.of(), ptxVersion, e.getMessage());
        }
        int version = 0;
        try {
            version = cu.driverVersion();  // works before cuInit
            cu.init();
        } catch (CudaException e) {
            return GpuReport.unusable(cu.library(), version, List.of(), ptxVersion, initFailure(e));
        }
        List<GpuDevice> devices = new ArrayList<>();
        try {
            int count = cu.deviceCount();
            for (int i = 0; i < count; i++) devices.add(describe(cu, i));
        } catch (CudaException e) {
            return GpuReport.unusable(cu.library(), version, devices, ptxVersion, e.getMessage());
        }
        if (devices.isEmpty()) {
            return GpuReport.unusable(cu.library(), version, devices, ptxVersion, CudaResult.sentence(100));
        }
        if (version < minDriver) {
            return GpuReport.unusable(cu.library(), version, devices, ptxVersion, "the NVIDIA driver supports CUDA " + PtxModule.cudaVersion(version)
                    + ", but the kernels are PTX " + ptxVersion + ", which needs CUDA " + PtxModule.cudaVersion(minDriver)
                    + " (driver 580 or newer): update the NVIDIA driver");
        }
        Optional<GpuDevice> firstUsable = devices.stream().filter(GpuDevice::usable).findFirst();
        if (firstUsable.isEmpty()) {
            return GpuReport.unusable(cu.library(), version, devices, ptxVersion, "no GPU of compute capability 7.5 (Turing) or newer; "
                    + devices.getFirst().unusableReason());
        }
        try {
            checkKernels(cu, firstUsable.get().ordinal());
        } catch (CudaException e) {
            return GpuReport.unusable(cu.library(), version, devices, ptxVersion, e.getMessage());
        }
        String cublas = Cublas.find(host).map(Cublas::path).orElse(null);
        return new GpuReport(cu.library(), version, devices, cublas, ptxVersion, true, null);
    }

    private static String initFailure(CudaException e) {
        return switch (e.code()) {
            case 100 -> "no CUDA-capable GPU: " + CudaResult.sentence(100);
            case 34 -> CudaResult.sentence(34);
            case 803 -> CudaResult.sentence(803);
            default -> "the NVIDIA driver failed to start: " + e.getMessage();
        };
    }

    private static GpuDevice describe(CudaDriver cu, int ordinal) {
        int dev = cu.device(ordinal);
        String name = cu.deviceName(dev);
        int major = cu.attribute(dev, CudaDriver.ATTR_CC_MAJOR), minor = cu.attribute(dev, CudaDriver.ATTR_CC_MINOR);
        int sms = cu.attribute(dev, CudaDriver.ATTR_MULTIPROCESSOR_COUNT);
        long total = cu.totalMemory(dev), free = -1;
        String reason = GpuDevice.ccSupported(major, minor) ? null
                : "compute capability " + major + "." + minor + " is older than 7.5 (Turing), the oldest the kernels support";
        try {
            MemorySegment ctx = cu.primaryContextRetain(dev);
            try {
                cu.setCurrent(ctx);
                free = cu.memoryInfo()[0];
            } finally {
                cu.setCurrent(MemorySegment.NULL);
                cu.primaryContextRelease(dev);
            }
        } catch (CudaException e) {
            if (reason == null) reason = e.getMessage();
        }
        return new GpuDevice(ordinal, name, major, minor, sms, Math.max(0, free), total, reason);
    }

    /** JIT-compiles every shipped module the device can run (see {@link PtxModule#computeCapability}), then unloads them. */
    private static void checkKernels(CudaDriver cu, int ordinal) {
        int dev = cu.device(ordinal);
        int cc = 10 * cu.attribute(dev, CudaDriver.ATTR_CC_MAJOR) + cu.attribute(dev, CudaDriver.ATTR_CC_MINOR);
        MemorySegment ctx = cu.primaryContextRetain(dev);
        try {
            cu.setCurrent(ctx);
            for (PtxModule m : PtxModule.loadAll()) {
                if (m.computeCapability() <= cc) cu.moduleUnload(cu.moduleLoad(m.text(), m.file()));
            }
        } finally {
            cu.setCurrent(MemorySegment.NULL);
            cu.primaryContextRelease(dev);
        }
    }
}

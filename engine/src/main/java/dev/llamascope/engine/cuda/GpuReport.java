package dev.llamascope.engine.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@link CudaDevices#probe} found: the driver, the GPUs, cuBLAS, and whether GPU training can run; when it
 * cannot, {@link #unusableReason} says why in a sentence the Train pane shows beside its disabled GPU option.
 *
 * @param driverLibrary  the libcuda that was loaded, or null
 * @param driverVersion  cuDriverGetVersion (13000 for CUDA 13.0), 0 when unknown
 * @param cublas         the cuBLAS library found, or null (the tiled kernel is used then)
 * @param ptxVersion     the shipped kernels' PTX ISA version
 * @param kernelsChecked whether the PTX was loaded (JIT-compiled) on the first usable GPU
 * @param unusableReason null when at least one GPU can train
 */
public record GpuReport(String driverLibrary, int driverVersion, List<GpuDevice> devices, String cublas, String ptxVersion,
                        boolean kernelsChecked, String unusableReason) {
    public GpuReport {
        devices = List.copyOf(devices);
    }

    public boolean usable() {
        return unusableReason == null;
    }

    public List<GpuDevice> usableDevices() {
        return devices.stream().filter(GpuDevice::usable).toList();
    }

    static GpuReport unusable(String driverLibrary, int driverVersion, List<GpuDevice> devices, String ptxVersion, String reason) {
        return new GpuReport(driverLibrary, driverVersion, devices, null, ptxVersion, false, reason);
    }

    /** The report as lines for a terminal (the `devices` command). */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        if (driverLibrary != null) {
            out.add("NVIDIA driver: " + driverLibrary + (driverVersion > 0 ? " (supports CUDA " + PtxModule.cudaVersion(driverVersion) + ")" : ""));
        }
        for (GpuDevice d : devices) {
            out.add(String.format(Locale.ROOT, "GPU %d: %s, compute capability %s, %d SMs, %.1f GiB free of %.1f GiB%s", d.ordinal(), d.name(),
                    d.computeCapability(), d.multiprocessors(), d.freeBytes() / (double) (1L << 30), d.totalBytes() / (double) (1L << 30),
                    d.usable() ? "" : " - unusable: " + d.unusableReason()));
        }
        if (driverLibrary != null && usable()) {
            out.add("cuBLAS: " + (cublas != null ? cublas : "not found (matrix multiplies use Llamascope's own kernel; install CUDA's cuBLAS or "
                    + "`pip install nvidia-cublas` for speed)"));
            out.add("kernels: PTX " + ptxVersion + (kernelsChecked ? ", compiled by the driver for GPU " + usableDevices().getFirst().ordinal() : ""));
        }
        out.add(usable() ? "GPU training: available on " + usableDevices().size() + " GPU" + (usableDevices().size() == 1 ? "" : "s")
                : "GPU training: unavailable: " + unusableReason);
        return out;
    }
}

package dev.llamascope.engine.cuda;

import java.util.Locale;

/**
 * One CUDA device as the driver describes it.
 *
 * @param unusableReason null when the trainer can run on it, else why not (one sentence)
 */
public record GpuDevice(int ordinal, String name, int ccMajor, int ccMinor, int multiprocessors, long freeBytes, long totalBytes,
                        String unusableReason) {
    /** The oldest GPUs the shipped PTX (compute_75) runs on: Turing. */
    public static final int MIN_CC_MAJOR = 7, MIN_CC_MINOR = 5;

    public boolean usable() {
        return unusableReason == null;
    }

    public String computeCapability() {
        return ccMajor + "." + ccMinor;
    }

    /** "NVIDIA H100 80GB HBM3 (79.2 GiB free)": what a device chooser shows. */
    public String label() {
        return String.format(Locale.ROOT, "%s (%.1f GiB free)", name, freeBytes / (double) (1L << 30));
    }

    static boolean ccSupported(int major, int minor) {
        return major > MIN_CC_MAJOR || (major == MIN_CC_MAJOR && minor >= MIN_CC_MINOR);
    }
}

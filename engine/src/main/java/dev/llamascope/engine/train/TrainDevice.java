package dev.llamascope.engine.train;

/**
 * One entry of the training-device list ({@link TrainDevices#list()}): what a device chooser shows and what it passes
 * back to {@link TrainBackends#forDevice}.
 *
 * @param id     the --device value: "cpu", "cuda:0", ... ("cuda" when the GPUs could not even be listed)
 * @param label  for people: "CPU (2 threads)", "GPU 0: NVIDIA H100 80GB HBM3 (79.2 GiB free)"
 * @param usable whether training can run on it here
 * @param reason null when usable, else one sentence saying why not (no driver, driver too old, GPU too old, ...)
 */
public record TrainDevice(String id, String label, boolean usable, String reason) {
    public TrainDevice {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("a training device needs an id");
        if (label == null) label = id;
        if (usable) reason = null;
        else if (reason == null || reason.isBlank()) reason = "unavailable";
    }
}

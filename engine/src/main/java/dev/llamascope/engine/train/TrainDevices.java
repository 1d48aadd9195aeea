package dev.llamascope.engine.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The devices training can run on here, for a device chooser: the CPU (always usable) and each GPU with its name and
 * free memory, or one entry saying why GPUs cannot be used. Probing GPUs loads the driver and compiles the kernels
 * (up to a few seconds the first time): call {@link #list()} off the UI thread, and again to refresh free memory.
 */
public final class TrainDevices {
    private TrainDevices() {}

    /** Every registered backend's devices, CPU first ({@link TrainBackends#FACTORIES}' order). */
    public static List<TrainDevice> list() {
        return list(TrainBackends.FACTORIES);
    }

    static List<TrainDevice> list(List<TrainBackend.Factory> factories) {
        List<TrainDevice> out = new ArrayList<>();
        for (TrainBackend.Factory f : factories) {
            try {
                out.addAll(f.devices());
            } catch (RuntimeException e) {
                // a probe that fails in an unforeseen way still yields an entry, not a broken list
                out.add(new TrainDevice(f.device(), f.device(), false, String.valueOf(e.getMessage())));
            }
        }
        return List.copyOf(out);
    }
}

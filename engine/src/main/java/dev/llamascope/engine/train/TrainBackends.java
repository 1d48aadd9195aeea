package dev.llamascope.engine.train;

import java.util.List;
import java.util.Locale;

/**
 * The training devices this build knows, by --device name. The CPU is always there; a GPU backend registers its
 * {@link TrainBackend.Factory} here (one line) and reports through {@link TrainBackend.Factory#unavailableReason}
 * why it cannot run on a machine.
 */
public final class TrainBackends {
    private TrainBackends() {}

    public static final List<TrainBackend.Factory> FACTORIES = List.of(new CpuTrainBackend.Factory());

    /** The factory for a device name; an error saying why when it is unknown or unusable here. */
    public static TrainBackend.Factory forDevice(String device) {
        String d = device.toLowerCase(Locale.ROOT).trim();
        for (TrainBackend.Factory f : FACTORIES) {
            if (f.device().equals(d)) {
                String why = f.unavailableReason();
                if (why != null) throw new IllegalStateException("--device " + d + ": " + why);
                return f;
            }
        }
        if (d.equals("cuda") || d.equals("gpu"))
            throw new IllegalStateException("--device " + d + ": the GPU training backend is not available in this build yet; train with --device cpu");
        throw new IllegalArgumentException("unknown device '" + device + "' (cpu or cuda)");
    }
}

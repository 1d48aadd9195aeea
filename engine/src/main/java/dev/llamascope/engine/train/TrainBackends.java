package dev.llamascope.engine.train;

import dev.llamascope.engine.cuda.CudaTrainBackend;
import java.util.List;
import java.util.Locale;

/**
 * The training devices this build knows, by --device name. The CPU is always there; a GPU backend registers its
 * {@link TrainBackend.Factory} here (one line) and reports through {@link TrainBackend.Factory#unavailableReason}
 * why it cannot run on a machine. Device names: {@code cpu}, {@code cuda} (the first usable GPU), {@code cuda:N}
 * (GPU N), and {@code auto} (the first usable GPU, else the CPU).
 */
public final class TrainBackends {
    private TrainBackends() {}

    public static final List<TrainBackend.Factory> FACTORIES = List.of(
            new CpuTrainBackend.Factory(),
            new CudaTrainBackend.Factory());

    /** A chosen factory, and for --device auto a sentence saying what was chosen and why (null otherwise). */
    public record Selection(TrainBackend.Factory factory, String note) {}

    /** The factory for a device name; an error saying why when it is unknown or unusable here. */
    public static TrainBackend.Factory forDevice(String device) {
        return select(device).factory();
    }

    /** As {@link #forDevice}, with a note for {@code auto}. */
    public static Selection select(String device) {
        return select(FACTORIES, device);
    }

    static Selection select(List<TrainBackend.Factory> factories, String device) {
        String d = device.toLowerCase(Locale.ROOT).trim();
        if (d.equals("auto")) return auto(factories);
        String kind = d;
        int index = -1;
        int colon = d.indexOf(':');
        if (colon >= 0) {
            kind = d.substring(0, colon);
            try {
                index = Integer.parseInt(d.substring(colon + 1));
            } catch (NumberFormatException e) {
                index = -2;
            }
            if (index < 0) throw new IllegalArgumentException("unknown device '" + device + "' (" + names(factories) + ")");
        }
        for (TrainBackend.Factory f : factories) {
            if (f.device().equals(kind)) {
                TrainBackend.Factory chosen = index >= 0 ? f.forIndex(index) : f;
                String why = chosen.unavailableReason();
                if (why != null) throw new IllegalStateException("--device " + d + ": " + why);
                return new Selection(chosen, null);
            }
        }
        throw new IllegalArgumentException("unknown device '" + device + "' (" + names(factories) + ")");
    }

    /** The first usable device other than the CPU, else the CPU; the note says which and, for the CPU, why. */
    private static Selection auto(List<TrainBackend.Factory> factories) {
        TrainBackend.Factory cpu = null;
        StringBuilder why = new StringBuilder();
        for (TrainBackend.Factory f : factories) {
            if (f.device().equals("cpu")) {
                cpu = f;
                continue;
            }
            String reason = f.unavailableReason();
            if (reason == null) return new Selection(f, "--device auto: training on " + f.device());
            if (!why.isEmpty()) why.append("; ");
            why.append(f.device()).append(": ").append(reason);
        }
        if (cpu == null) throw new IllegalStateException("--device auto: no training device is usable here (" + why + ")");
        return new Selection(cpu, "--device auto: training on the CPU" + (why.isEmpty() ? "" : " (" + why + ")"));
    }

    private static String names(List<TrainBackend.Factory> factories) {
        StringBuilder sb = new StringBuilder();
        for (TrainBackend.Factory f : factories) sb.append(f.device()).append(", ");
        return sb.append("cuda:N or auto").toString();
    }
}

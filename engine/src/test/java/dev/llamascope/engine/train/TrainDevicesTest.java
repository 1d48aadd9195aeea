package dev.llamascope.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.cuda.CudaTrainBackend;
import dev.llamascope.engine.cuda.HostSystem;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.tensor.ComputePool;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Choosing a training device: by name, by number, or automatically, and the list a device chooser shows. The GPU
 * side is a CUDA factory pointed at a driver that does not exist, so these answers are the same on every machine.
 */
class TrainDevicesTest {
    static final String NO_DRIVER = "/nonexistent/libcuda.so.1";
    final TrainBackend.Factory cpu = new CpuTrainBackend.Factory();
    final TrainBackend.Factory noGpu = new CudaTrainBackend.Factory(HostSystem.current(), NO_DRIVER, -1);
    final List<TrainBackend.Factory> factories = List.of(cpu, noGpu);

    @Test
    void aGpuWithoutDriverSaysWhyInOneLine() {
        String why = noGpu.unavailableReason();
        assertTrue(why.startsWith("no NVIDIA driver: " + NO_DRIVER + " could not be loaded."), why);
        assertFalse(why.contains("\n"), why);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrainBackends.select(factories, "cuda"));
        assertEquals("--device cuda: " + why, e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> TrainBackends.select(factories, "CUDA:1"));
        assertEquals("--device cuda:1: " + why, e.getMessage());
        ModelConfig c = new ModelConfig(32, 48, 2, 4, 2, 50, 16, true);
        e = assertThrows(IllegalStateException.class, () -> noGpu.create(FlatWeights.random(c, 1), new TrainBackend.Spec(c, 2, 16, 0f, 1, true)));
        assertEquals(why, e.getMessage());
    }

    @Test
    void autoFallsBackToTheCpuAndSaysWhy() {
        TrainBackends.Selection s = TrainBackends.select(factories, "auto");
        assertSame(cpu, s.factory());
        assertEquals("--device auto: training on the CPU (cuda: " + noGpu.unavailableReason() + ")", s.note());
        assertNull(TrainBackends.select(factories, "cpu").note());
        assertSame(cpu, TrainBackends.select(factories, " CPU ").factory());
    }

    @Test
    void autoTakesAUsableGpu() {
        TrainBackend.Factory fakeGpu = new TrainBackend.Factory() {
            public String device() {
                return "cuda";
            }

            public String unavailableReason() {
                return null;
            }

            public TrainBackend create(FlatWeights initial, TrainBackend.Spec spec) {
                throw new UnsupportedOperationException();
            }
        };
        TrainBackends.Selection s = TrainBackends.select(List.of(cpu, fakeGpu), "auto");
        assertSame(fakeGpu, s.factory());
        assertEquals("--device auto: training on cuda", s.note());
    }

    @Test
    void unknownNamesAndNumbersAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainBackends.select(factories, "tpu"));
        assertEquals("unknown device 'tpu' (cpu, cuda, cuda:N or auto)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainBackends.select(factories, "cuda:x"));
        assertTrue(e.getMessage().startsWith("unknown device 'cuda:x'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainBackends.select(factories, "cpu:1"));
        assertEquals("--device cpu:1: cpu has no numbered devices; use --device cpu", e.getMessage());
        assertEquals("cuda", noGpu.forIndex(2).device());
    }

    @Test
    void theListHasTheCpuFirstAndTheGpuWithItsReason() {
        List<TrainDevice> l = TrainDevices.list(factories);
        assertEquals(2, l.size(), l.toString());
        int t = ComputePool.defaultThreads();
        assertEquals(new TrainDevice("cpu", "CPU (" + t + (t == 1 ? " thread)" : " threads)"), true, null), l.get(0));
        TrainDevice gpu = l.get(1);
        assertEquals("cuda", gpu.id());
        assertEquals("NVIDIA GPU", gpu.label());
        assertFalse(gpu.usable());
        assertEquals(noGpu.unavailableReason(), gpu.reason());
    }

    @Test
    void theRegisteredDevicesAreTheCpuThenCuda() {
        assertEquals(List.of("cpu", "cuda"), TrainBackends.FACTORIES.stream().map(TrainBackend.Factory::device).toList());
        List<TrainDevice> l = TrainDevices.list();
        assertEquals("cpu", l.getFirst().id());
        assertTrue(l.getFirst().usable());
        assertTrue(l.size() >= 2, "a GPU entry, usable or with its reason: " + l);
        for (TrainDevice d : l.subList(1, l.size())) {
            assertTrue(d.id().startsWith("cuda"), d.toString());
            assertTrue(d.usable() == (d.reason() == null), d.toString());
        }
    }
}

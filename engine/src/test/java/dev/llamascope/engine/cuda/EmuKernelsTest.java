package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kernel, compiled for the CPU emulator, against the scalar references on random inputs. */
class EmuKernelsTest {
    @Test
    void everyKernelMatchesTheCpuReference() {
        try (EmuAccelerator acc = new EmuAccelerator()) {
            List<KernelChecks.Report> reports = new KernelChecks(acc, 42, 1e-5).runAll();
            StringBuilder sb = new StringBuilder();
            for (KernelChecks.Report r : reports) sb.append(r).append('\n');
            System.out.print("kernel checks on the emulator:\n" + sb);
            assertTrue(reports.size() > 40, "all checks ran");
            assertTrue(reports.stream().allMatch(KernelChecks.Report::ok), sb.toString());
        }
    }
}

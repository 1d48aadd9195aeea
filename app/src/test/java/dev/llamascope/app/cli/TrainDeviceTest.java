package dev.llamascope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llamascope.engine.cuda.CudaDevices;
import dev.llamascope.engine.cuda.GpuReport;
import dev.llamascope.engine.cuda.HostSystem;
import dev.llamascope.engine.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --device}: a GPU that cannot be used is one line with the probe's reason and exit code 1; {@code auto}
 * falls back to the CPU and says why; on a machine with a GPU, the golden fine-tune on it.
 */
class TrainDeviceTest {
    @TempDir
    Path tmp;

    static GpuReport gpus() {
        return CudaDevices.probe(HostSystem.current());
    }

    static String[] small(String... more) {
        String[] base = {"--init", TrainCommandTest.shared("models/stories260K/stories260K.bin").toString(),
                "--data", TrainCommandTest.shared("data/tinystories-sample.tok512.u16").toString(),
                "--batch", "2", "--seq", "16", "--steps", "2", "--lr", "1e-3", "--threads", "1", "--log-json"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void cudaWithoutAUsableGpuIsOneLineWithTheReason() {
        GpuReport r = gpus();
        assumeFalse(r.usable(), "this machine has a usable GPU; skipping");
        TrainCommandTest.Run run = TrainCommandTest.train(small("--device", "cuda", "--tf32"));
        assertEquals(1, run.code(), run.err());
        assertEquals("llamascope: --device cuda: " + r.unusableReason() + "\n", run.err(), "exactly one line");
        assertEquals("", run.out(), "no step ran");
        if (r.driverLibrary() == null) assertTrue(run.err().startsWith("llamascope: --device cuda: no NVIDIA driver: "), run.err());

        TrainCommandTest.Run numbered = TrainCommandTest.train(small("--device", "cuda:1"));
        assertEquals(1, numbered.code());
        assertEquals("llamascope: --device cuda:1: " + r.unusableReason() + "\n", numbered.err());
    }

    @Test
    void autoTrainsOnTheCpuWhenNoGpuIsUsableAndSaysWhy() {
        GpuReport r = gpus();
        assumeFalse(r.usable(), "this machine has a usable GPU; skipping");
        TrainCommandTest.Run run = TrainCommandTest.train(small("--device", "auto"));
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("llamascope: --device auto: training on the CPU (cuda: " + r.unusableReason() + ")"), run.err());
        assertTrue(run.err().contains("llamascope: CPU, 1 thread, steps 1..2"), run.err());
        assertEquals(2, run.json().size());
    }

    @Test
    void tf32OnTheCpuIsANote() {
        TrainCommandTest.Run run = TrainCommandTest.train(small("--device", "cpu", "--tf32"));
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("--tf32 changes GPU matrix multiplies only"), run.err());
    }

    /** With a usable GPU (skipped elsewhere): the golden fine-tune through the command line on it, fp32. */
    @Test
    void goldenFineTuneOnTheGpu() throws Exception {
        assumeTrue(gpus().usable(), "no usable GPU (" + gpus().unusableReason() + "); skipping");
        Path dir = TrainCommandTest.shared("golden/stories260K-finetune");
        Map<String, Object> golden = Json.parseObject(Files.readString(dir.resolve("golden.json")));
        @SuppressWarnings("unchecked") List<Map<String, Object>> log = (List<Map<String, Object>>) golden.get("log");
        Path out = tmp.resolve("gpu.bin");
        TrainCommandTest.Run r = TrainCommandTest.train("--init", TrainCommandTest.shared("models/stories260K/stories260K.bin").toString(),
                "--data", TrainCommandTest.shared("data/tinystories-sample.tok512.u16").toString(), "--batch", "4", "--seq", "64",
                "--steps", "10", "--lr", "1e-3", "--order", "sequential", "--device", "cuda", "--log-json", "--save", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("llamascope: GPU "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        List<Map<String, Object>> steps = r.json();
        assertEquals(10, steps.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(Json.number(log.get(i), "loss", 0), Json.number(steps.get(i), "loss", 0), 1e-3, "loss of step " + (i + 1));
        }
        assertTrue(Files.isDirectory(tmp.resolve("gpu.state")), "a GPU run saves a state the CPU can resume");
    }
}

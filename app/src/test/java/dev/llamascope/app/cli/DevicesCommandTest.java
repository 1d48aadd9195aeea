package dev.llamascope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** `devices` answers with what it found or why GPU training is unavailable, exit code 0 either way. */
class DevicesCommandTest {
    @Test
    void aMissingDriverIsAnAnswerNotAnError() {
        CliRunner.Result r = CliRunner.run("devices", "--driver", "/nonexistent/libcuda.so.1");
        assertEquals(0, r.code(), r.stderr());
        assertTrue(r.out().startsWith("GPU training: unavailable: no NVIDIA driver: /nonexistent/libcuda.so.1 could not be loaded."), r.out());
        assertTrue(r.out().contains("Install the NVIDIA driver"), r.out());
        assertFalse(r.stderr().contains("Exception"), r.stderr());
    }

    @Test
    void theSystemProbeAlwaysEndsWithTheVerdict() {
        CliRunner.Result r = CliRunner.run("devices");
        assertEquals(0, r.code(), r.stderr());
        String[] lines = r.out().trim().split("\n");
        assertTrue(lines[lines.length - 1].startsWith("GPU training: "), r.out());
    }

    @Test
    void unknownArgumentsAreUsageErrors() {
        CliRunner.Result r = CliRunner.run("devices", "--gpu", "0");
        assertEquals(2, r.code());
        assertTrue(r.stderr().contains("unknown option --gpu"), r.stderr());
    }
}

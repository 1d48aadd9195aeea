package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class EmuSmokeTest {
    @Test
    void swigluRunsOnTheEmulator() {
        try (EmuAccelerator acc = new EmuAccelerator()) {
            float[] h1 = {1, -2, 0.5f}, h3 = {2, 3, -1};
            DevicePtr a = acc.alloc(12), b = acc.alloc(12), g = acc.alloc(12);
            acc.upload(a, MemorySegment.ofArray(h1));
            acc.upload(b, MemorySegment.ofArray(h3));
            acc.launch("swiglu_forward", Dim3.of(1), Dim3.of(32), g, a, b, 3);
            float[] out = new float[3];
            acc.download(MemorySegment.ofArray(out), g);
            for (int i = 0; i < 3; i++) {
                float sig = 1f / (1f + (float) Math.exp(-h1[i]));
                assertEquals(h1[i] * sig * h3[i], out[i], 1e-6);
            }
        }
    }
}

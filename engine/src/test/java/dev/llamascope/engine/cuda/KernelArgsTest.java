package dev.llamascope.engine.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The void** kernelParams block: pointer i points at argument i's value, in the parameter's own width. */
class KernelArgsTest {
    static final KernelSignature SIG = new KernelSignature("k",
            List.of(PtxParam.U64, PtxParam.U32, PtxParam.F32, PtxParam.U64, PtxParam.F64), false);

    @Test
    void pointersPointAtTheValues() {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs args = new KernelArgs(arena, 8);
            MemorySegment block = args.marshal(SIG, new DevicePtr(0x7f00_1234_5678L), -3, 1.5f, 0x1122334455667788L, 2.25);
            long base = block.address();
            // the pointer array: five 8-byte pointers, then one 8-byte slot per value
            for (int i = 0; i < 5; i++) assertEquals(base + 40 + 8L * i, block.get(ADDRESS, 8L * i).address(), "pointer " + i);
            MemorySegment all = block.reinterpret(80);
            assertEquals(0x7f00_1234_5678L, all.get(JAVA_LONG, 40));
            assertEquals(-3, all.get(JAVA_INT, 48));
            assertEquals(1.5f, all.get(JAVA_FLOAT, 56));
            assertEquals(0x1122334455667788L, all.get(JAVA_LONG, 64));
            assertEquals(2.25, all.get(JAVA_DOUBLE, 72));
            // the bytes of the int and the float, little-endian as the GPU reads them
            byte[] intBytes = all.asSlice(48, 4).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            assertArrayEquals(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(-3).array(), intBytes);
            byte[] floatBytes = all.asSlice(56, 4).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            assertArrayEquals(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).array(), floatBytes);
        }
    }

    @Test
    void theBlockIsReusedAndRewritten() {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs args = new KernelArgs(arena, 8);
            MemorySegment a = args.marshal(SIG, new DevicePtr(1), 1, 1f, 1L, 1.0);
            MemorySegment b = args.marshal(SIG, new DevicePtr(2), 2, 2f, 2L, 2.0);
            assertEquals(a.address(), b.address());
            assertEquals(2, b.reinterpret(80).get(JAVA_INT, 48));
        }
    }

    @Test
    void argumentsThatDoNotFitTheSignatureAreRefused() {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs args = new KernelArgs(arena, 8);
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> args.marshal(SIG, new DevicePtr(1), 1));
            assertTrue(count.getMessage().contains("kernel k takes 5 arguments, got 2"), count.getMessage());
            IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                    () -> args.marshal(SIG, 5, 1, 1f, 1L, 1.0));
            assertTrue(type.getMessage().contains("argument 0 is U64") && type.getMessage().contains("Integer"), type.getMessage());
            IllegalArgumentException flt = assertThrows(IllegalArgumentException.class,
                    () -> args.marshal(SIG, new DevicePtr(1), 1, 1.0, 1L, 1.0));
            assertTrue(flt.getMessage().contains("argument 2 is F32"), flt.getMessage());
            KernelSignature big = new KernelSignature("big", java.util.Collections.nCopies(9, PtxParam.U32), false);
            assertThrows(IllegalArgumentException.class, () -> args.marshal(big, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        }
    }
}

package dev.llamascope.engine.cuda;

/** An address in GPU memory (a CUdeviceptr), or in the emulator's memory in tests. */
public record DevicePtr(long address) {
    public static final DevicePtr NULL = new DevicePtr(0);

    /** The address {@code floats} 4-byte elements further on. */
    public DevicePtr plusFloats(long floats) {
        return new DevicePtr(address + 4 * floats);
    }

    public DevicePtr plusBytes(long bytes) {
        return new DevicePtr(address + bytes);
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(address);
    }
}

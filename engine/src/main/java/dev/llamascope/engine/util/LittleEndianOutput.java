package dev.llamascope.engine.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Little-endian primitives onto a stream (GGUF, safetensors and llama2.c files are all little-endian). */
public final class LittleEndianOutput {
    private final OutputStream out;
    private final ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    public LittleEndianOutput(OutputStream out) {
        this.out = out;
    }

    public long written() {
        return written;
    }

    public void u8(int v) throws IOException {
        out.write(v);
        written++;
    }

    public void i32(int v) throws IOException {
        b.clear();
        b.putInt(v);
        bytes(b.array(), 0, 4);
    }

    public void i64(long v) throws IOException {
        b.clear();
        b.putLong(v);
        bytes(b.array(), 0, 8);
    }

    public void f32(float v) throws IOException {
        i32(Float.floatToRawIntBits(v));
    }

    public void bytes(byte[] a, int off, int n) throws IOException {
        out.write(a, off, n);
        written += n;
    }

    public void bytes(byte[] a) throws IOException {
        bytes(a, 0, a.length);
    }

    /** A GGUF/safetensors-style string: u64 length, UTF-8 bytes. */
    public void string(String s) throws IOException {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        i64(u.length);
        bytes(u);
    }

    /** Zero bytes up to the next multiple of {@code alignment}. */
    public void pad(int alignment) throws IOException {
        while (written % alignment != 0) u8(0);
    }

    /** floats[off, off + n) as little-endian fp32, in 1 MiB pieces. */
    public void floats(float[] v, int off, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; ) {
            int m = Math.min(n - i, buf.capacity() / 4);
            buf.clear();
            buf.asFloatBuffer().put(v, off + i, m);
            bytes(buf.array(), 0, m * 4);
            i += m;
        }
    }
}

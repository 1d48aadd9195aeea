package dev.llamascope.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Weights in one of ggml's block formats (GGUF tensor types Q8_0, Q4_0, ..., Q6_K), read in place: each row is
 * cols / blockSize blocks of blockBytes bytes. Subclasses supply {@link #matvec} (their Vector API kernel: the input
 * form is fetched once per call, and the row loop sits in the subclass so that its call of the row kernel never
 * becomes megamorphic when a model mixes types) and the dequantization of one block (for embeddings, conversion
 * and tests).
 * Kernels are written for vectors of at most 16 float lanes (a 16-byte load of weights widens to one float
 * vector); wider machines would use a scalar path, which none has today.
 */
public abstract class BlockMatrix extends Matrix {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /**
     * Bytes with as many lanes as F, or, where F has 4 lanes (128-bit vectors: NEON on ARM, so every Apple silicon
     * Mac), the smallest byte vector, 8 lanes, of which loads fill only the first 4 ({@link #FIRST_BYTES}) and
     * conversions to floats use only those.
     */
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
    /** The lanes of B that a load fills: all of them, except with 4 float lanes. */
    static final VectorMask<Byte> FIRST_BYTES = B.indexInRange(0, L);
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    protected final MemorySegment seg;
    protected final long base;
    protected final int blockSize;
    protected final int blockBytes;
    protected final long rowBytes;

    protected BlockMatrix(MemorySegment seg, long base, int rows, int cols, int blockSize, int blockBytes) {
        super(rows, cols);
        if (cols % blockSize != 0)
            throw new IllegalArgumentException("row length " + cols + " is not a multiple of the block size " + blockSize);
        if (L > 16 || 16 % L != 0) throw new IllegalStateException("vector width of " + L + " floats is not supported");
        this.seg = seg;
        this.base = base;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
        this.rowBytes = (long) cols / blockSize * blockBytes;
        if (base < 0 || base + rows * rowBytes > seg.byteSize())
            throw new IllegalArgumentException(typeName() + " matrix " + rows + "x" + cols + " at " + base + " does not fit in " + seg.byteSize() + " bytes");
    }

    /** Bytes of a rows x cols matrix of blocks. */
    public static long storageBytes(long rows, long cols, int blockSize, int blockBytes) {
        return rows * (cols / blockSize) * blockBytes;
    }

    public final MemorySegment segment() {
        return seg;
    }

    public final long base() {
        return base;
    }

    @Override
    public final long byteSize() {
        return rows * rowBytes;
    }


    /** Writes the blockSize values of the block at byte offset {@code o} into dst[off ..]. */
    protected abstract void dequantizeBlock(long o, float[] dst, int off);

    @Override
    public void readRow(int r, float[] dst, int off) {
        long o = base + r * rowBytes;
        for (int b = 0; b < cols / blockSize; b++) dequantizeBlock(o + (long) b * blockBytes, dst, off + b * blockSize);
    }

    @Override
    public void readRow(int r, int c0, int n, float[] dst, int off) {
        int b0 = c0 / blockSize, b1 = (c0 + n + blockSize - 1) / blockSize;
        float[] tmp = new float[(b1 - b0) * blockSize];
        long o = base + r * rowBytes;
        for (int b = b0; b < b1; b++) dequantizeBlock(o + (long) b * blockBytes, tmp, (b - b0) * blockSize);
        System.arraycopy(tmp, c0 - b0 * blockSize, dst, off, n);
    }

    final float f16(long o) {
        return Half.toFloat(seg.get(SHORT, o));
    }

    final int u8(long o) {
        return seg.get(ValueLayout.JAVA_BYTE, o) & 0xff;
    }

    final ByteVector bytes(long o) {
        return bytes(seg, o);
    }

    /** L bytes of a segment at o, in the first L lanes of {@link #B} (the rest zero with 4 float lanes, not read). */
    static ByteVector bytes(MemorySegment seg, long o) {
        return B.length() == L ? ByteVector.fromMemorySegment(B, seg, o, ByteOrder.LITTLE_ENDIAN)
                : ByteVector.fromMemorySegment(B, seg, o, ByteOrder.LITTLE_ENDIAN, FIRST_BYTES);
    }

    /** The 6-bit scale and min of sub-block j of a Q4_K/Q5_K super-block whose 12 scale bytes start at s. */
    final int scaleK4(long s, int j) {
        return j < 4 ? u8(s + j) & 63 : (u8(s + j + 4) & 0xF) | ((u8(s + j - 4) >> 6) << 4);
    }

    final int minK4(long s, int j) {
        return j < 4 ? u8(s + j + 4) & 63 : (u8(s + j + 4) >> 4) | ((u8(s + j) >> 6) << 4);
    }
}

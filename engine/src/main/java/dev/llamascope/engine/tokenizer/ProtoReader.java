package dev.llamascope.engine.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers reader: walks the fields of one message (tag, wire type, value) with bounds checks,
 * enough for SentencePiece's model file. Problems are reported as {@link IllegalArgumentException}s naming the
 * byte offset.
 */
final class ProtoReader {
    static final int VARINT = 0, FIXED64 = 1, LEN = 2, FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private final int end;
    /** The current field's number and wire type. */
    int field, wireType;

    ProtoReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (pos >= end) return false;
        long key = varint();
        field = (int) (key >>> 3);
        wireType = (int) (key & 7);
        if (field <= 0) throw new IllegalArgumentException("bad field number at byte " + pos);
        return true;
    }

    long varint() {
        long r = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw new IllegalArgumentException("truncated varint at byte " + pos);
            int b = buf[pos++] & 0xff;
            r |= (long) (b & 0x7f) << shift;
            if (b < 0x80) return r;
        }
        throw new IllegalArgumentException("varint too long at byte " + pos);
    }

    float fixed32Float() {
        need(4);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return Float.intBitsToFloat(v);
    }

    /** A length-delimited field as a reader over its bytes. */
    ProtoReader message() {
        int n = length();
        ProtoReader r = new ProtoReader(buf, pos, n);
        pos += n;
        return r;
    }

    byte[] bytes() {
        int n = length();
        byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    private int length() {
        long n = varint();
        if (n < 0 || n > end - pos) throw new IllegalArgumentException("field length " + n + " runs past the end at byte " + pos);
        return (int) n;
    }

    /** Skips the current field's value. */
    void skip() {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> { need(8); pos += 8; }
            case LEN -> {
                int n = length(); // not "pos += length()": that would add to pos as it was before the length
                pos += n;
            }
            case FIXED32 -> { need(4); pos += 4; }
            default -> throw new IllegalArgumentException("unsupported wire type " + wireType + " at byte " + pos);
        }
    }

    private void need(int n) {
        if (n > end - pos) throw new IllegalArgumentException("truncated field at byte " + pos);
    }
}

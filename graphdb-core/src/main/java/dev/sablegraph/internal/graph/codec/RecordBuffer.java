package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte writer for record codecs; the reading side is a plain
 * {@link ByteBuffer}, whose underflow the codecs report as damage.
 */
public final class RecordBuffer {
    /**
     * The largest count a record stores (in 16 bits): labels of a node, edge types at a node,
     * properties of an entity. {@code Limits} checks input against it before anything changes.
     */
    public static final int MAX_COUNT = 0xFFFF;

    private byte[] bytes;
    private int size;

    public RecordBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    public RecordBuffer putByte(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
        return this;
    }

    public RecordBuffer putShort(int v) {
        ensure(2);
        bytes[size++] = (byte) (v >>> 8);
        bytes[size++] = (byte) v;
        return this;
    }

    /**
     * A count stored in 16 bits: refused, naming {@code what}, when it does not fit, instead of
     * being cut to its low bits (which would encode a record that cannot be decoded).
     */
    public RecordBuffer putCount(int count, String what) {
        if (count < 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException(what + ": " + count + " exceeds the limit of " + MAX_COUNT);
        }
        return putShort(count);
    }

    public RecordBuffer putInt(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    public RecordBuffer putLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    public RecordBuffer putBytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    /** u32 length then the bytes. */
    public RecordBuffer putSized(byte[] b) {
        return putInt(b.length).putBytes(b);
    }

    public RecordBuffer putString(String s) {
        return putSized(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * How many bytes {@link #putString} writes for {@code s}: its length prefix and its UTF-8
     * bytes, counted as {@link String#getBytes} encodes (a lone surrogate becomes one byte, '?').
     */
    public static long stringBytes(String s) {
        long n = 4;
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The bytes written; the buffer itself when it was sized exactly (no copy). */
    public byte[] toArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    /** Reads a u32-length-prefixed byte array, refusing a length beyond what remains. */
    public static byte[] getSized(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalStateException("length " + n + " exceeds the " + in.remaining() + " bytes left");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    public static String getString(ByteBuffer in) {
        return new String(getSized(in), StandardCharsets.UTF_8);
    }
}

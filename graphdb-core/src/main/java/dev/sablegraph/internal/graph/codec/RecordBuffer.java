package dev.sablegraph.internal.graph.codec;

import dev.sablegraph.internal.record.RecordPointer;
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
        return putShort(checkedCount(count, what));
    }

    private static int checkedCount(int count, String what) {
        if (count < 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException(what + ": " + count + " exceeds the limit of " + MAX_COUNT);
        }
        return count;
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

    /**
     * An unsigned varint (LEB128: seven bits a byte, low bits first, the high bit set on every byte
     * but the last): one byte below 128, at most ten. {@link #getVarLong} reads it.
     */
    public RecordBuffer putVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
        return this;
    }

    /** A count as a varint, refused like {@link #putCount} when it exceeds {@link #MAX_COUNT}. */
    public RecordBuffer putVarCount(int count, String what) {
        return putVarLong(checkedCount(count, what));
    }

    /** How many bytes {@link #putVarLong} writes for {@code v} (read as unsigned). */
    public static int varLongBytes(long v) {
        return v == 0 ? 1 : (63 - Long.numberOfLeadingZeros(v)) / 7 + 1;
    }

    /** Reads a {@link #putVarLong} varint, refusing one that runs past ten bytes or 64 bits. */
    public static long getVarLong(ByteBuffer in) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                if (shift == 63 && b > 1) {
                    throw new IllegalStateException("a varint beyond 64 bits");
                }
                return v;
            }
        }
        throw new IllegalStateException("a varint longer than ten bytes");
    }

    /** Reads a {@link #putVarLong} varint that must not pass 2^63 - 1; {@code what} names it when it does. */
    public static long getVarNonNegative(ByteBuffer in, String what) {
        long n = getVarLong(in);
        if (n < 0) {
            throw new IllegalStateException(what + " beyond 2^63");
        }
        return n;
    }

    /** Reads a {@link #putVarCount} count, refusing one beyond {@link #MAX_COUNT}. */
    public static int getVarCount(ByteBuffer in) {
        long n = getVarLong(in);
        if (n < 0 || n > MAX_COUNT) {
            throw new IllegalStateException("a count of " + Long.toUnsignedString(n) + " exceeds the limit of "
                    + MAX_COUNT);
        }
        return (int) n;
    }

    /** An int token (a label, edge type or property key) as the varint of its 32 bits, unsigned. */
    public RecordBuffer putVarToken(int token) {
        return putVarLong(token & 0xFFFF_FFFFL);
    }

    /** Reads a {@link #putVarToken} token, refusing a varint beyond 32 bits. */
    public static int getVarToken(ByteBuffer in) {
        long n = getVarLong(in);
        if (n < 0 || n > 0xFFFF_FFFFL) {
            throw new IllegalStateException("a token of " + Long.toUnsignedString(n) + " beyond 32 bits");
        }
        return (int) n;
    }

    /**
     * A record pointer ({@link RecordPointer}) as a varint page, then a varint slot unless the
     * pointer is {@link RecordPointer#NONE} (page 0): three bytes for a pointer into the first 2^14
     * pages with a slot below 128, where its fixed width takes eight.
     */
    public RecordBuffer putVarPointer(long pointer) {
        putVarLong(RecordPointer.page(pointer));
        return pointer == RecordPointer.NONE ? this : putVarLong(RecordPointer.slot(pointer));
    }

    /** Reads a {@link #putVarPointer} pointer, refusing a page or slot no pointer holds. */
    public static long getVarPointer(ByteBuffer in) {
        long page = getVarLong(in);
        if (page == 0) {
            return RecordPointer.NONE;
        }
        long slot = getVarLong(in);
        if (page < 0 || page > RecordPointer.MAX_PAGE || slot < 0 || slot > RecordPointer.MAX_SLOT) {
            throw new IllegalStateException("a damaged record pointer: page " + Long.toUnsignedString(page) + " slot "
                    + Long.toUnsignedString(slot));
        }
        return RecordPointer.of(page, (int) slot);
    }

    public RecordBuffer putBytes(byte[] b) {
        return putBytes(b, 0, b.length);
    }

    public RecordBuffer putBytes(byte[] b, int from, int length) {
        ensure(length);
        System.arraycopy(b, from, bytes, size, length);
        size += length;
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

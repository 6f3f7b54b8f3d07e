package dev.sablegraph.internal.bulk;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A spill file being written: big-endian longs, ints and byte runs into a buffer of its own,
 * written out when full. What {@code DataOutputStream} over a {@code BufferedOutputStream} writes,
 * byte for byte, without their synchronized call per field (four per spilled record, which a load
 * of millions of edges felt). One thread uses it.
 */
final class SpillOutput implements AutoCloseable {
    /** The spill files' one layout of longs and ints (big-endian, as {@code DataOutputStream}'s); {@link SpillInput} reads with these. */
    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final OutputStream out;
    private final byte[] buffer;
    private int used;

    SpillOutput(OutputStream out, int bufferBytes) {
        this.out = out;
        this.buffer = new byte[bufferBytes];
    }

    void writeLong(long v) throws IOException {
        if (used + Long.BYTES > buffer.length) {
            flushBuffer();
        }
        LONG.set(buffer, used, v);
        used += Long.BYTES;
    }

    void writeInt(int v) throws IOException {
        if (used + Integer.BYTES > buffer.length) {
            flushBuffer();
        }
        INT.set(buffer, used, v);
        used += Integer.BYTES;
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        if (length > buffer.length - used) {
            flushBuffer();
            if (length > buffer.length) {
                out.write(bytes, offset, length);
                return;
            }
        }
        System.arraycopy(bytes, offset, buffer, used, length);
        used += length;
    }

    private void flushBuffer() throws IOException {
        if (used > 0) {
            out.write(buffer, 0, used);
            used = 0;
        }
    }

    /** Writes what is buffered and closes the file. */
    @Override
    public void close() throws IOException {
        try (out) {
            flushBuffer();
        }
    }
}

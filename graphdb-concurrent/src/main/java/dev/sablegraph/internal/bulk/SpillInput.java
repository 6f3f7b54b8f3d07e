package dev.sablegraph.internal.bulk;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.VarHandle;

/**
 * A spill file being read: what {@link SpillOutput} wrote, through a buffer of its own, without
 * {@code DataInputStream}'s synchronized read per field. One thread uses it.
 */
final class SpillInput implements AutoCloseable {
    private static final VarHandle LONG = SpillOutput.LONG;
    private static final VarHandle INT = SpillOutput.INT;

    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;

    SpillInput(InputStream in, int bufferBytes) {
        this.in = in;
        this.buffer = new byte[bufferBytes];
    }

    /** True when every byte of the file has been read. */
    boolean atEnd() throws IOException {
        return position == limit && !refill(1);
    }

    long readLong() throws IOException {
        require(Long.BYTES);
        long v = (long) LONG.get(buffer, position);
        position += Long.BYTES;
        return v;
    }

    int readInt() throws IOException {
        require(Integer.BYTES);
        int v = (int) INT.get(buffer, position);
        position += Integer.BYTES;
        return v;
    }

    /** Reads exactly {@code length} bytes into {@code dst} at {@code offset}. */
    void readFully(byte[] dst, int offset, int length) throws IOException {
        int copied = Math.min(length, limit - position);
        System.arraycopy(buffer, position, dst, offset, copied);
        position += copied;
        while (copied < length) {
            int n = in.read(dst, offset + copied, length - copied);
            if (n < 0) {
                throw new EOFException("spill file ends inside a record");
            }
            copied += n;
        }
    }

    private void require(int bytes) throws IOException {
        if (limit - position < bytes && !refill(bytes)) {
            throw new EOFException("spill file ends inside a record");
        }
    }

    /** Moves what is left to the front and reads until {@code bytes} are buffered; false at the file's end. */
    private boolean refill(int bytes) throws IOException {
        int left = limit - position;
        System.arraycopy(buffer, position, buffer, 0, left);
        position = 0;
        limit = left;
        while (limit < bytes) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                return false;
            }
            limit += n;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

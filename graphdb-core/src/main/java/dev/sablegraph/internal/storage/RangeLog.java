package dev.sablegraph.internal.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An append-only log of byte ranges copied out of pages, for {@link PageUndo}: each range is
 * stored with the position of the range logged before it for the same page, so that a page's
 * ranges are read back newest first without an index. Ranges are stored in chunks that never
 * move (a range never spans two), and the chunks are kept for the next use: as many as the
 * largest recent use needed, decaying by 1/64 per use, at least one, at most {@code maxKeptBytes}.
 * Not thread-safe: one atomic change at a time uses it.
 */
final class RangeLog {
    static final int MIN_CHUNK = 64 * 1024;
    /** Before a range's bytes: the position of the page's range before it (8 bytes), its offset and length in the page (4 each). */
    static final int HEADER = Long.BYTES + 2 * Integer.BYTES;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final int chunkSize;
    private final int maxKeptChunks;
    private byte[][] chunks = new byte[4][];
    /** Chunks {@code [0, allocated)} exist. */
    private int allocated;
    /** The chunk appended to, and the bytes used in it. */
    private int current;
    private int fill;
    /** How many chunks recent uses needed: the largest, decaying by 1/64 per use. */
    private int recentNeed;

    /** {@code chunkSize} must hold the largest range appended, header included. */
    RangeLog(int chunkSize, long maxKeptBytes) {
        this.chunkSize = chunkSize;
        this.maxKeptChunks = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxKeptBytes / chunkSize));
    }

    /**
     * Copies {@code page[offset, offset + length)} into the log as the newest range after
     * {@code previous} (a position this returned, or -1); returns the new range's position.
     */
    long append(long previous, ByteBuffer page, int offset, int length) {
        int size = HEADER + length;
        if (size > chunkSize) {
            throw new IllegalArgumentException("a range of " + length + " bytes does not fit a chunk of " + chunkSize);
        }
        if (fill + size > chunkSize) {
            current++;
            fill = 0;
        }
        byte[] chunk = chunk(current);
        long position = ((long) current << 32) | fill;
        LONGS.set(chunk, fill, previous);
        INTS.set(chunk, fill + Long.BYTES, offset);
        INTS.set(chunk, fill + Long.BYTES + Integer.BYTES, length);
        page.get(offset, chunk, fill + HEADER, length);
        fill += size;
        return position;
    }

    /** Writes the range at {@code position} back into {@code page}; returns the position of the range before it, or -1. */
    long putBack(long position, ByteBuffer page) {
        byte[] chunk = chunks[(int) (position >>> 32)];
        int at = (int) position;
        long previous = (long) LONGS.get(chunk, at);
        int offset = (int) INTS.get(chunk, at + Long.BYTES);
        int length = (int) INTS.get(chunk, at + Long.BYTES + Integer.BYTES);
        page.put(offset, chunk, at + HEADER, length);
        return previous;
    }

    private byte[] chunk(int index) {
        if (index == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunks.length * 2);
        }
        if (index == allocated) {
            chunks[allocated++] = new byte[chunkSize];
        }
        return chunks[index];
    }

    /** Forgets every range, keeping chunks for the next use within the bound. */
    void clear() {
        int used = fill == 0 && current == 0 ? 0 : current + 1;
        recentNeed = Math.max(used, recentNeed - (recentNeed + 63) / 64); // by at least one: a few chunks are let go too
        int keep = Math.min(maxKeptChunks, Math.max(1, recentNeed));
        if (allocated > keep) {
            Arrays.fill(chunks, keep, allocated, null);
            allocated = keep;
        }
        current = 0;
        fill = 0;
    }

    /** Bytes of chunks allocated. */
    long capacity() {
        return (long) allocated * chunkSize;
    }
}

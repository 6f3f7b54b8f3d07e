package dev.sablegraph.internal.wal;

import java.nio.ByteBuffer;

/**
 * Framed records waiting to be written: a run of whole records starting at LSN
 * {@link #startLsn}. The log has two: appenders fill one under the append lock while the flush
 * token holder writes the other, holding no lock appenders need.
 */
final class LogBuffer {
    private final int defaultCapacity;
    private ByteBuffer bytes;
    private long startLsn;

    LogBuffer(int capacity, long startLsn) {
        this.defaultCapacity = capacity;
        this.bytes = ByteBuffer.allocate(capacity);
        this.startLsn = startLsn;
    }

    long startLsn() {
        return startLsn;
    }

    int size() {
        return bytes.position();
    }

    boolean isEmpty() {
        return bytes.position() == 0;
    }

    /** Whether a record of {@code recordBytes} (header included) can go in now. */
    boolean fits(int recordBytes) {
        return bytes.remaining() >= recordBytes;
    }

    /**
     * Appends one framed record, growing the buffer if it does not fit (the log lets a batch grow
     * only for its first record), so a record larger than the buffer needs no special path;
     * {@link #reset} shrinks it back.
     */
    void put(int crc, byte type, byte[] payload) {
        int recordBytes = RecordFrame.HEADER_SIZE + payload.length;
        if (!fits(recordBytes)) {
            ByteBuffer bigger = ByteBuffer.allocate(bytes.position() + recordBytes);
            bigger.put(bytes.flip());
            bytes = bigger;
        }
        bytes.putInt(payload.length).putInt(crc).put(type).put(payload);
    }

    /** The buffered records, as a buffer from position 0; valid until {@link #reset}. */
    ByteBuffer contents() {
        return bytes.duplicate().flip();
    }

    /** Empties the buffer, which will next hold records from {@code lsn}. */
    void reset(long lsn) {
        if (bytes.capacity() != defaultCapacity) {
            bytes = ByteBuffer.allocate(defaultCapacity);
        }
        bytes.clear();
        startLsn = lsn;
    }
}

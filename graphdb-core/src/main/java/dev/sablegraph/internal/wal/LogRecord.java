package dev.sablegraph.internal.wal;

import java.util.Arrays;

/**
 * One record read back from the log.
 *
 * @param lsn where the record starts in the log stream
 * @param type the type byte given to {@link WriteAheadLog#append}
 * @param payload the payload (the reader's own copy)
 */
public record LogRecord(long lsn, byte type, byte[] payload) {
    /** The LSN just after this record: what {@link WriteAheadLog#append} returned for it. */
    public long endLsn() {
        return lsn + RecordFrame.HEADER_SIZE + payload.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord r && r.lsn == lsn && r.type == type && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(lsn) * 31 + Arrays.hashCode(payload) + type;
    }

    @Override
    public String toString() {
        return "LogRecord[lsn=" + lsn + ", type=" + type + ", " + payload.length + " payload bytes]";
    }
}

package dev.sablegraph.internal.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * How one record is laid out in a segment. Records are contiguous and never span segments.
 * Big-endian:
 *
 * <table>
 *   <caption>record</caption>
 *   <tr><th>offset</th><th>size</th><th>field</th></tr>
 *   <tr><td>0</td><td>4</td><td>payload length n, 1 .. segment size - 41 (0 here marks the end of the written log)</td></tr>
 *   <tr><td>4</td><td>4</td><td>CRC32C of: u64 LSN of this record, u32 n, u8 type, the n payload bytes</td></tr>
 *   <tr><td>8</td><td>1</td><td>record type (opaque to the log, but for its own {@link #DURABLE_MARK})</td></tr>
 *   <tr><td>9</td><td>n</td><td>payload</td></tr>
 * </table>
 *
 * <p>Why the LSN is in the checksum although it is not stored: a record found at the wrong place
 * (a misdirected write, a stale record left from an earlier use of the bytes) does not verify.
 * Why the type byte is in it: a flipped type would otherwise turn, say, a commit into something
 * else without any check noticing.
 *
 * <p>Why payloads may not be empty: a zero length is the end-of-log mark in the zero-filled
 * (preallocated) remainder of a segment.
 */
final class RecordFrame {
    static final int HEADER_SIZE = 9;
    static final int LENGTH_OFFSET = 0;
    static final int CRC_OFFSET = 4;
    static final int TYPE_OFFSET = 8;
    /**
     * Type of the log's own durable-progress mark, the first record of every batch: its 8-byte
     * payload is an LSN below which the log was forced before the batch was written. Readers skip
     * marks; recovery uses them to tell a torn unforced write from damage (see {@link LogReader}).
     */
    static final byte DURABLE_MARK = (byte) 0xFF;
    static final int DURABLE_MARK_BYTES = HEADER_SIZE + Long.BYTES;
    /** Bytes of checksummed header fields: LSN, length, type. */
    private static final int CHECKSUMMED_HEADER = 13;

    private RecordFrame() {}

    /** CRC32C of the 13 checksummed header bytes alone. Runs under the append lock: no allocation to speak of. */
    static int headerCrc(long lsn, int length, byte type) {
        byte[] b = new byte[CHECKSUMMED_HEADER];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (lsn >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            b[8 + i] = (byte) (length >>> (24 - 8 * i));
        }
        b[12] = type;
        CRC32C crc = new CRC32C();
        crc.update(b, 0, CHECKSUMMED_HEADER);
        return (int) crc.getValue();
    }

    /**
     * The record checksum from the payload's own CRC and {@code Crc32c.shiftOperator(length)}, both
     * computed beforehand: constant time, whatever the payload's size.
     */
    static int checksum(long lsn, int length, byte type, int payloadCrc, int shiftOperator) {
        return Crc32c.combineWith(shiftOperator, headerCrc(lsn, length, type), payloadCrc);
    }

    /** The record checksum of {@code payload} (its remaining bytes; its position is not moved). */
    static int checksum(long lsn, byte type, ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(CHECKSUMMED_HEADER).putLong(lsn).putInt(payload.remaining()).put(type).flip());
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }

    /** Reads the length field at {@code offset} as an unsigned value. */
    static long length(ByteBuffer segment, int offset) {
        return segment.getInt(offset + LENGTH_OFFSET) & 0xFFFF_FFFFL;
    }

    /**
     * Whether a whole, verified record starts at {@code offset}, assuming it has LSN {@code lsn};
     * if not, why not. {@code null} means a valid record.
     */
    static Stop inspect(ByteBuffer segment, int offset, long lsn) {
        int room = segment.limit() - offset;
        if (room < HEADER_SIZE) {
            for (int i = offset; i < segment.limit(); i++) {
                if (segment.get(i) != 0) {
                    return Stop.TRUNCATED_HEADER;
                }
            }
            return Stop.END_OF_SEGMENT;
        }
        long length = length(segment, offset);
        if (length == 0) {
            return Stop.ZERO_LENGTH;
        }
        if (length > room - HEADER_SIZE) {
            return Stop.TOO_LONG;
        }
        ByteBuffer payload = segment.duplicate().limit(offset + HEADER_SIZE + (int) length)
                .position(offset + HEADER_SIZE);
        int computed = checksum(lsn, segment.get(offset + TYPE_OFFSET), payload);
        return computed == segment.getInt(offset + CRC_OFFSET) ? null : Stop.CHECKSUM;
    }

    /** Why the records of a segment stop at some offset. */
    enum Stop {
        /** Fewer than 9 bytes left, all zero: the segment is full. */
        END_OF_SEGMENT("end of segment", false),
        /** The end-of-log mark. */
        ZERO_LENGTH("zero length field", false),
        /** Fewer than 9 bytes left, not all zero. */
        TRUNCATED_HEADER("incomplete record header", true),
        /** The length runs past the end of the file: a cut payload, or a damaged length. */
        TOO_LONG("record length runs past the end of the segment", true),
        CHECKSUM("record checksum mismatch", true);

        final String description;
        /** Not an end mark: bytes are there, and they are not a record. */
        final boolean damaged;

        Stop(String description, boolean damaged) {
            this.description = description;
            this.damaged = damaged;
        }
    }
}

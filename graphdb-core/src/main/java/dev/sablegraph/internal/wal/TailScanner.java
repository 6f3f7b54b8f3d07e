package dev.sablegraph.internal.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Decides whether the bytes after the point where a segment's records stop hold a valid record
 * at some later offset — the test that tells a torn tail (nothing valid follows: the end of the
 * written log) from damage inside the log (a later record verifies, so the log went on past the
 * damage).
 *
 * <p>Every offset after the stop is a candidate whose length field is non-zero and fits the
 * file. Cost is kept linear in practice:
 *
 * <ul>
 *   <li>runs of zeros (the preallocated remainder of a segment) are skipped a word at a time:
 *       a candidate needs a non-zero byte among its four length bytes;</li>
 *   <li>a candidate's payload checksum comes from prefix checksums kept every 4 KiB
 *       ({@link Crc32c#combine} arithmetic), so a garbage length of, say, 60 MiB costs at most
 *       8 KiB of checksumming, not 60 MiB; a naive scan of a torn, incompressible 1 MiB payload
 *       in a 64 MiB segment would checksum terabytes.</li>
 * </ul>
 */
final class TailScanner {
    private static final int CHECKPOINT_BYTES = 4096;

    /**
     * @param nextValidRecord file offset of the first valid record after the stop, or -1
     * @param dirtyEnd offset just past the last non-zero byte at or after the stop (the stop itself
     *     if everything from it on is zero): what a writer must zero before appending at the stop
     */
    record Result(int nextValidRecord, int dirtyEnd) {}

    private final ByteBuffer segment;
    private final int base;
    private final long firstLsn;
    /** {@code prefix[j]} = CRC32C of bytes [base, base + j·4096); computed on first need. */
    private int[] prefix;

    private TailScanner(ByteBuffer segment, int base, long firstLsn) {
        this.segment = segment;
        this.base = base;
        this.firstLsn = firstLsn;
    }

    /**
     * Scans {@code segment} (absolute offsets, limit = file size) after the stop at {@code stop}
     * in a segment whose first record has LSN {@code firstLsn}.
     */
    static Result scan(ByteBuffer segment, int stop, long firstLsn) {
        int size = segment.limit();
        int dirtyEnd = endOfNonZero(segment, stop, size);
        TailScanner scanner = new TailScanner(segment, stop, firstLsn);
        int q = stop + 1;
        while (q <= size - RecordFrame.HEADER_SIZE && q < dirtyEnd) {
            long length = RecordFrame.length(segment, q);
            if (length == 0) {
                // Bytes q .. q+3 are zero; the next candidate needs a non-zero length byte.
                int nonZero = firstNonZero(segment, q + 4, dirtyEnd);
                q = Math.max(q + 1, nonZero - 3);
                continue;
            }
            if (length <= size - q - RecordFrame.HEADER_SIZE && scanner.verifies(q, (int) length)) {
                return new Result(q, dirtyEnd);
            }
            q++;
        }
        return new Result(-1, dirtyEnd);
    }

    private boolean verifies(int offset, int length) {
        long lsn = firstLsn + offset - SegmentHeader.SIZE;
        int shift = Crc32c.shiftOperator(length);
        int from = offset + RecordFrame.HEADER_SIZE;
        int payloadCrc = length <= 2 * CHECKPOINT_BYTES
                ? Crc32c.of(slice(from, from + length))
                : prefixCrc(from + length) ^ Crc32c.multModP(shift, prefixCrc(from));
        int computed = RecordFrame.checksum(lsn, length, segment.get(offset + RecordFrame.TYPE_OFFSET),
                payloadCrc, shift);
        return computed == segment.getInt(offset + RecordFrame.CRC_OFFSET);
    }

    /**
     * CRC32C of bytes [base, end). With P(i) that prefix checksum, the checksum of [a, b) is
     * {@code P(b) xor P(a)·x^(8(b-a))}, since P(b) = combine(P(a), crc[a, b), b - a).
     */
    private int prefixCrc(int end) {
        if (prefix == null) {
            int size = segment.limit();
            prefix = new int[(size - base) / CHECKPOINT_BYTES + 1];
            CRC32C crc = new CRC32C();
            for (int j = 0; j < prefix.length; j++) {
                prefix[j] = (int) crc.getValue();
                int start = base + j * CHECKPOINT_BYTES;
                crc.update(slice(start, Math.min(size, start + CHECKPOINT_BYTES)));
            }
        }
        int j = (end - base) / CHECKPOINT_BYTES;
        int start = base + j * CHECKPOINT_BYTES;
        return end == start ? prefix[j] : Crc32c.combine(prefix[j], Crc32c.of(slice(start, end)), end - start);
    }

    private ByteBuffer slice(int from, int to) {
        return segment.duplicate().limit(to).position(from);
    }

    /** Offset just past the last non-zero byte in [from, to), or {@code from} if there is none. */
    static int endOfNonZero(ByteBuffer b, int from, int to) {
        int i = to;
        while (i - Long.BYTES >= from && b.getLong(i - Long.BYTES) == 0) {
            i -= Long.BYTES;
        }
        while (i > from && b.get(i - 1) == 0) {
            i--;
        }
        return i;
    }

    /** The first offset in [from, to) holding a non-zero byte, or {@code to}. */
    static int firstNonZero(ByteBuffer b, int from, int to) {
        int i = from;
        while (i + Long.BYTES <= to && b.getLong(i) == 0) {
            i += Long.BYTES;
        }
        while (i < to && b.get(i) == 0) {
            i++;
        }
        return i;
    }
}

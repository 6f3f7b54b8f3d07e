package dev.sablegraph.internal.wal;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.IncompatibleFormatException;
import dev.sablegraph.internal.util.SableVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The 32 bytes every log segment starts with. Big-endian:
 *
 * <table>
 *   <caption>segment header</caption>
 *   <tr><th>offset</th><th>size</th><th>field</th></tr>
 *   <tr><td>0</td><td>8</td><td>magic {@code SABLEWAL} (ASCII)</td></tr>
 *   <tr><td>8</td><td>4</td><td>format version, 1</td></tr>
 *   <tr><td>12</td><td>4</td><td>reserved, zero</td></tr>
 *   <tr><td>16</td><td>8</td><td>first LSN: the LSN of the segment's first record, also in the file name</td></tr>
 *   <tr><td>24</td><td>4</td><td>CRC32C of bytes 0 .. 27</td></tr>
 *   <tr><td>28</td><td>4</td><td>reserved, zero</td></tr>
 * </table>
 *
 * <p>Records follow from offset 32; the record at file offset {@code o} has LSN
 * {@code firstLsn + o - 32}. A header is written whole, with the segment's first zeros, into a
 * temporary file that is forced and only then renamed to its segment name, so a segment file
 * whose header does not verify is damage, never a torn write.
 */
final class SegmentHeader {
    static final int SIZE = 32;
    static final int VERSION = 1;
    private static final byte[] MAGIC = "SABLEWAL".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION_OFFSET = 8;
    private static final int FIRST_LSN_OFFSET = 16;
    private static final int CRC_OFFSET = 24;

    private SegmentHeader() {}

    static ByteBuffer encode(long firstLsn) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.put(0, MAGIC);
        b.putInt(VERSION_OFFSET, VERSION);
        b.putLong(FIRST_LSN_OFFSET, firstLsn);
        b.putInt(CRC_OFFSET, crc(b));
        return b;
    }

    /**
     * Checks the header at the start of {@code segment} (absolute offsets, position ignored) of
     * the file {@code file}, whose name says it starts at {@code firstLsnFromName}.
     */
    static void verify(ByteBuffer segment, Path file, long firstLsnFromName) {
        if (segment.limit() < SIZE) {
            throw new CorruptionException(file, -1, "segment header at offset 0: file has only "
                    + segment.limit() + " bytes, a segment header needs " + SIZE);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (segment.get(i) != MAGIC[i]) {
                throw new CorruptionException(file, -1,
                        "segment header at offset 0: bad magic, not a Sable log segment");
            }
        }
        int stored = segment.getInt(CRC_OFFSET);
        int computed = crc(segment);
        if (stored != computed) {
            throw new CorruptionException(file, -1, String.format(
                    "segment header at offset 0: checksum mismatch (stored %08x, computed %08x)", stored, computed));
        }
        int version = segment.getInt(VERSION_OFFSET);
        if (version != VERSION) { // its checksum holds: another build wrote it
            throw new IncompatibleFormatException(file, "log segment", version, VERSION, VERSION, SableVersion.get());
        }
        long first = segment.getLong(FIRST_LSN_OFFSET);
        if (first != firstLsnFromName) {
            throw new CorruptionException(file, -1, "segment header at offset 0: first LSN " + first
                    + " differs from the file name's " + firstLsnFromName);
        }
    }

    private static int crc(ByteBuffer segment) {
        return Crc32c.of(segment.duplicate().clear().limit(CRC_OFFSET));
    }
}

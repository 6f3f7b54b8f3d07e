package dev.sablegraph.internal.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The combine arithmetic agrees with computing the checksum of the concatenation directly. */
class Crc32cTest {
    @Test
    void combineEqualsChecksumOfConcatenation() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 300; trial++) {
            byte[] all = WalTestSupport.payload(trial, r.nextInt(0, 70_000));
            int split = all.length == 0 ? 0 : r.nextInt(0, all.length + 1);
            ByteBuffer a = ByteBuffer.wrap(all, 0, split);
            ByteBuffer b = ByteBuffer.wrap(all, split, all.length - split);
            assertEquals(Crc32c.of(all), Crc32c.combine(Crc32c.of(a), Crc32c.of(b), all.length - split),
                    "split " + split + " of " + all.length);
        }
    }

    @Test
    void recordChecksumFromPartsEqualsDirectChecksum() {
        for (int length : new int[] {1, 9, 100, 4096, 100_000}) {
            byte[] p = WalTestSupport.payload(length, length);
            long lsn = 123_456_789L * length;
            int direct = RecordFrame.checksum(lsn, (byte) 5, ByteBuffer.wrap(p));
            int fromParts = RecordFrame.checksum(lsn, length, (byte) 5, Crc32c.of(p), Crc32c.shiftOperator(length));
            assertEquals(direct, fromParts);
            ByteBuffer all = ByteBuffer.allocate(13 + length).putLong(lsn).putInt(length).put((byte) 5).put(p).flip();
            assertEquals(Crc32c.of(all), direct, "CRC over LSN, length, type and payload");
        }
    }
}

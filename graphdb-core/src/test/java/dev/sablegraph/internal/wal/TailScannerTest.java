package dev.sablegraph.internal.wal;

import static dev.sablegraph.internal.wal.WalTestSupport.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The forward scan finds a valid record after garbage at any offset and for any length, and only then. */
class TailScannerTest {
    private static final long FIRST_LSN = 1_000_000;

    /** Writes a valid record at {@code offset} of a segment whose first record has {@link #FIRST_LSN}. */
    private static void putRecord(ByteBuffer seg, int offset, byte[] payload) {
        long lsn = FIRST_LSN + offset - SegmentHeader.SIZE;
        seg.putInt(offset, payload.length);
        seg.putInt(offset + 4, RecordFrame.checksum(lsn, (byte) 4, ByteBuffer.wrap(payload)));
        seg.put(offset + 8, (byte) 4);
        seg.put(offset + 9, payload);
    }

    private static ByteBuffer segmentWithGarbage(int size, int garbageFrom, int garbageTo, long seed) {
        ByteBuffer seg = ByteBuffer.allocate(size);
        seg.put(garbageFrom, payload(seed, garbageTo - garbageFrom));
        return seg;
    }

    @Test
    void findsValidRecordsOfEverySizeAfterGarbage() {
        SplittableRandom r = new SplittableRandom(3);
        int size = 1 << 20;
        for (int trial = 0; trial < 40; trial++) {
            int stop = 32 + r.nextInt(1000);
            int at = stop + 1 + r.nextInt(20_000);
            // Small (checksummed directly), large (from prefix checksums), some mostly zeros.
            int length = trial % 3 == 0 ? 1 + r.nextInt(100) : 8193 + r.nextInt(size - at - 9 - 8193);
            ByteBuffer seg = segmentWithGarbage(size, stop, at, trial);
            byte[] p = trial % 4 == 1 ? new byte[length] : payload(trial, length);
            p[0] = 1;
            putRecord(seg, at, p);
            TailScanner.Result result = TailScanner.scan(seg, stop, FIRST_LSN);
            assertEquals(at, result.nextValidRecord(), "trial " + trial + ": record of " + length + " at " + at);
        }
    }

    @Test
    void garbageAloneHoldsNoRecordAndItsEndIsReported() {
        int size = 256 * 1024;
        for (int trial = 0; trial < 10; trial++) {
            int stop = 40 + trial * 7;
            int end = stop + 1 + trial * 5000;
            ByteBuffer seg = segmentWithGarbage(size, stop, end, trial);
            seg.put(end - 1, (byte) 0x55);
            TailScanner.Result result = TailScanner.scan(seg, stop, FIRST_LSN);
            assertEquals(-1, result.nextValidRecord());
            assertEquals(end, result.dirtyEnd());
        }
        ByteBuffer zeros = ByteBuffer.allocate(size);
        assertEquals(new TailScanner.Result(-1, 100), TailScanner.scan(zeros, 100, FIRST_LSN));
    }

    @Test
    void recordAtTheWrongLsnDoesNotCount() {
        // A record copied to another offset (a misdirected write, a stale copy) fails its checksum
        // there, because the checksum covers the LSN its offset implies.
        ByteBuffer seg = ByteBuffer.allocate(64 * 1024);
        putRecord(seg, 5000, payload(1, 300));
        ByteBuffer moved = ByteBuffer.allocate(64 * 1024);
        moved.put(5008, seg.slice(5000, 309), 0, 309);
        assertEquals(-1, TailScanner.scan(moved, 100, FIRST_LSN).nextValidRecord());
        assertEquals(5000, TailScanner.scan(seg, 100, FIRST_LSN).nextValidRecord());
    }

    @Test
    void zeroAndNonZeroRunHelpers() {
        ByteBuffer b = ByteBuffer.allocate(100);
        assertEquals(100, TailScanner.firstNonZero(b, 0, 100));
        assertEquals(10, TailScanner.endOfNonZero(b, 10, 100));
        for (int i : new int[] {0, 7, 8, 9, 63, 64, 99}) {
            b.clear().put(new byte[100]);
            b.put(i, (byte) 1);
            assertEquals(i, TailScanner.firstNonZero(b, 0, 100), "first at " + i);
            assertEquals(i + 1, TailScanner.endOfNonZero(b, 0, 100), "end at " + i);
            assertEquals(Math.max(i + 1, 50), Math.max(TailScanner.endOfNonZero(b, 50, 100), i + 1));
        }
    }
}

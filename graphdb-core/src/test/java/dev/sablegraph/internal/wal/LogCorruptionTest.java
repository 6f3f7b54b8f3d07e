package dev.sablegraph.internal.wal;

import static dev.sablegraph.internal.wal.WalTestSupport.flipByte;
import static dev.sablegraph.internal.wal.WalTestSupport.offsetOf;
import static dev.sablegraph.internal.wal.WalTestSupport.payload;
import static dev.sablegraph.internal.wal.WalTestSupport.putInt;
import static dev.sablegraph.internal.wal.WalTestSupport.segmentOf;
import static dev.sablegraph.internal.wal.WalTestSupport.segments;
import static dev.sablegraph.internal.wal.WalTestSupport.truncate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.IncompatibleFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damage before the end of the log is never taken for a torn tail: it is a
 * {@link CorruptionException} naming the segment file and the byte offset.
 */
class LogCorruptionTest {
    private static final long SEGMENT = 8192;

    @TempDir
    Path dir;

    /**
     * 120 records over several segments, each forced before the next is appended (so each batch's
     * durable-progress mark vouches for every record before it).
     */
    private List<LogRecord> writeLog() throws IOException {
        List<LogRecord> records = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            for (int i = 0; i < 120; i++) {
                byte[] p = payload(i, 80 + i * 29 % 300);
                long end = log.append((byte) 1, p);
                log.awaitDurable(end);
                records.add(new LogRecord(end - RecordFrame.HEADER_SIZE - p.length, (byte) 1, p));
            }
        }
        assertTrue(segments(dir).size() >= 4);
        return records;
    }

    private static CorruptionException assertCorruption(Path file, String... fragments) {
        return assertCorruption(file, () -> LogReader.readAll(file.getParent(), 0), fragments);
    }

    private static CorruptionException assertCorruption(Path file, Runnable action, String... fragments) {
        CorruptionException e = assertThrows(CorruptionException.class, action::run);
        assertEquals(file.toString(), e.file(), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "mentions '" + f + "': " + e.getMessage());
        }
        return e;
    }

    /** Index of a record in the middle of the last segment, with records after it. */
    private static int recordInLastSegment(List<LogRecord> records, Path dir) throws IOException {
        List<Path> segs = segments(dir);
        long lastFirst = WalTestSupport.firstLsn(segs.get(segs.size() - 1));
        int i = 0;
        while (records.get(i).lsn() < lastFirst) {
            i++;
        }
        assertTrue(records.size() - i > 5, "records follow");
        return i + 2;
    }

    /** Damage to a record with valid records after it, in the last segment: in 4 ways. */
    @ParameterizedTest
    @ValueSource(strings = {"payload", "checksum", "zero-length", "length"})
    void damagedRecordFollowedByValidOnesIsCorruption(String how) throws IOException {
        List<LogRecord> records = writeLog();
        LogRecord victim = records.get(recordInLastSegment(records, dir));
        Path segment = segmentOf(dir, victim.lsn());
        long at = offsetOf(dir, victim.lsn());
        switch (how) {
            case "payload" -> flipByte(segment, at + 9 + victim.payload().length / 2);
            case "checksum" -> flipByte(segment, at + 4);
            case "zero-length" -> putInt(segment, at, 0);
            // A wrong but plausible length: the next record is not where the length says, so
            // only the scan for later valid records finds it.
            case "length" -> putInt(segment, at, victim.payload().length + 3);
            default -> throw new AssertionError(how);
        }
        assertCorruption(segment, "offset " + at, "a valid record follows");
        // The writer reads the newest segment on open and refuses it too.
        assertCorruption(segment, () -> WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT).close(),
                "offset " + at);
    }

    /**
     * Power loss: pages of a write that was never forced survive in any order, so a record of the
     * last batch can be damaged while later records of the same batch are intact. No commit from
     * the damaged record on was acknowledged (the batch was not forced), and no later batch's mark
     * says the log was forced past it: a torn tail, cut there, not corruption.
     */
    @Test
    void damageInsideTheLastUnforcedBatchIsATornTail() throws IOException {
        List<LogRecord> records = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(dir, 1L << 20, ChannelFactory.DEFAULT)) {
            for (int i = 0; i < 40; i++) {
                byte[] p = payload(i, 100 + i);
                long end = log.append((byte) 1, p);
                if (i < 20) {
                    log.awaitDurable(end); // forced, one batch each; the last 20 form one batch
                }
                records.add(new LogRecord(end - RecordFrame.HEADER_SIZE - p.length, (byte) 1, p));
            }
        } // close writes (and forces) the last batch; its bytes are what a power loss might leave
        LogRecord victim = records.get(30);
        Path segment = segmentOf(dir, victim.lsn());
        flipByte(segment, offsetOf(dir, victim.lsn()) + 9 + 40);

        LogReader reader = LogReader.open(dir, 0);
        List<LogRecord> read = new ArrayList<>();
        reader.forEachRemaining(read::add);
        assertEquals(records.subList(0, 30), read, "everything before the damage");
        assertTrue(reader.end().damage().contains("never forced"), reader.end().damage());

        try (WriteAheadLog log = WriteAheadLog.open(dir, 1L << 20, ChannelFactory.DEFAULT)) {
            assertEquals(victim.lsn(), log.endLsn(), "appends continue where the damage was");
            byte[] p = payload(99, 10);
            long end = log.append((byte) 2, p);
            log.awaitDurable(end);
            records.set(30, new LogRecord(end - RecordFrame.HEADER_SIZE - p.length, (byte) 2, p));
        }
        assertEquals(records.subList(0, 31), LogReader.readAll(dir, 0),
                "the old batch's later records were wiped, not read after the new one");
    }

    /** The same damage inside a batch that a later batch's mark says was forced: corruption. */
    @Test
    void damageInsideAForcedBatchIsCorruptionInTheLastSegmentToo() throws IOException {
        List<LogRecord> records = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(dir, 1L << 20, ChannelFactory.DEFAULT)) {
            for (int i = 0; i < 40; i++) {
                byte[] p = payload(i, 100 + i);
                long end = log.append((byte) 1, p);
                if (i % 10 == 9) {
                    log.awaitDurable(end); // batches of ten
                }
                records.add(new LogRecord(end - RecordFrame.HEADER_SIZE - p.length, (byte) 1, p));
            }
        }
        LogRecord victim = records.get(14); // in the second batch; the fourth batch vouches for it
        Path segment = segmentOf(dir, victim.lsn());
        flipByte(segment, offsetOf(dir, victim.lsn()) + 9 + 40);
        assertCorruption(segment, "offset " + offsetOf(dir, victim.lsn()), "written after the log was forced");
    }

    @Test
    void damageInAnOlderSegmentIsCorruptionEvenAtItsEnd() throws IOException {
        List<LogRecord> records = writeLog();
        // Flip the last record of the first segment: nothing follows it in that segment, but a
        // segment is forced whole before the next one is created, so it cannot be a torn write.
        Path first = segments(dir).get(0);
        long second = WalTestSupport.firstLsn(segments(dir).get(1));
        // Its last record (a batch's mark may still follow it in the segment).
        LogRecord victim = records.stream().filter(r -> r.endLsn() <= second).reduce((a, b) -> b).orElseThrow();
        flipByte(first, offsetOf(dir, victim.lsn()) + 10);
        String message = assertCorruption(first, "offset " + offsetOf(dir, victim.lsn())).getMessage();
        assertTrue(message.contains("not a torn tail") || message.contains("a valid record follows"), message);
    }

    @Test
    void damageInAnOlderSegmentIsFoundWhenReadingFromIt() throws IOException {
        List<LogRecord> records = writeLog();
        LogRecord victim = records.get(3);
        Path first = segmentOf(dir, victim.lsn());
        flipByte(first, offsetOf(dir, victim.lsn()) + 12);
        assertCorruption(first, "offset " + offsetOf(dir, victim.lsn()), "checksum mismatch");
        // Reading from a later segment does not read the damaged one.
        Path third = segments(dir).get(2);
        long from = WalTestSupport.firstLsn(third);
        assertEquals(records.stream().filter(r -> r.lsn() >= from).count(), LogReader.readAll(dir, from).size());
    }

    @Test
    void cutOlderSegmentIsCorruption() throws IOException {
        writeLog();
        Path first = segments(dir).get(0);
        truncate(first, 4000);
        assertCorruption(first, "not a torn tail");
    }

    @Test
    void badMagicIsCorruption() throws IOException {
        writeLog();
        Path seg = segments(dir).get(1);
        flipByte(seg, 2);
        assertCorruption(seg, "offset 0", "bad magic");
    }

    @Test
    void badHeaderChecksumIsCorruption() throws IOException {
        writeLog();
        Path seg = segments(dir).get(1);
        flipByte(seg, 13); // a reserved byte: only the checksum notices
        assertCorruption(seg, "offset 0", "checksum mismatch");
        // Of the newest segment, the writer notices on open.
        Path last = segments(dir).get(segments(dir).size() - 1);
        flipByte(last, 20);
        assertCorruption(last, () -> WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT).close(),
                "checksum mismatch");
    }

    @Test
    void unknownVersionIsRefusedAsAnotherFormat() throws IOException {
        writeLog();
        Path seg = segments(dir).get(1);
        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(seg), 0, SegmentHeader.SIZE).slice();
        header.putInt(8, 2);
        header.putInt(24, Crc32c.of(header.duplicate().limit(24)));
        putInt(seg, 8, 2);
        putInt(seg, 24, header.getInt(24));
        IncompatibleFormatException e = assertThrows(IncompatibleFormatException.class,
                () -> LogReader.readAll(dir, 0));
        assertEquals(2, e.foundVersion());
        assertTrue(e.getMessage().contains(seg.toString()) && e.getMessage().contains("format 2"), e.getMessage());
    }

    @Test
    void headerThatDisagreesWithTheFileNameIsCorruption() throws IOException {
        writeLog();
        Path seg = segments(dir).get(1);
        Path renamed = SegmentFiles.path(dir, WalTestSupport.firstLsn(seg) + 1);
        Files.move(seg, renamed);
        assertCorruption(renamed, "differs from the file name");
    }

    @Test
    void missingSegmentIsAGap() throws IOException {
        writeLog();
        List<Path> segs = segments(dir);
        Files.delete(segs.get(1));
        assertCorruption(segs.get(2), "gap");
    }

    @Test
    void segmentTooShortForAHeaderIsCorruption() throws IOException {
        writeLog();
        Path seg = segments(dir).get(1);
        truncate(seg, 20);
        assertCorruption(seg, "segment header");
    }

    @Test
    void readingFromBeyondTheEndIsCorruption() throws IOException {
        List<LogRecord> records = writeLog();
        long end = records.get(records.size() - 1).endLsn();
        assertEquals(List.of(), LogReader.readAll(dir, end));
        Path last = segments(dir).get(segments(dir).size() - 1);
        assertCorruption(last, () -> LogReader.readAll(dir, end + 1), "before LSN " + (end + 1));
    }
}

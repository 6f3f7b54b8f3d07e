package dev.sablegraph.core.wal;

import static dev.sablegraph.core.wal.WalTestSupport.flipByte;
import static dev.sablegraph.core.wal.WalTestSupport.offsetOf;
import static dev.sablegraph.core.wal.WalTestSupport.payload;
import static dev.sablegraph.core.wal.WalTestSupport.putInt;
import static dev.sablegraph.core.wal.WalTestSupport.segmentOf;
import static dev.sablegraph.core.wal.WalTestSupport.segments;
import static dev.sablegraph.core.wal.WalTestSupport.truncate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
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

    /** 120 records over several segments. */
    private List<LogRecord> writeLog() throws IOException {
        List<LogRecord> records = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            for (int i = 0; i < 120; i++) {
                byte[] p = payload(i, 80 + i * 29 % 300);
                long lsn = log.endLsn();
                log.append((byte) 1, p);
                records.add(new LogRecord(lsn, (byte) 1, p));
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

    @Test
    void damageInAnOlderSegmentIsCorruptionEvenAtItsEnd() throws IOException {
        List<LogRecord> records = writeLog();
        // Flip the last record of the first segment: nothing follows it in that segment, but a
        // segment is forced whole before the next one is created, so it cannot be a torn write.
        Path first = segments(dir).get(0);
        long second = WalTestSupport.firstLsn(segments(dir).get(1));
        LogRecord victim = records.stream().filter(r -> r.endLsn() == second).findFirst().orElseThrow();
        flipByte(first, offsetOf(dir, victim.lsn()) + 10);
        assertCorruption(first, "offset " + offsetOf(dir, victim.lsn()), "not a torn tail");
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
    void unknownVersionIsCorruption() throws IOException {
        writeLog();
        Path seg = segments(dir).get(1);
        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(seg), 0, SegmentHeader.SIZE).slice();
        header.putInt(8, 2);
        header.putInt(24, Crc32c.of(header.duplicate().limit(24)));
        putInt(seg, 8, 2);
        putInt(seg, 24, header.getInt(24));
        assertCorruption(seg, "format version 2");
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

package dev.sablegraph.internal.wal;

import static dev.sablegraph.internal.wal.WalTestSupport.flipByte;
import static dev.sablegraph.internal.wal.WalTestSupport.offsetOf;
import static dev.sablegraph.internal.wal.WalTestSupport.payload;
import static dev.sablegraph.internal.wal.WalTestSupport.segmentOf;
import static dev.sablegraph.internal.wal.WalTestSupport.segments;
import static dev.sablegraph.internal.wal.WalTestSupport.truncate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.testkit.FaultInjectingChannelFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Segments start at {@link ActiveSegment#INITIAL_BYTES} and grow up to the segment size as records
 * need: records across a growth, one record larger than the file, the boundary where the next
 * segment starts, and crashes and failed writes while a segment grows, which leave at most a torn
 * tail.
 */
class SegmentGrowthTest {
    private static final long SEGMENT = 1 << 20;
    private static final long INITIAL = ActiveSegment.INITIAL_BYTES;

    @TempDir
    Path dir;

    private static LogRecord commit(WriteAheadLog log, long seed, int length) {
        byte[] p = payload(seed, length);
        long end = log.append((byte) 1, p);
        log.awaitDurable(end);
        return new LogRecord(end - RecordFrame.HEADER_SIZE - length, (byte) 1, p);
    }

    /** Commits records of about {@code length} bytes until the log has passed {@code bytes}. */
    private static List<LogRecord> commitUntil(WriteAheadLog log, long bytes, int length, long seed) {
        List<LogRecord> out = new ArrayList<>();
        for (long i = seed; log.endLsn() < bytes; i++) {
            out.add(commit(log, i, length + (int) (i % 37)));
        }
        return out;
    }

    private static long size(Path file) throws IOException {
        return Files.size(file);
    }

    @Test
    void aNewSegmentStartsSmallAndGrowsByDoublingUpToTheSegmentSize() throws IOException {
        List<LogRecord> records;
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            Path first = segments(dir).get(0);
            assertEquals(INITIAL, size(first), "a new segment holds the header and its first zeros");
            records = commitUntil(log, INITIAL + 1000, 500, 0);
            assertEquals(2 * INITIAL, size(first), "grown by doubling once records passed its end");
            records.addAll(commitUntil(log, SEGMENT + 1000, 3000, 10_000));
            List<Path> all = segments(dir);
            assertEquals(2, all.size(), "the record that did not fit the segment size started the next");
            assertEquals(SEGMENT, size(all.get(0)), "the first segment grew to the segment size, no further");
            assertEquals(INITIAL, size(all.get(1)));
        }
        assertEquals(records, LogReader.readAll(dir, 0));
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            assertEquals(records.get(records.size() - 1).endLsn(), log.endLsn(), "reopened at the end");
            records.add(commit(log, 99, 100));
        }
        assertEquals(records, LogReader.readAll(dir, 0));
    }

    @Test
    void aRecordLargerThanTheFileGrowsItAtOnce() throws IOException {
        List<LogRecord> records = new ArrayList<>();
        int big = (int) (SEGMENT * 3 / 4);
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            records.add(commit(log, 1, 100));
            records.add(commit(log, 2, big));
            records.add(commit(log, 3, 100));
            Path first = segments(dir).get(0);
            assertEquals(1, segments(dir).size());
            assertTrue(size(first) >= records.get(2).endLsn() + SegmentHeader.SIZE, "grown to hold it: " + size(first));
            assertTrue(size(first) <= SEGMENT);
            // The largest record a segment takes still fits the segment size, in a new segment.
            records.add(commit(log, 4, log.maxPayloadBytes()));
            assertEquals(2, segments(dir).size());
            assertEquals(SEGMENT, size(segments(dir).get(1)));
        }
        assertEquals(records, LogReader.readAll(dir, 0));
    }

    /**
     * A power loss while the last growth was not yet forced: any part of the new zeros and the
     * records written into them may be gone (the file cut anywhere after the old end), or the new
     * bytes may hold stray data. Every record forced before is read back, the end is a torn tail,
     * and the writer continues there, growing the segment again.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cut in the record", "cut at the old end", "stray bytes"})
    void aCrashDuringAGrowthLeavesATornTail(String damage) throws IOException {
        List<LogRecord> records;
        LogRecord last;
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            records = commitUntil(log, INITIAL - 2000, 400, 0);
            long grownFrom = size(segments(dir).get(0));
            last = commit(log, 7777, 5000); // passes the end of the file: the segment grows for it
            assertEquals(INITIAL, grownFrom);
            assertEquals(2 * INITIAL, size(segments(dir).get(0)));
        }
        Path segment = segmentOf(dir, last.lsn());
        long at = offsetOf(dir, last.lsn());
        switch (damage) {
            case "cut in the record" -> truncate(segment, at + 9 + 4000);
            case "cut at the old end" -> truncate(segment, INITIAL);
            default -> {
                truncate(segment, at); // the record never reached the disk, but the growth did, dirty
                try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(payload(5, (int) (2 * INITIAL - at))), at);
                }
            }
        }
        LogReader reader = LogReader.open(dir, 0);
        List<LogRecord> read = new ArrayList<>();
        reader.forEachRemaining(read::add);
        assertEquals(records, read, "every record before the one written into the growth");
        assertEquals(last.lsn(), reader.end().lsn());
        assertTrue(reader.end().tornTail(), "a torn tail: " + reader.end());

        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            assertEquals(last.lsn(), log.endLsn());
            records.addAll(commitUntil(log, 3 * INITIAL, 700, 20_000));
            assertTrue(size(segment) > 3 * INITIAL && size(segment) <= SEGMENT, "grown again: " + size(segment));
        }
        reader = LogReader.open(dir, 0);
        read.clear();
        reader.forEachRemaining(read::add);
        assertEquals(records, read);
        assertFalse(reader.end().tornTail(), "clean after reopening: " + reader.end().damage());
    }

    /**
     * Damage inside a grown part that a later forced batch vouches for is corruption, as anywhere
     * else in the log: growth does not weaken the torn-tail rule.
     */
    @Test
    void damageBeforeALaterForcedBatchInAGrownSegmentIsCorruption() {
        LogRecord damaged;
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            commitUntil(log, INITIAL + 1000, 400, 0);
            damaged = commit(log, 1, 300);
            commitUntil(log, 3 * INITIAL, 400, 100);
        }
        try {
            flipByte(segmentOf(dir, damaged.lsn()), offsetOf(dir, damaged.lsn()) + 9 + 10);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThrows(CorruptionException.class, () -> LogReader.readAll(dir, 0));
    }

    /**
     * A write that fails while the segment grows (half its bytes land, as a torn write does),
     * either the growth's zeros or the records after them: the log fails, nothing is reported
     * durable that was not, and the reopened log reads every durable record and grows on.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aFailedWriteDuringAGrowthFailsTheLogAndLosesNothingDurable(int failingWrite) throws IOException {
        FaultInjectingChannelFactory factory = new FaultInjectingChannelFactory().faultsOnly(WalTestSupport::isSegment);
        List<LogRecord> durable;
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, factory)) {
            durable = commitUntil(log, INITIAL - 2000, 400, 0);
            long before = log.durableLsn();
            factory.failWrite(failingWrite); // 1: the zeros of the growth; 2: the batch written into it
            long end = log.append((byte) 1, payload(9, 5000));
            GraphException e = assertThrows(GraphException.class, () -> log.awaitDurable(end));
            assertTrue(e.getMessage().contains(failingWrite == 1 ? "cannot grow" : "cannot write"), e.getMessage());
            assertEquals(before, log.durableLsn());
        }
        List<LogRecord> read = LogReader.readAll(dir, 0);
        assertEquals(durable, read, "the durable records, and not the failed one");
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            durable.addAll(commitUntil(log, 3 * INITIAL, 700, 20_000));
        }
        assertEquals(durable, LogReader.readAll(dir, 0));
    }

    @Test
    void aFullDiskShowsWhenTheSegmentGrowsAndLosesNothingDurable() {
        FaultInjectingChannelFactory factory = new FaultInjectingChannelFactory().faultsOnly(WalTestSupport::isSegment);
        List<LogRecord> durable;
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, factory)) {
            durable = commitUntil(log, INITIAL - 2000, 400, 0);
            factory.diskFullAfter(INITIAL / 2); // less than the growth's zeros
            long end = log.append((byte) 1, payload(9, 5000));
            GraphException e = assertThrows(GraphException.class, () -> log.awaitDurable(end));
            assertTrue(e.getMessage().contains("cannot grow") && e.getMessage().contains("No space left on device"),
                    e.getMessage());
        }
        assertEquals(durable, LogReader.readAll(dir, 0));
    }
}

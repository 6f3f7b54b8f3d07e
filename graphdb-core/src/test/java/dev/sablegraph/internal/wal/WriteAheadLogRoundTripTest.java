package dev.sablegraph.internal.wal;

import static dev.sablegraph.internal.wal.WalTestSupport.firstLsn;
import static dev.sablegraph.internal.wal.WalTestSupport.payload;
import static dev.sablegraph.internal.wal.WalTestSupport.segments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Append, await, read back across segment boundaries, reopen and go on. */
class WriteAheadLogRoundTripTest {
    private static final long SEGMENT = 4096;

    @TempDir
    Path dir;

    /** Appends {@code count} records of varied sizes, awaiting some; returns what should be read back. */
    private static List<LogRecord> appendSome(WriteAheadLog log, int count, long seed) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Mostly small, some near the 1 KiB size, a few of several KiB: several per segment.
            int size = i % 17 == 0 ? 2500 + i % 900 : 1 + (int) ((seed + i * 37L) % 700);
            byte type = (byte) (i % 7 - 3 + (i % 7 == 2 ? 7 : 0)); // -3..4, never the log's own -1
            byte[] p = payload(seed * 100_000 + i, size);
            long before = log.endLsn();
            long end = log.append(type, p);
            long start = end - RecordFrame.HEADER_SIZE - size;
            // The first record of a batch follows the batch's durable-progress mark.
            assertTrue(start == before || start == before + RecordFrame.DURABLE_MARK_BYTES,
                    "LSNs are byte positions, contiguous: " + before + " -> " + start);
            out.add(new LogRecord(start, type, p));
            if (i % 10 == 0) {
                log.awaitDurable(end);
                assertTrue(log.durableLsn() >= end);
            }
        }
        return out;
    }

    @Test
    void roundTripAcrossSegmentsAndReopen() throws IOException {
        List<LogRecord> expected = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            assertEquals(0, log.endLsn());
            expected.addAll(appendSome(log, 300, 1));
            log.awaitDurable(log.endLsn());
            assertEquals(log.endLsn(), log.durableLsn());
        }
        List<Path> files = segments(dir);
        assertTrue(files.size() > 10, "records span many segments: " + files.size());
        for (Path f : files) {
            assertEquals(SEGMENT, Files.size(f), "segments are preallocated to their full size");
        }
        assertEquals(expected, LogReader.readAll(dir, 0));

        // Every segment's name is the LSN of its first record.
        Set<Long> starts = expected.stream().map(LogRecord::lsn).collect(Collectors.toSet());
        for (Path f : files) {
            long first = firstLsn(f);
            assertTrue(starts.contains(first) || starts.contains(first + RecordFrame.DURABLE_MARK_BYTES),
                    f + " starts at a record (or the mark before one)");
        }

        long end = expected.get(expected.size() - 1).endLsn();
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            assertEquals(end, log.endLsn(), "reopening continues after the last record");
            assertEquals(end, log.durableLsn());
            expected.addAll(appendSome(log, 100, 2));
        }
        assertEquals(expected, LogReader.readAll(dir, 0));

        // Reading from a record in the middle returns it and everything after it.
        int k = 217;
        assertEquals(expected.subList(k, expected.size()), LogReader.readAll(dir, expected.get(k).lsn()));
        LogReader reader = LogReader.open(dir, 0);
        reader.forEachRemaining(r -> { });
        LogEnd logEnd = reader.end();
        assertEquals(expected.get(expected.size() - 1).endLsn(), logEnd.lsn());
        assertFalse(logEnd.tornTail(), String.valueOf(logEnd.damage()));
    }

    @Test
    void recordsFillingASegmentExactlyOrNearlyStartTheNextOne() throws IOException {
        List<LogRecord> expected = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            int max = log.maxPayloadBytes();
            assertEquals(SEGMENT - 32 - 9, max);
            // Segments: [max-6 (6 bytes left: too few for a header)] [10] [max] [max] [1, then max-9
            // does not fit] [max-9 (9 bytes left: a header, but not the next record)] [1, 3].
            // (The first record follows its batch's durable-progress mark.)
            int[] sizes = {max - 6 - RecordFrame.DURABLE_MARK_BYTES, 10, max, max, 1, max - 9, 1, 3};
            for (int i = 0; i < sizes.length; i++) {
                byte[] p = payload(i, sizes[i]);
                long lsn = log.append((byte) i, p) - RecordFrame.HEADER_SIZE - p.length;
                expected.add(new LogRecord(lsn, (byte) i, p));
            }
            log.awaitDurable(log.endLsn());
        }
        assertEquals(expected, LogReader.readAll(dir, 0));
        assertEquals(7, segments(dir).size());
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            byte[] p = payload(99, 50);
            long lsn = log.append((byte) 9, p) - RecordFrame.HEADER_SIZE - p.length;
            log.awaitDurable(lsn + RecordFrame.HEADER_SIZE + p.length);
            expected.add(new LogRecord(lsn, (byte) 9, p));
        }
        assertEquals(expected, LogReader.readAll(dir, 0));
    }

    @Test
    void recordsLargerThanTheAppendBufferGoThrough() throws IOException {
        List<LogRecord> expected = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(dir, 1 << 20, ChannelFactory.DEFAULT, 512)) {
            for (int i = 0; i < 200; i++) {
                byte[] p = payload(i, i % 9 == 0 ? 5000 + i : 1 + i * 3);
                long lsn = log.append((byte) 1, p) - RecordFrame.HEADER_SIZE - p.length;
                expected.add(new LogRecord(lsn, (byte) 1, p));
            }
            assertTrue(log.durableLsn() < log.endLsn());
        }
        assertEquals(expected, LogReader.readAll(dir, 0), "close makes everything appended durable");
    }

    @Test
    void emptyLogAndArgumentChecks() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            log.awaitDurable(0);
            assertThrows(IllegalArgumentException.class, () -> log.append((byte) 0, new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> log.append((byte) 0, new byte[log.maxPayloadBytes() + 1]));
            assertThrows(IllegalArgumentException.class, () -> log.awaitDurable(1));
        }
        assertEquals(List.of(), LogReader.readAll(dir, 0));
        assertEquals(1, segments(dir).size());
        assertThrows(IllegalArgumentException.class, () -> WriteAheadLog.open(dir, 100, ChannelFactory.DEFAULT));
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            assertEquals(0, log.endLsn());
        }
    }

    @Test
    void closedLogRefusesWork() {
        WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT);
        long end = log.append((byte) 1, new byte[] {1, 2, 3});
        log.close();
        log.close();
        assertEquals(end, log.durableLsn());
        log.awaitDurable(end); // durable before the close: fine
        GraphException e = assertThrows(GraphException.class, () -> log.append((byte) 1, new byte[] {1}));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void leftOverTemporarySegmentIsDeletedOnOpen() throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("wal-0000000000000000.log.tmp");
        Files.write(tmp, new byte[100]);
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            log.awaitDurable(log.append((byte) 1, new byte[] {7}));
        }
        assertFalse(Files.exists(tmp));
        assertEquals(1, LogReader.readAll(dir, 0).size());
    }
}

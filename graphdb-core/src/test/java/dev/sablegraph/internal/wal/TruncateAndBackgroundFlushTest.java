package dev.sablegraph.internal.wal;

import static dev.sablegraph.internal.wal.WalTestSupport.firstLsn;
import static dev.sablegraph.internal.wal.WalTestSupport.payload;
import static dev.sablegraph.internal.wal.WalTestSupport.segments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code truncateBefore} drops only whole older segments; the background flusher makes appends durable. */
class TruncateAndBackgroundFlushTest {
    private static final long SEGMENT = 4096;

    @TempDir
    Path dir;

    private static List<LogRecord> append(WriteAheadLog log, int n) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] p = payload(i, 200 + i % 100);
            long lsn = log.append((byte) 3, p) - RecordFrame.HEADER_SIZE - p.length;
            out.add(new LogRecord(lsn, (byte) 3, p));
        }
        return out;
    }

    @Test
    void truncateBeforeDeletesOnlyWholeOlderSegments() throws IOException {
        List<LogRecord> records;
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            records = append(log, 150);
            log.awaitDurable(log.endLsn());
            List<Path> before = segments(dir);
            assertTrue(before.size() >= 8, before.size() + " segments");
            Path fifth = before.get(4);

            // A checkpoint in the middle of the fifth segment: the four before it go.
            long checkpoint = firstLsn(fifth) + 1;
            LogRecord firstKept = records.stream().filter(r -> r.lsn() >= firstLsn(fifth)).findFirst().orElseThrow();
            assertEquals(0, log.truncateBefore(firstLsn(before.get(0))));
            assertEquals(4, log.truncateBefore(checkpoint));
            assertEquals(before.subList(4, before.size()), segments(dir));
            assertEquals(0, log.truncateBefore(checkpoint), "idempotent");

            // Exactly at the seventh segment's first LSN: it is kept, the fifth and sixth go.
            assertEquals(2, log.truncateBefore(firstLsn(before.get(6))));
            assertEquals(before.subList(6, before.size()), segments(dir));

            // Appending goes on; truncating at the end keeps the newest segment.
            records.addAll(append(log, 20));
            log.awaitDurable(log.endLsn());
            log.truncateBefore(log.endLsn());
            assertEquals(1, segments(dir).size());
            assertThrows(IllegalArgumentException.class, () -> log.truncateBefore(log.endLsn() + 1));
            assertTrue(firstKept.lsn() < firstLsn(segments(dir).get(0)));
        }
        long oldest = firstLsn(segments(dir).get(0));
        List<LogRecord> kept = records.stream().filter(r -> r.lsn() >= oldest).toList();
        assertEquals(kept, LogReader.readAll(dir, oldest));
        CorruptionException e = assertThrows(CorruptionException.class, () -> LogReader.readAll(dir, 0));
        assertTrue(e.getMessage().contains("older segments were deleted"), e.getMessage());
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            assertEquals(records.get(records.size() - 1).endLsn(), log.endLsn(), "LSNs go on after truncation");
        }
    }

    @Test
    void backgroundFlusherMakesAppendsDurableWithoutWaiters() throws InterruptedException {
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            assertThrows(IllegalStateException.class, log::flushAsync);
            log.startBackgroundFlush(5);
            assertThrows(IllegalStateException.class, () -> log.startBackgroundFlush(5));
            append(log, 50);
            awaitDurableByPolling(log, log.endLsn());
        }
        assertEquals(50, LogReader.readAll(dir, 0).size());
        Thread.sleep(50);
        assertFalse(flusherAlive(), "close stops the flusher");
    }

    @Test
    void flushAsyncWakesTheFlusherAtOnce() {
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            log.startBackgroundFlush(3_600_000);
            List<LogRecord> records = append(log, 10);
            log.flushAsync();
            awaitDurableByPolling(log, log.endLsn());
            assertEquals(records, LogReader.readAll(dir, 0));
        }
    }

    @Test
    void closeMakesAppendsDurable() {
        List<LogRecord> records;
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            log.startBackgroundFlush(3_600_000);
            records = append(log, 70);
        }
        assertEquals(records, LogReader.readAll(dir, 0));
    }

    /** Waits for the background flusher; the timeout only keeps a broken flusher from hanging CI. */
    private static void awaitDurableByPolling(WriteAheadLog log, long lsn) {
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
            while (log.durableLsn() < lsn) {
                Thread.onSpinWait();
            }
        }, () -> "the background flusher never made " + lsn + " durable (at " + log.durableLsn() + ")");
    }

    private static boolean flusherAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("sable-wal-flusher") && t.isAlive());
    }
}

package dev.sablegraph.internal.wal;

import static dev.sablegraph.internal.wal.WalTestSupport.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphException;
import dev.sablegraph.testkit.FaultInjectingChannelFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An I/O error fails the log for good: the failing call and every later one throw a clear
 * message, nothing is reported durable that was not forced, and what was durable before the
 * failure is read back after reopening.
 */
class WalFaultTest {
    private static final long SEGMENT = 4096;

    @TempDir
    Path dir;

    private final FaultInjectingChannelFactory factory =
            new FaultInjectingChannelFactory().faultsOnly(WalTestSupport::isSegment);

    /** Appends and awaits {@code n} records; returns them. */
    private static List<LogRecord> commit(WriteAheadLog log, int n, long seed) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] p = payload(seed + i, 100 + i % 50);
            long lsn = log.append((byte) 1, p) - RecordFrame.HEADER_SIZE - p.length;
            log.awaitDurable(lsn + RecordFrame.HEADER_SIZE + p.length);
            out.add(new LogRecord(lsn, (byte) 1, p));
        }
        return out;
    }

    private static void assertFailedMessage(GraphException e, String cause) {
        assertTrue(e.getMessage().startsWith("write-ahead log failed: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; reopen the database"), e.getMessage());
        assertTrue(e.getMessage().contains(cause), "names the cause '" + cause + "': " + e.getMessage());
    }

    /** After a failure: later calls fail the same way, even though the disk works again. */
    private static void assertStaysFailed(WriteAheadLog log, long durableBefore, String cause) {
        assertTrue(log.failed());
        assertFailedMessage(assertThrows(GraphException.class, () -> log.append((byte) 1, new byte[] {1})), cause);
        assertFailedMessage(assertThrows(GraphException.class, () -> log.awaitDurable(log.endLsn())), cause);
        assertEquals(durableBefore, log.durableLsn(), "nothing more is reported durable");
        log.awaitDurable(durableBefore); // was durable before the failure: still true
    }

    /** Reopens with a healthy file system: the durable records come back first. */
    private void assertDurableRecordsSurvive(List<LogRecord> durable) {
        List<LogRecord> read = LogReader.readAll(dir, 0);
        assertTrue(read.size() >= durable.size(), read.size() + " records read");
        assertEquals(durable, read.subList(0, durable.size()));
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            List<LogRecord> more = commit(log, 20, 500);
            List<LogRecord> all = LogReader.readAll(dir, 0);
            assertEquals(more, all.subList(all.size() - more.size(), all.size()), "the reopened log works");
        }
    }

    @Test
    void failedWrite() {
        List<LogRecord> durable;
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, factory)) {
            durable = commit(log, 30, 0);
            long before = log.durableLsn();
            factory.failWrite(1);
            long end = log.append((byte) 1, payload(99, 300));
            GraphException e = assertThrows(GraphException.class, () -> log.awaitDurable(end));
            assertFailedMessage(e, "injected write failure");
            assertTrue(e.getMessage().contains("wal-"), "names the segment: " + e.getMessage());
            assertStaysFailed(log, before, "injected write failure");
        }
        assertDurableRecordsSurvive(durable);
    }

    @Test
    void failedForce() {
        List<LogRecord> durable;
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, factory)) {
            durable = commit(log, 30, 0);
            long before = log.durableLsn();
            factory.failForce(1);
            long end = log.append((byte) 1, payload(99, 300));
            GraphException e = assertThrows(GraphException.class, () -> log.awaitDurable(end));
            assertFailedMessage(e, "injected force failure");
            assertTrue(e.getMessage().contains("cannot force"), e.getMessage());
            // The next force would succeed; the log must not try it and call the record durable.
            assertStaysFailed(log, before, "injected force failure");
        }
        assertDurableRecordsSurvive(durable);
    }

    @Test
    void diskFull() throws IOException {
        List<LogRecord> durable = new ArrayList<>();
        String failure;
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, factory)) {
            // Room for a few segments' worth; it runs out in a commit or while creating a segment.
            factory.diskFullAfter(3 * SEGMENT + 1000);
            try {
                for (int i = 0; ; i++) {
                    byte[] p = payload(i, 100 + i % 50);
                    long lsn = log.append((byte) 1, p) - RecordFrame.HEADER_SIZE - p.length;
                    log.awaitDurable(lsn + RecordFrame.HEADER_SIZE + p.length);
                    durable.add(new LogRecord(lsn, (byte) 1, p));
                }
            } catch (GraphException e) {
                failure = e.getMessage();
            }
            assertFailedMessage(new GraphException(failure), "No space left on device");
            assertStaysFailed(log, log.durableLsn(), "No space left on device");
        }
        assertTrue(durable.size() > 40, durable.size() + " records before the disk filled");
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".tmp")), "no half-made segment is left behind");
        }
        assertDurableRecordsSurvive(durable);
    }

    @Test
    void failedWriteOfAFullAppendBufferFailsThatAppend() {
        try (WriteAheadLog log = WriteAheadLog.open(dir, 1 << 20, factory, 1024)) {
            factory.failWrite(1);
            GraphException e = assertThrows(GraphException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    log.append((byte) 1, payload(i, 100)); // no waiting: only the full buffer writes
                }
            });
            assertFailedMessage(e, "injected write failure");
            assertStaysFailed(log, 0, "injected write failure");
        }
    }

    /** Committers waiting on a force that fails all wake up with the failure; none hangs. */
    @Test
    void failedForceWakesEveryWaiter() throws Exception {
        factory.slowForces(2000);
        try (WriteAheadLog log = WriteAheadLog.open(dir, 1 << 20, factory)) {
            factory.failForce(3);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            AtomicInteger failed = new AtomicInteger();
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        try {
                            for (int i = 0; i < 1000; i++) {
                                log.awaitDurable(log.append((byte) 1, payload(thread * 1000L + i, 64)));
                            }
                        } catch (GraphException e) {
                            assertFailedMessage(e, "injected force failure");
                            failed.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(6, failed.get(), "every committer saw the failure");
            assertTrue(log.failed());
        }
    }
}

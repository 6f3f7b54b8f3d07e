package dev.sablegraph.internal.wal;

import static dev.sablegraph.internal.wal.WalTestSupport.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.testkit.FaultInjectingChannelFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A committer interrupted while the log writes or forces for it: a plain {@code FileChannel}
 * closes itself then, which used to fail the log for every thread, and the record the failed
 * commit was told about was on disk after all. The log must go on and every acknowledged record
 * must be there once (that the interrupted thread keeps its status: InterruptSafeChannelTest).
 */
class LogInterruptTest {
    private static final long SEGMENT = 4096;

    @TempDir
    Path dir;

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted(); // a failing test must not leave JUnit's thread interrupted
    }

    /** Appends and awaits {@code n} records; returns them. */
    private static List<LogRecord> commit(WriteAheadLog log, int n, long seed) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] p = payload(seed + i, 100 + i % 50);
            long end = log.append((byte) 1, p);
            log.awaitDurable(end);
            out.add(new LogRecord(end - RecordFrame.HEADER_SIZE - p.length, (byte) 1, p));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"segment write", "segment force", "new segment write", "new segment force",
            "directory force"})
    void anInterruptDuringTheLogsIoFailsNothingAndLosesNothing(String where) throws IOException {
        FaultInjectingChannelFactory factory = new FaultInjectingChannelFactory();
        List<LogRecord> all = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, factory)) {
            all.addAll(commit(log, 10, 0));
            switch (where) {
                case "segment write" -> factory.faultsOnly(WalTestSupport::isSegment).interruptWrite(1);
                case "segment force" -> factory.faultsOnly(WalTestSupport::isSegment).interruptForce(1);
                case "new segment write" -> factory.faultsOnly(p -> p.toString().endsWith(".tmp")).interruptWrite(1);
                case "new segment force" -> factory.faultsOnly(p -> p.toString().endsWith(".tmp")).interruptForce(1);
                default -> factory.faultsOnly(dir::equals).interruptForce(1);
            }
            // 40 records of 113 to 162 bytes: past the end of the 4 KiB segment, so a new one is made.
            all.addAll(commit(log, 40, 100));
            // The committer forces for itself while the flusher is idle; on a busy machine the
            // flusher may have done it. Either way the interrupt was sent and the log goes on.
            assertEquals(1, factory.interruptsSent(), "the thread doing the I/O was interrupted");
            assertFalse(log.failed(), "an interrupt is not an I/O failure");
            all.addAll(commit(log, 10, 200));
        }
        assertTrue(WalTestSupport.segments(dir).size() > 1, "the test crossed a segment boundary");
        assertEquals(all, LogReader.readAll(dir, 0), "every acknowledged record, once, in order");
    }
}

package dev.sablegraph.internal.wal;

import static dev.sablegraph.internal.wal.WalTestSupport.flipByte;
import static dev.sablegraph.internal.wal.WalTestSupport.offsetOf;
import static dev.sablegraph.internal.wal.WalTestSupport.payload;
import static dev.sablegraph.internal.wal.WalTestSupport.putInt;
import static dev.sablegraph.internal.wal.WalTestSupport.segmentOf;
import static dev.sablegraph.internal.wal.WalTestSupport.segments;
import static dev.sablegraph.internal.wal.WalTestSupport.truncate;
import static dev.sablegraph.internal.wal.WalTestSupport.zero;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crash can leave the last record incomplete or garbled. The reader returns every record before
 * it and reports where the log ends; the writer reopens there, overwrites the torn bytes, and a
 * later read sees a clean log.
 */
class TornTailTest {
    private static final long SEGMENT = 8192;
    private static final int LAST_PAYLOAD = 300;

    @TempDir
    Path dir;

    /** Ways a crash (or a test) can damage the last record, at file offset {@code at}. */
    enum Damage {
        CUT_IN_HEADER {
            @Override
            void apply(Path file, long at, int payload) throws IOException {
                truncate(file, at + 5);
            }
        },
        CUT_IN_PAYLOAD {
            @Override
            void apply(Path file, long at, int payload) throws IOException {
                truncate(file, at + 9 + payload / 2);
            }
        },
        /** The page holding the second half of the payload never reached the disk. */
        PAYLOAD_HALF_ZERO {
            @Override
            void apply(Path file, long at, int payload) throws IOException {
                zero(file, at + 9 + payload / 2, at + 9 + payload);
            }
        },
        FLIPPED_PAYLOAD_BYTE {
            @Override
            void apply(Path file, long at, int payload) throws IOException {
                flipByte(file, at + 9 + payload - 1);
            }
        },
        FLIPPED_CHECKSUM_BYTE {
            @Override
            void apply(Path file, long at, int payload) throws IOException {
                flipByte(file, at + 5);
            }
        },
        FLIPPED_TYPE_BYTE {
            @Override
            void apply(Path file, long at, int payload) throws IOException {
                flipByte(file, at + 8);
            }
        },
        ZERO_LENGTH {
            @Override
            void apply(Path file, long at, int payload) throws IOException {
                putInt(file, at, 0);
            }
        },
        /** A length that runs past the end of the segment. */
        HUGE_LENGTH {
            @Override
            void apply(Path file, long at, int payload) throws IOException {
                putInt(file, at, 0x7000_0000);
            }
        },
        /** A plausible length, longer than the record: its checksum covers bytes that are not its own. */
        LONGER_LENGTH {
            @Override
            void apply(Path file, long at, int payload) throws IOException {
                putInt(file, at, payload + 1000);
            }
        };

        abstract void apply(Path file, long at, int payload) throws IOException;
    }

    /** Writes records over three segments; the last one has a {@link #LAST_PAYLOAD}-byte payload. */
    private List<LogRecord> writeLog() throws IOException {
        List<LogRecord> records = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            for (int i = 0; i < 90; i++) {
                byte[] p = payload(i, i == 89 ? LAST_PAYLOAD : 100 + i * 13 % 250);
                long lsn = log.append((byte) (i % 3), p) - RecordFrame.HEADER_SIZE - p.length;
                log.awaitDurable(lsn + RecordFrame.HEADER_SIZE + p.length);
                records.add(new LogRecord(lsn, (byte) (i % 3), p));
            }
        }
        assertEquals(3, segments(dir).size(), "the torn record is in the last of several segments");
        return records;
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void readerStopsBeforeTheTornRecordAndTheWriterContinuesThere(Damage damage) throws IOException {
        List<LogRecord> records = writeLog();
        LogRecord last = records.remove(records.size() - 1);
        Path segment = segmentOf(dir, last.lsn());
        damage.apply(segment, offsetOf(dir, last.lsn()), LAST_PAYLOAD);

        LogReader reader = LogReader.open(dir, 0);
        List<LogRecord> read = new ArrayList<>();
        reader.forEachRemaining(read::add);
        assertEquals(records, read, "every record before the torn one");
        LogEnd end = reader.end();
        assertEquals(last.lsn(), end.lsn());
        assertEquals(segment, end.segment());
        assertTrue(end.tornTail(), "reported as a torn tail");

        // The writer continues at the torn record's LSN; a shorter record leaves torn bytes behind
        // it unless the writer zeroed them.
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            assertEquals(last.lsn(), log.endLsn());
            for (int i = 0; i < 3; i++) {
                byte[] p = payload(1000 + i, 20 + i);
                long lsn = log.append((byte) 7, p) - RecordFrame.HEADER_SIZE - p.length;
                log.awaitDurable(lsn + RecordFrame.HEADER_SIZE + p.length);
                records.add(new LogRecord(lsn, (byte) 7, p));
            }
        }
        reader = LogReader.open(dir, 0);
        read.clear();
        reader.forEachRemaining(read::add);
        assertEquals(records, read);
        assertFalse(reader.end().tornTail(), "clean after reopening: " + reader.end().damage());

        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            assertEquals(records.get(records.size() - 1).endLsn(), log.endLsn());
        }
    }

    @Test
    void cutAtARecordBoundaryIsACleanEnd() throws IOException {
        List<LogRecord> records = writeLog();
        LogRecord last = records.remove(records.size() - 1);
        truncate(segmentOf(dir, last.lsn()), offsetOf(dir, last.lsn()));
        LogReader reader = LogReader.open(dir, 0);
        List<LogRecord> read = new ArrayList<>();
        reader.forEachRemaining(read::add);
        assertEquals(records, read);
        assertFalse(reader.end().tornTail());
        // The shortened segment is still appended to, growing again up to the segment size.
        try (WriteAheadLog log = WriteAheadLog.open(dir, SEGMENT, ChannelFactory.DEFAULT)) {
            for (int i = 0; i < 5; i++) {
                byte[] p = payload(i, 500);
                long lsn = log.append((byte) 1, p) - RecordFrame.HEADER_SIZE - p.length;
                log.awaitDurable(lsn + RecordFrame.HEADER_SIZE + p.length);
                records.add(new LogRecord(lsn, (byte) 1, p));
            }
        }
        assertEquals(records, LogReader.readAll(dir, 0));
        assertEquals(3, segments(dir).size());
        assertEquals(SEGMENT, Files.size(segmentOf(dir, last.lsn())), "grown back to the segment size");
    }

    /**
     * A torn, incompressible 1 MiB record at the end of a 64 MiB segment: every offset in it with
     * a plausible length is a candidate record. Checking each candidate by re-reading its payload
     * would checksum terabytes; the prefix-checksum scan takes well under a second.
     */
    @Test
    void largeTornRecordInALargeSegmentIsScannedQuickly() throws IOException {
        byte[] big = payload(5, 1 << 20);
        long lsn;
        try (WriteAheadLog log = WriteAheadLog.open(dir)) {
            log.awaitDurable(log.append((byte) 1, new byte[] {1, 2, 3}));
            lsn = log.append((byte) 2, big) - RecordFrame.HEADER_SIZE - big.length;
            log.awaitDurable(lsn + RecordFrame.HEADER_SIZE + big.length);
        }
        Path segment = segmentOf(dir, lsn);
        flipByte(segment, offsetOf(dir, lsn) + 9 + 12345);
        List<LogRecord> read = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> LogReader.readAll(dir, 0));
        assertEquals(1, read.size());
        try (WriteAheadLog log = WriteAheadLog.open(dir)) {
            assertEquals(lsn, log.endLsn());
        }
    }
}

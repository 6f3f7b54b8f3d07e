package dev.sablegraph.internal.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WriteAheadLog#createEmpty}: a log with no record that continues at a given position, as a
 * backup's copy needs beside its checkpoint. Readers find its end there at once; appends continue
 * there, growing the small first segment, and read back after a reopen.
 */
class EmptyLogTest {
    private static final long START = 123_456;

    @TempDir
    Path dir;

    @Test
    void anEmptyLogEndsAndContinuesAtItsStart() {
        Path wal = dir.resolve("wal");
        WriteAheadLog.createEmpty(wal, START);

        assertEquals(1, WriteAheadLog.segmentFiles(wal).size());
        LogReader reader = LogReader.open(wal, START);
        assertFalse(reader.hasNext());
        assertEquals(START, reader.end().lsn());

        byte[] big = WalTestSupport.payload(1, 6000); // larger than the small first segment holds
        byte[] small = WalTestSupport.payload(2, 100);
        try (WriteAheadLog log = WriteAheadLog.open(wal, WriteAheadLog.DEFAULT_SEGMENT_BYTES, ChannelFactory.DEFAULT)) {
            assertEquals(START, log.endLsn());
            log.append((byte) 1, small);
            log.awaitDurable(log.append((byte) 1, big));
        }
        List<LogRecord> records = LogReader.readAll(wal, START);
        assertEquals(2, records.size());
        assertArrayEquals(small, records.get(0).payload());
        assertArrayEquals(big, records.get(1).payload());
        assertTrue(records.get(0).lsn() >= START);
        // segments grow as records need room: the small first segment grew to hold the big record
        assertEquals(1, WriteAheadLog.segmentFiles(wal).size(), "the first segment grew in place");
    }

    @Test
    void aDirectoryWithALogIsRefused() {
        Path wal = dir.resolve("wal");
        WriteAheadLog.createEmpty(wal, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WriteAheadLog.createEmpty(wal, 64));
        assertTrue(e.getMessage().contains("already holds log segments"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WriteAheadLog.createEmpty(dir.resolve("other"), -1));
    }
}

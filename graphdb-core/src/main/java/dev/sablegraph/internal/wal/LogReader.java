package dev.sablegraph.internal.wal;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.storage.InterruptSafeChannel;
import dev.sablegraph.internal.wal.RecordFrame.Stop;
import dev.sablegraph.internal.wal.SegmentFiles.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a log directory for recovery: the records with LSN ≥ {@code fromLsn}, in log order across
 * segments, then {@link #end()}: where the valid log ends. Not for use while a
 * {@link WriteAheadLog} appends to the same directory.
 *
 * <h2>Tail or damage</h2>
 *
 * <p>The records of a segment stop at the first offset that does not hold a verified record: an
 * end mark (a zero length, or fewer than 9 bytes left, all zero) or damage (a record cut short,
 * a length running past the file, a checksum mismatch). Which of these is the end of the log and
 * which is corruption:
 *
 * <ul>
 *   <li>If a later offset of the segment holds a valid record ({@link TailScanner}), the log went
 *       on past the stop. In a segment followed by another that is {@link CorruptionException},
 *       whatever the stop was. In the last segment it is corruption only when a valid
 *       durable-progress mark after the stop ({@link RecordFrame#DURABLE_MARK}, the first record
 *       of every batch the writer writes) says the log had been forced past the stop before its
 *       batch was written. Otherwise the stop lies in writes that were never forced — a power
 *       loss may keep any subset of an unforced write's pages — and no commit after it was
 *       acknowledged: a torn tail, cut with everything after it. (Damage to the last forced
 *       batch, with no later batch to vouch for it, cannot be told from such a tear.)</li>
 *   <li>In a segment followed by another, damage is corruption: the writer forces a segment whole
 *       before it creates the next one, so only the newest segment can hold a torn write. An end
 *       mark ends the segment, and the next one must start at exactly that LSN (else the log has a
 *       gap: corruption). Stray bytes after an end mark there hold no record and are ignored.</li>
 *   <li>In the last segment the stop is the end of the log; if it was damage, or stray bytes
 *       follow the end mark, that is a torn tail, reported by {@link LogEnd#damage()}.</li>
 * </ul>
 *
 * <p>A segment header that does not verify is corruption (headers are written and forced before
 * the segment gets its name). Corruption names the segment file and gives the byte offset.
 *
 * <p>Segments are memory-mapped read-only, one at a time.
 */
public final class LogReader implements Iterator<LogRecord> {
    private final Path directory;
    private final ChannelFactory factory;
    private final List<Segment> segments;
    private final long fromLsn;
    /** False when only the end is wanted (the writer's open): records are verified, not copied. */
    private final boolean keepRecords;
    /** Index in {@link #segments} of the segment being read. */
    private int index;
    /** The mapped segment, or null between segments. */
    private ByteBuffer segment;
    /** Offset of the next record in {@link #segment}. */
    private int offset;
    /** LSN the segment at {@link #index} must start at; -1 for the first segment read. */
    private long expectedFirstLsn = -1;
    private LogRecord next;
    private LogEnd end;

    private LogReader(Path directory, ChannelFactory factory, List<Segment> segments, long fromLsn,
            boolean keepRecords) {
        this.directory = directory;
        this.factory = factory;
        this.segments = segments;
        this.fromLsn = fromLsn;
        this.keepRecords = keepRecords;
    }

    public static LogReader open(Path walDirectory, long fromLsn) {
        return open(walDirectory, fromLsn, ChannelFactory.DEFAULT);
    }

    /**
     * A reader of the records with LSN ≥ {@code fromLsn}. Reading starts at the segment holding
     * {@code fromLsn}; older segments are not read. Records from an LSN the log no longer holds
     * (older segments deleted), or beyond its end, are a {@link CorruptionException}: recovery
     * asking for them means log it needs is missing.
     */
    public static LogReader open(Path walDirectory, long fromLsn, ChannelFactory factory) {
        return open(walDirectory, fromLsn, factory, true);
    }

    /** Reads from {@code fromLsn} to the end without returning records: where does the log end? */
    static LogEnd findEnd(Path walDirectory, long fromLsn, ChannelFactory factory) {
        LogReader reader = open(walDirectory, fromLsn, factory, false);
        if (reader.hasNext()) {
            throw new AssertionError("a reader that keeps no records returned one");
        }
        return reader.end();
    }

    private static LogReader open(Path walDirectory, long fromLsn, ChannelFactory factory, boolean keepRecords) {
        if (fromLsn < 0) {
            throw new IllegalArgumentException("fromLsn " + fromLsn);
        }
        List<Segment> segments;
        try {
            segments = SegmentFiles.list(walDirectory);
        } catch (IOException e) {
            throw new GraphException("cannot list log directory " + walDirectory + ": " + e.getMessage(), e);
        }
        LogReader reader = new LogReader(walDirectory, factory, segments, fromLsn, keepRecords);
        reader.start();
        return reader;
    }

    /** All records with LSN ≥ {@code fromLsn}. */
    public static List<LogRecord> readAll(Path walDirectory, long fromLsn) {
        List<LogRecord> out = new ArrayList<>();
        open(walDirectory, fromLsn).forEachRemaining(out::add);
        return out;
    }

    private void start() {
        if (segments.isEmpty()) {
            if (fromLsn > 0) {
                throw new CorruptionException(directory, -1,
                        "no log segments, but records from LSN " + fromLsn + " were requested");
            }
            end = new LogEnd(0, null, SegmentHeader.SIZE, SegmentHeader.SIZE, null);
            return;
        }
        index = -1;
        for (int i = 0; i < segments.size() && segments.get(i).firstLsn() <= fromLsn; i++) {
            index = i;
        }
        if (index < 0) {
            Segment first = segments.get(0);
            throw new CorruptionException(first.path(), -1, "the log starts at LSN " + first.firstLsn()
                    + " (older segments were deleted), but records from LSN " + fromLsn + " were requested");
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && end == null) {
            step();
        }
        return next != null;
    }

    @Override
    public LogRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        LogRecord r = next;
        next = null;
        return r;
    }

    /** Where the valid log ends. Call after {@link #hasNext()} returned false. */
    public LogEnd end() {
        if (end == null) {
            throw new IllegalStateException("the log has not been read to its end");
        }
        return end;
    }

    /** Reads one record, or handles one stop, or opens the next segment. */
    private void step() {
        if (segment == null) {
            openSegment();
            return;
        }
        Segment s = segments.get(index);
        long lsn = s.firstLsn() + offset - SegmentHeader.SIZE;
        Stop stop = RecordFrame.inspect(segment, offset, lsn);
        if (stop != null) {
            stopped(s, stop, lsn);
            return;
        }
        int length = (int) RecordFrame.length(segment, offset);
        byte type = segment.get(offset + RecordFrame.TYPE_OFFSET);
        if (keepRecords && lsn >= fromLsn && type != RecordFrame.DURABLE_MARK) {
            byte[] payload = new byte[length];
            segment.get(offset + RecordFrame.HEADER_SIZE, payload);
            next = new LogRecord(lsn, type, payload);
        }
        offset += RecordFrame.HEADER_SIZE + length;
    }

    private void openSegment() {
        Segment s = segments.get(index);
        try (FileChannel ch = InterruptSafeChannel.open(factory::open, s.path(), StandardOpenOption.READ)) {
            segment = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        } catch (IOException e) {
            throw new GraphException("cannot read log segment " + s.path() + ": " + e.getMessage(), e);
        }
        SegmentHeader.verify(segment, s.path(), s.firstLsn());
        if (expectedFirstLsn >= 0 && s.firstLsn() != expectedFirstLsn) {
            throw new CorruptionException(s.path(), -1, "segment header at offset 0: first LSN " + s.firstLsn()
                    + " does not continue the previous segment " + segments.get(index - 1).path().getFileName()
                    + ", which ends at LSN " + expectedFirstLsn + ": the log has a gap");
        }
        offset = SegmentHeader.SIZE;
    }

    /**
     * The highest durable-progress claim among the valid records from {@code from} on in the
     * segment (-1 if none). Walks runs of valid records, and scans past each further stop.
     */
    private long newestDurableClaim(Segment s, int from) {
        long claim = -1;
        int size = segment.limit();
        for (int o = from; o >= 0; ) {
            while (o <= size - RecordFrame.HEADER_SIZE) {
                long lsn = s.firstLsn() + o - SegmentHeader.SIZE;
                if (RecordFrame.inspect(segment, o, lsn) != null) {
                    break;
                }
                int length = (int) RecordFrame.length(segment, o);
                if (segment.get(o + RecordFrame.TYPE_OFFSET) == RecordFrame.DURABLE_MARK && length == Long.BYTES) {
                    claim = Math.max(claim, segment.getLong(o + RecordFrame.HEADER_SIZE));
                }
                o += RecordFrame.HEADER_SIZE + length;
            }
            o = o > size - RecordFrame.HEADER_SIZE ? -1 : TailScanner.scan(segment, o, s.firstLsn()).nextValidRecord();
        }
        return claim;
    }

    private void stopped(Segment s, Stop stop, long lsn) {
        String where = "offset " + offset + " (LSN " + lsn + ")";
        TailScanner.Result scan = TailScanner.scan(segment, offset, s.firstLsn());
        boolean last = index == segments.size() - 1;
        boolean unforcedAfter = false;
        if (scan.nextValidRecord() >= 0) {
            long claim = last ? newestDurableClaim(s, scan.nextValidRecord()) : Long.MAX_VALUE;
            if (claim > lsn) {
                long laterLsn = s.firstLsn() + scan.nextValidRecord() - SegmentHeader.SIZE;
                throw new CorruptionException(s.path(), -1, stop.description + " at " + where
                        + ", but a valid record follows at offset " + scan.nextValidRecord() + " (LSN " + laterLsn
                        + ")" + (last ? " written after the log was forced up to LSN " + claim : "")
                        + ": the log is damaged before its end");
            }
            unforcedAfter = true;
        }
        if (!last) {
            if (stop.damaged) {
                throw new CorruptionException(s.path(), -1, stop.description + " at " + where
                        + " in a segment followed by " + segments.get(index + 1).path().getFileName()
                        + ": segments are forced whole before the next one is created, so this is damage,"
                        + " not a torn tail");
            }
            expectedFirstLsn = lsn;
            index++;
            segment = null;
            return;
        }
        if (fromLsn > lsn) {
            throw new CorruptionException(s.path(), -1, "the log ends at " + where + ", before LSN " + fromLsn
                    + " from which records were requested");
        }
        String damage = null;
        if (unforcedAfter) {
            damage = stop.description + " at " + where + ", followed by records of writes never forced"
                    + " (a power loss keeps pages of an unforced write in any order)";
        } else if (stop.damaged) {
            damage = stop.description + " at " + where;
        } else if (scan.dirtyEnd() > offset) {
            damage = "stray bytes after the end mark at " + where + ", up to offset " + scan.dirtyEnd();
        }
        end = new LogEnd(lsn, s.path(), offset, scan.dirtyEnd(), damage);
        segment = null;
    }
}

package dev.sablegraph.internal.wal;

import dev.sablegraph.internal.wal.SegmentFiles.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The I/O side of the log: writes runs of whole records into the active segment (growing its file
 * as they need, {@link ActiveSegment#ensureWritable}), starts a new segment where the next record
 * does not fit the segment size, forces, and deletes old segments. Knows nothing of
 * buffers or waiters. {@link #write} and {@link #force} are called only by the holder of the
 * log's flush token, one thread at a time; {@link #deleteSegmentsBefore}, {@link #forces()} and
 * {@link #close} may run on any thread (see each).
 */
final class SegmentWriter implements AutoCloseable {
    private final Path directory;
    private final long segmentBytes;
    private final ChannelFactory factory;
    /** Every segment file by first LSN. {@link #switchSegment} adds; {@link #deleteSegmentsBefore} removes. */
    private final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private final AtomicLong forces = new AtomicLong();
    /** Time spent in forces, and the longest; written by the token holder, read anywhere. */
    private volatile long forceNanosTotal; // guarded by the log's flush token
    private volatile long forceNanosMax; // guarded by the log's flush token
    private ActiveSegment active; // guarded by the log's flush token
    /** Everything below it has been written to the segment files (forced or not). */
    private long writtenLsn; // guarded by the log's flush token
    /** The end of the write in progress or last tried: bytes up to here may be in the files. */
    private long attemptedLsn; // guarded by the log's flush token

    private SegmentWriter(Path directory, long segmentBytes, ChannelFactory factory, ActiveSegment active,
            long endLsn) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.factory = factory;
        this.active = active;
        this.writtenLsn = endLsn;
    }

    /**
     * Opens the log in {@code directory} for appending: creates the first segment of a new log,
     * or finds the end of an existing one ({@link LogReader}, newest segment only), zeros the torn
     * bytes after it and forces the segment, so that what recovery reads from it is durable.
     */
    static SegmentWriter open(Path directory, long segmentBytes, ChannelFactory factory) throws IOException {
        Files.createDirectories(directory);
        SegmentFiles.deleteTemporaries(directory);
        List<Segment> existing = SegmentFiles.list(directory);
        if (existing.isEmpty()) {
            ActiveSegment first = ActiveSegment.create(directory, 0, segmentBytes, factory);
            SegmentWriter w = new SegmentWriter(directory, segmentBytes, factory, first, 0);
            w.segments.put(first.firstLsn, first.path);
            return w;
        }
        Segment last = existing.get(existing.size() - 1);
        LogEnd end = LogReader.findEnd(directory, last.firstLsn(), factory);
        ActiveSegment active = ActiveSegment.open(last.path(), last.firstLsn(), segmentBytes, factory);
        try {
            if (end.dirtyEnd() > end.offset()) {
                active.zero(end.offset(), end.dirtyEnd());
            }
            SegmentWriter w = new SegmentWriter(directory, segmentBytes, factory, active, end.lsn());
            for (Segment s : existing) {
                w.segments.put(s.firstLsn(), s.path());
            }
            w.force();
            return w;
        } catch (IOException | RuntimeException e) {
            try {
                active.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    long writtenLsn() {
        return writtenLsn;
    }

    /**
     * Writes {@code data} (from position 0: whole records, the first at {@code lsn} =
     * {@link #writtenLsn()}) into the active segment, switching segments where the next record
     * does not fit. Token holder only.
     */
    void write(ByteBuffer data, long lsn) throws IOException {
        assert lsn == writtenLsn : "batches are written in LSN order without gaps";
        int pos = 0;
        while (pos < data.limit()) {
            int end = pos;
            long endLsn = lsn;
            while (end < data.limit()) {
                int recordBytes = RecordFrame.HEADER_SIZE + data.getInt(end + RecordFrame.LENGTH_OFFSET);
                if (endLsn + recordBytes > active.limitLsn) {
                    break;
                }
                end += recordBytes;
                endLsn += recordBytes;
            }
            if (end > pos) {
                try {
                    active.ensureWritable(endLsn);
                } catch (IOException e) {
                    throw new IOException("cannot grow " + active.path + " to hold LSN " + endLsn + ": "
                            + e.getMessage(), e);
                }
                attemptedLsn = endLsn;
                try {
                    active.write(data.duplicate().limit(end).position(pos), lsn);
                } catch (IOException e) {
                    throw new IOException("cannot write " + active.path + " at offset " + active.offsetOf(lsn)
                            + ": " + e.getMessage(), e);
                }
                pos = end;
                lsn = endLsn;
                writtenLsn = lsn;
            }
            if (pos < data.limit()) {
                switchSegment(lsn);
            }
        }
    }

    /** Forces the active segment: everything written so far is then durable. Token holder only. */
    void force() throws IOException {
        long start = System.nanoTime(); // two clock reads beside an fsync of 100 µs or more
        try {
            active.force();
        } catch (IOException e) {
            throw new IOException("cannot force " + active.path + ": " + e.getMessage(), e);
        }
        long took = System.nanoTime() - start;
        forceNanosTotal += took;
        if (took > forceNanosMax) {
            forceNanosMax = took;
        }
        forces.incrementAndGet();
    }

    /**
     * Starts a new segment at {@code lsn}. The old one is forced first, so a segment is whole and
     * durable before its successor exists: the reader relies on it to treat damage in any segment
     * but the newest as corruption rather than a torn tail.
     */
    private void switchSegment(long lsn) throws IOException {
        force();
        ActiveSegment next;
        try {
            next = ActiveSegment.create(directory, lsn, segmentBytes, factory);
        } catch (IOException e) {
            throw new IOException("cannot create log segment " + SegmentFiles.path(directory, lsn) + ": "
                    + e.getMessage(), e);
        }
        segments.put(lsn, next.path);
        ActiveSegment old = active;
        active = next;
        old.close();
    }

    /** Forces of segment files: group commits, segment switches (the old segment), and the one at open. */
    long forces() {
        return forces.get();
    }

    /** Time spent in the {@link #forces()}, all together. */
    long forceNanosTotal() {
        return forceNanosTotal;
    }

    /** The longest of the {@link #forces()}. */
    long forceNanosMax() {
        return forceNanosMax;
    }

    /**
     * Deletes the segments whose records all lie below {@code lsn}; returns how many. A segment
     * ends where the next begins, so the newest never qualifies, and the active segment (always
     * the newest) is never touched: safe from any thread, concurrently with writes.
     */
    int deleteSegmentsBefore(long lsn) throws IOException {
        List<Map.Entry<Long, Path>> doomed = new ArrayList<>();
        Iterator<Map.Entry<Long, Path>> it = segments.entrySet().iterator();
        Map.Entry<Long, Path> previous = it.hasNext() ? it.next() : null;
        while (it.hasNext()) {
            Map.Entry<Long, Path> e = it.next();
            if (e.getKey() > lsn) {
                break;
            }
            doomed.add(previous);
            previous = e;
        }
        // Oldest first: a crash part-way leaves the log without a hole. (A deletion that does not
        // survive a crash brings back a segment older than any reader starts at: harmless.)
        for (Map.Entry<Long, Path> e : doomed) {
            Files.deleteIfExists(e.getValue());
            segments.remove(e.getKey());
        }
        if (!doomed.isEmpty()) {
            SegmentFiles.syncDirectory(directory, factory);
        }
        return doomed.size();
    }

    /**
     * Removes every record from {@code lsn} on from the files, after a failed write or force: those
     * records were never acknowledged as durable (a committer returns only once the durable
     * position passes its record), so recovery must not replay them. Segments that start after
     * {@code lsn} are deleted first, then the bytes from {@code lsn} to what was written are zeroed
     * and forced; a crash in between leaves at worst what was there before. Token holder only;
     * the writer is not used for appending afterwards.
     */
    void discardFrom(long lsn) throws IOException {
        List<Map.Entry<Long, Path>> newer = new ArrayList<>(segments.tailMap(lsn, false).entrySet());
        if (!newer.isEmpty()) {
            for (int i = newer.size() - 1; i >= 0; i--) { // newest first: never a hole before a segment
                Map.Entry<Long, Path> e = newer.get(i);
                if (e.getKey().longValue() == active.firstLsn) {
                    active.close();
                }
                Files.deleteIfExists(e.getValue());
                segments.remove(e.getKey());
            }
            SegmentFiles.syncDirectory(directory, factory);
        }
        Map.Entry<Long, Path> holder = segments.floorEntry(lsn);
        if (holder == null) {
            return;
        }
        ActiveSegment segment = holder.getKey() == active.firstLsn && newer.isEmpty()
                ? active
                : ActiveSegment.open(holder.getValue(), holder.getKey(), segmentBytes, factory);
        long to = segment == active
                ? segment.offsetOf(Math.min(segment.fileEndLsn(), Math.max(Math.max(writtenLsn, attemptedLsn), lsn)))
                : segment.offsetOf(segment.fileEndLsn());
        segment.zero(segment.offsetOf(lsn), to);
        segment.force();
        active = segment;
        writtenLsn = lsn;
    }

    Path activePath() {
        return active.path;
    }

    /** Closes the active segment. Call when no thread can write or force any more. */
    @Override
    public void close() throws IOException {
        active.close();
    }
}

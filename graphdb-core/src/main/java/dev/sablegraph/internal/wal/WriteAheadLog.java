package dev.sablegraph.internal.wal;

import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.util.Loggers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write-ahead log: a directory of segment files, preallocated as they grow
 * ({@link ActiveSegment}, {@link SegmentHeader}, {@link RecordFrame}, {@link SegmentFiles}),
 * appended to by many threads, made durable by group commit. This class is the concurrency protocol; {@link SegmentWriter} does the I/O.
 *
 * <h2>LSNs</h2>
 *
 * An LSN is a byte position in the logical log stream: the records of all segments, back to back.
 * A record's LSN is where it starts; {@link #append} returns where it ends, which is what a
 * committer waits for. A segment holds the LSNs from its first (in its name and header) to where
 * its records stop; the next segment starts exactly there. The first segment of a new log starts
 * at LSN 0, so every end LSN is positive.
 *
 * <h2>Appending and group commit</h2>
 *
 * <ul>
 *   <li>{@link #append} frames the record into the filling buffer under {@link #appendLock}: a copy
 *       and a 13-byte checksum (the payload's checksum is computed before the lock is taken). No
 *       I/O, unless the buffer is full: then the appender writes it out itself (no force).</li>
 *   <li>{@link #awaitDurable}: whoever holds the <em>flush token</em> swaps buffers (appenders go
 *       on filling the spare), writes what it took, forces once, advances {@link #durableLsn()}
 *       and wakes the waiters whose LSN is now covered, and the oldest of the others that wants
 *       the token. While fewer threads wait than there are cores, committers take the token
 *       themselves, one after another; beyond that they ask the {@link LogFlusher} thread to
 *       force and park until it has. Either way a force's batch holds everything appended while
 *       the previous force ran, and each committer is woken once.</li>
 *   <li>The token ({@link FlushToken}) is not a lock held across I/O: waiters park until its holder
 *       releases it and then re-check the volatile durable position, each on its own, so the
 *       waiters a force covers all leave at once. No lock at all is held during a write or a
 *       force.</li>
 * </ul>
 *
 * <h2>Failure</h2>
 *
 * Any I/O error while writing, forcing, creating or growing a segment makes the log failed, for
 * good: the failing call and every later {@link #append}, {@link #awaitDurable} of an LSN that was not
 * durable before the failure, and {@link #flushAsync} throw {@link GraphException} "write-ahead
 * log failed: …; reopen the database". A failed force is never retried: after a failed fsync the kernel
 * may have dropped the dirty pages and a second fsync can succeed without writing them
 * ("fsyncgate"), so nothing written before it is ever reported durable. Reopening scans the log
 * and continues after its last valid record.
 *
 * <p>An interrupt is not an I/O error. The segment channels are
 * {@link dev.sablegraph.internal.storage.InterruptSafeChannel}s: a committer interrupted while it
 * writes or forces for the group sees the I/O complete (repeated on a reopened channel if the
 * interrupt closed it) and keeps its interrupt status; the log and every other committer go on.
 * (A force cut short by an interrupt reported no error, so repeating it is not the retry above.)
 */
public final class WriteAheadLog implements AutoCloseable {
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    public static final long MIN_SEGMENT_BYTES = 4096;
    public static final long MAX_SEGMENT_BYTES = 1L << 30;
    static final int DEFAULT_BUFFER_BYTES = 1 << 20;

    private final Path directory;
    private final long segmentBytes;
    /** Writes and forces only with the flush token held. */
    private final SegmentWriter writer;

    // Append side. Invariant: filling.startLsn() + filling.size() == appendLsn.
    private final ReentrantLock appendLock = new ReentrantLock();
    private LogBuffer filling; // guarded by appendLock
    /** End of the last appended record; written under appendLock, read anywhere. */
    private volatile long appendLsn; // guarded by appendLock
    /** Set under appendLock by close(): no append is accepted after it. */
    private boolean closing; // guarded by appendLock
    /** Records appended since open: a plain field, so that counting adds no fence to an append. */
    private long appendedRecords; // guarded by appendLock
    /** Where the log ended when it was opened. */
    private final long openedAtLsn;

    /** The other buffer; touched only by the flush token holder; null only while it writes it. */
    private LogBuffer spare; // guarded by token

    /** Held by the one thread that writes or forces; waiters park on it. */
    private final FlushToken token = new FlushToken();
    /** Makes the first failure the one recorded. */
    private final ReentrantLock syncLock = new ReentrantLock();
    /** Everything below it was written and forced. Written by the token holder. */
    private volatile long durableLsn; // guarded by token
    /** Non-null once the log has failed; never cleared. */
    private volatile GraphException failure; // guarded by syncLock
    /** Set when close() has closed the segment channel. */
    private volatile boolean closed;

    private final AtomicBoolean closeCalled = new AtomicBoolean();
    /** Forces for waiting committers, and every interval under ASYNC; runs from open to close. */
    private final LogFlusher flusher;
    /**
     * Committers force for each other while fewer than this many wait; beyond it they hand the
     * forcing to the flusher. One per core: more waiters than cores means a committer that forces
     * would queue for a core when its fsync returns.
     */
    private final int handOffWaiters = Math.max(2, Runtime.getRuntime().availableProcessors());

    private WriteAheadLog(Path directory, long segmentBytes, int bufferBytes, SegmentWriter writer) {
        long end = writer.writtenLsn();
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.writer = writer;
        this.filling = new LogBuffer(bufferBytes, end);
        this.spare = new LogBuffer(bufferBytes, end);
        this.appendLsn = end;
        this.openedAtLsn = end;
        this.durableLsn = end; // SegmentWriter.open forced what it found
        this.flusher = new LogFlusher("sable-wal-flusher", () -> durableLsn, () -> appendLsn, this::flushAsFlusher,
                this::flusherDied);
    }

    /** Opens (or creates) the log in {@code walDirectory} with 64 MiB segments on the real file system. */
    public static WriteAheadLog open(Path walDirectory) {
        return open(walDirectory, DEFAULT_SEGMENT_BYTES, ChannelFactory.DEFAULT);
    }

    /**
     * Opens the log in {@code walDirectory}, creating the directory and a first segment if needed.
     * An existing log is scanned from the start of its newest segment: appends continue after its
     * last valid record, torn bytes after it are zeroed, and the segment is forced before this
     * returns, so that what recovery reads from it is durable. Damage before the end is a
     * {@link dev.sablegraph.core.CorruptionException} (see {@link LogReader}); only the newest segment
     * is read here, older ones when recovery reads them.
     *
     * @param segmentBytes size segment files grow to; a record's payload can be at most
     *     {@code segmentBytes - 41} bytes
     */
    public static WriteAheadLog open(Path walDirectory, long segmentBytes, ChannelFactory factory) {
        return open(walDirectory, segmentBytes, factory, DEFAULT_BUFFER_BYTES);
    }

    static WriteAheadLog open(Path walDirectory, long segmentBytes, ChannelFactory factory, int bufferBytes) {
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segment size " + segmentBytes + " outside [" + MIN_SEGMENT_BYTES
                    + ", " + MAX_SEGMENT_BYTES + "]");
        }
        try {
            WriteAheadLog log = new WriteAheadLog(walDirectory, segmentBytes, bufferBytes,
                    SegmentWriter.open(walDirectory, segmentBytes, factory));
            log.flusher.start();
            return log;
        } catch (IOException e) {
            throw new GraphException("cannot open write-ahead log " + walDirectory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates, in a directory that holds no log, a log without records that continues at
     * {@code startLsn}: one small segment (header and zeros, forced, named, directory forced, as
     * every segment is made). For a copy of a database whose checkpoint is at {@code startLsn}:
     * recovery reads from there and finds the end at once, and appending continues there (the
     * writer starts a full-size segment when the next record does not fit). Nothing else of a
     * log is needed beside such a checkpoint.
     *
     * @throws IllegalArgumentException if the directory already holds log segments
     */
    public static void createEmpty(Path walDirectory, long startLsn) {
        if (startLsn < 0) {
            throw new IllegalArgumentException("startLsn " + startLsn);
        }
        try {
            if (!SegmentFiles.list(walDirectory).isEmpty()) {
                throw new IllegalArgumentException(walDirectory + " already holds log segments");
            }
            Files.createDirectories(walDirectory);
            ActiveSegment.create(walDirectory, startLsn, MIN_SEGMENT_BYTES, ChannelFactory.DEFAULT).close();
        } catch (IOException e) {
            throw new GraphException("cannot create a log in " + walDirectory + ": " + e.getMessage(), e);
        }
    }

    /** The segment files of the log in {@code walDirectory}, oldest first (none if it does not exist). */
    public static List<Path> segmentFiles(Path walDirectory) {
        try {
            return SegmentFiles.list(walDirectory).stream().map(SegmentFiles.Segment::path).toList();
        } catch (IOException e) {
            throw new GraphException("cannot list log directory " + walDirectory + ": " + e.getMessage(), e);
        }
    }

    /** The largest payload a record can have: it must fit a segment with header and frame. */
    public int maxPayloadBytes() {
        return (int) (segmentBytes - SegmentHeader.SIZE - RecordFrame.HEADER_SIZE);
    }

    /**
     * Appends a record and returns its end LSN: pass that to {@link #awaitDurable} to make it
     * durable. Thread-safe; records are in the log in the order their appends took the lock.
     *
     * @param payload 1 to {@link #maxPayloadBytes()} bytes; copied, so the caller may reuse it
     * @throws GraphException if the log has failed or is closed
     */
    public long append(byte type, byte[] payload) {
        int length = payload.length;
        if (type == RecordFrame.DURABLE_MARK) {
            throw new IllegalArgumentException("record type " + (type & 0xFF) + " is reserved for the log's own marks");
        }
        if (length == 0) {
            throw new IllegalArgumentException("empty payload: a zero length marks the end of the log");
        }
        if (length > maxPayloadBytes()) {
            throw new IllegalArgumentException("payload of " + length + " bytes exceeds the " + maxPayloadBytes()
                    + " a segment of " + segmentBytes + " bytes holds");
        }
        // Everything that grows with the payload but the copy happens before the lock.
        int payloadCrc = Crc32c.of(payload);
        int shift = Crc32c.shiftOperator(length);
        int recordBytes = RecordFrame.HEADER_SIZE + length;
        while (true) {
            appendLock.lock();
            try {
                checkUsable();
                if (closing) {
                    throw new GraphException("write-ahead log " + directory + " is closed");
                }
                if (filling.isEmpty()) {
                    markDurableProgress();
                }
                // A batch takes its first record whatever its size (the buffer grows for it).
                if (filling.fits(recordBytes) || filling.size() == RecordFrame.DURABLE_MARK_BYTES) {
                    long lsn = appendLsn;
                    filling.put(RecordFrame.checksum(lsn, length, type, payloadCrc, shift), type, payload);
                    appendLsn = lsn + recordBytes;
                    appendedRecords++;
                    return appendLsn;
                }
            } finally {
                appendLock.unlock();
            }
            // The buffer is full: write it out (without forcing) so that appending can go on.
            acquireToken();
            flushHoldingToken(false);
        }
    }

    /**
     * Starts a batch with the durable-progress mark (under {@link #appendLock}, the buffer empty).
     * The LSN it names was durable before any byte of this batch can be written, since the batch
     * is written only after this append: a claim recovery may trust (docs/durability.md).
     */
    private void markDurableProgress() {
        long lsn = appendLsn;
        byte[] claim = java.nio.ByteBuffer.allocate(Long.BYTES).putLong(durableLsn).array();
        filling.put(RecordFrame.checksum(lsn, RecordFrame.DURABLE_MARK, java.nio.ByteBuffer.wrap(claim)),
                RecordFrame.DURABLE_MARK, claim);
        appendLsn = lsn + RecordFrame.DURABLE_MARK_BYTES;
    }

    /**
     * Returns once every record ending at or before {@code lsn} is written and forced. Concurrent
     * callers share forces (group commit, see the class comment). Waits uninterruptibly: the wait
     * is bounded by one force, and a committer that stopped waiting would not know its outcome.
     *
     * @throws GraphException if the log fails before {@code lsn} is durable, or is closed
     * @throws IllegalArgumentException if nothing was appended up to {@code lsn}
     */
    public void awaitDurable(long lsn) {
        if (lsn <= durableLsn) {
            return;
        }
        long end = appendLsn;
        if (lsn > end) {
            throw new IllegalArgumentException("LSN " + lsn + " was never appended; the log ends at " + end);
        }
        boolean askedFlusher = false;
        boolean leading = false;
        while (durableLsn < lsn) {
            checkUsable();
            // Once a committer waits for its turn it keeps to it: a release may have picked it to
            // take the token next, and if it declined, the thread waiting behind it (perhaps the
            // flusher) would never be woken.
            if (leading || !askedFlusher && flusher.isIdle() && token.waiting() < handOffWaiters) {
                leading = true;
                // Few committers: force ourselves, or wait to be the next to. No thread hand-off.
                if (acquireTokenIfFree()) {
                    if (durableLsn < lsn) {
                        flushHoldingToken(true); // this batch holds every record appended so far, ours included
                    } else {
                        token.release(durableLsn); // covered by a force that ended while we took the token
                    }
                } else {
                    token.awaitTurn(lsn, () -> durableLsn >= lsn || failure != null || closed);
                }
            } else {
                // Many: leave the forcing to the flusher thread (see LogFlusher for why).
                if (!askedFlusher) {
                    flusher.request(lsn);
                    askedFlusher = true;
                }
                token.awaitDurable(lsn, () -> durableLsn >= lsn || failure != null || closed);
            }
        }
    }

    /**
     * Asks the background flusher to write and force now, without waiting for it: for commits that
     * do not wait for durability (ASYNC mode). Needs {@link #startBackgroundFlush}.
     */
    public void flushAsync() {
        checkUsable();
        if (!flusher.isPeriodic()) {
            throw new IllegalStateException("no background flusher: call startBackgroundFlush first");
        }
        flusher.request(appendLsn);
    }

    /**
     * Makes the flusher thread force everything appended every {@code intervalMillis} (and at once
     * after {@link #flushAsync}), for commits that do not wait (ASYNC mode). Once only; the thread
     * stops at {@link #close()}, or when the log fails.
     */
    public void startBackgroundFlush(long intervalMillis) {
        checkUsable();
        flusher.startPeriodic(intervalMillis);
    }

    /** The flusher thread's work: take the token, write and force everything appended. */
    private void flushAsFlusher() {
        acquireToken();
        flushHoldingToken(true);
    }

    /** The flusher ended on something other than a log failure: fail the log so no waiter hangs. */
    private void flusherDied(Throwable cause) {
        recordFailure(cause);
        token.wakeAll();
    }

    /**
     * Deletes the segments whose records all lie below {@code lsn} (after a checkpoint at
     * {@code lsn}). The segment holding {@code lsn}, and the newest segment, are kept. Returns how
     * many were deleted. A failure here leaves the log usable: nothing durable depends on it.
     */
    public int truncateBefore(long lsn) {
        checkUsable();
        if (lsn > appendLsn) {
            throw new IllegalArgumentException("LSN " + lsn + " is beyond the end of the log, " + appendLsn);
        }
        try {
            return writer.deleteSegmentsBefore(lsn);
        } catch (IOException e) {
            throw new GraphException("cannot delete old log segments in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The end LSN of the last appended record. */
    public long endLsn() {
        return appendLsn;
    }

    /** Everything below this LSN is written and forced. */
    public long durableLsn() {
        return durableLsn;
    }

    /**
     * Forces of segment files issued by the log: one per group commit that had something to
     * force, one per segment switch (the old segment) and one when an existing log is opened.
     * Creating a segment forces the new file and the directory; those are not counted.
     */
    public long forces() {
        return writer.forces();
    }

    /**
     * The log's counters since open. Reading them takes the append lock for a moment (the record
     * count is a plain field under it): cheap at the rate metrics are read, and appends pay nothing.
     */
    public LogMetrics metrics() {
        long records;
        long end;
        appendLock.lock();
        try {
            records = appendedRecords;
            end = appendLsn;
        } finally {
            appendLock.unlock();
        }
        return new LogMetrics(records, end - openedAtLsn, writer.forces(), writer.forceNanosTotal() / 1_000,
                writer.forceNanosMax() / 1_000, Math.max(0, end - durableLsn));
    }

    public Path directory() {
        return directory;
    }

    /** Whether the log has failed; {@link #append} and {@link #awaitDurable} then throw. */
    public boolean failed() {
        return failure != null;
    }

    /**
     * Stops the background flusher, makes everything appended durable, and closes the segment.
     * A failed log is just closed. Idempotent.
     *
     * @throws GraphException if the final force fails
     */
    @Override
    public void close() {
        if (closeCalled.getAndSet(true)) {
            return;
        }
        appendLock.lock();
        try {
            closing = true;
        } finally {
            appendLock.unlock();
        }
        GraphException error = null;
        if (failure == null) {
            try {
                awaitDurable(appendLsn);
            } catch (GraphException e) {
                error = e;
            }
        }
        flusher.stop();
        while (!token.tryAcquire()) {
            token.awaitRelease(() -> false);
        }
        closed = true;
        token.releaseAndWakeAll();
        // closed was set holding the token, and every later holder checks it first, so no thread
        // touches the channel any more.
        try {
            writer.close();
        } catch (IOException e) {
            if (error == null) {
                error = new GraphException("cannot close " + writer.activePath() + ": " + e.getMessage(), e);
            }
        }
        if (error != null) {
            throw error;
        }
    }

    // ---- the flush token

    /** Takes the flush token, waiting while another thread holds it. */
    private void acquireToken() {
        while (true) {
            checkUsable();
            if (acquireTokenIfFree()) {
                return;
            }
            token.awaitRelease(() -> failure != null || closed);
        }
    }

    /**
     * Takes the token if it is free and the log still usable (checked again once held: a close or
     * failure may have come in between, and the holder would then touch a closed channel).
     */
    private boolean acquireTokenIfFree() {
        if (!token.tryAcquire()) {
            return false;
        }
        try {
            checkUsable();
        } catch (GraphException e) {
            token.releaseAndWakeAll();
            throw e;
        }
        return true;
    }

    /**
     * With the token held: writes out the filling buffer, forces if {@code force}, publishes the
     * new durable LSN and releases the token. Any failure fails the log (and releases the token).
     */
    private void flushHoldingToken(boolean force) {
        long durable = -1;
        // An interrupt of this thread cannot close the segment: its channels are interrupt-safe.
        try {
            writeBuffered();
            if (force && writer.writtenLsn() > durableLsn) {
                writer.force();
                durable = writer.writtenLsn();
            }
        } catch (Throwable t) {
            discardUndurable(t);
            GraphException f = fail(t);
            if (t instanceof Error error) {
                throw error;
            }
            throw f;
        }
        if (durable > durableLsn) {
            durableLsn = durable; // before the release: a waiter that sees the token free sees this too
        }
        token.release(durableLsn);
    }

    /**
     * With the token held, after a failed write or force: takes every record past the durable
     * position back out of the files, so that no commit that was told it failed comes back at the
     * next open. Best effort: if the disk refuses this too, the records may survive (the failure
     * then says so) and recovery would replay them.
     */
    private void discardUndurable(Throwable cause) {
        try {
            writer.discardFrom(durableLsn);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(new GraphException("could not take the records after log position " + durableLsn
                    + " back out of " + directory + " (" + e.getMessage() + "): commits that failed may be replayed"
                    + " when the database is reopened", e));
        }
    }

    /** With the token held: records the failure, releases the token, wakes every waiter; returns what to throw. */
    private GraphException fail(Throwable cause) {
        GraphException f = recordFailure(cause);
        token.releaseAndWakeAll();
        return f;
    }

    /** Records the first failure (later ones are dropped); returns it. */
    private GraphException recordFailure(Throwable cause) {
        syncLock.lock();
        try {
            if (failure == null) {
                String what = cause.getMessage() != null ? cause.getMessage() : cause.toString();
                failure = new GraphException("write-ahead log failed: " + what + "; reopen the database", cause);
                // Once, for the operator: from here no commit is accepted until the database is reopened.
                Loggers.DATABASE.log(System.Logger.Level.ERROR, "write-ahead log " + directory + " failed: " + what
                        + "; the database refuses commits until it is reopened (reads go on)", cause);
            }
            return failure;
        } finally {
            syncLock.unlock();
        }
    }

    private void checkUsable() {
        GraphException f = failure;
        if (f != null) {
            throw new GraphException(f.getMessage(), f);
        }
        if (closed) {
            throw new GraphException("write-ahead log " + directory + " is closed");
        }
    }

    // ---- I/O, only with the token held

    /** Swaps buffers and writes the one taken: appenders fill the other meanwhile. */
    private void writeBuffered() throws IOException {
        LogBuffer batch;
        appendLock.lock();
        try {
            if (filling.isEmpty()) {
                return;
            }
            batch = filling;
            spare.reset(appendLsn);
            filling = spare;
            spare = null;
        } finally {
            appendLock.unlock();
        }
        writer.write(batch.contents(), batch.startLsn());
        batch.reset(writer.writtenLsn());
        spare = batch;
    }
}

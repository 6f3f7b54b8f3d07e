package dev.sablegraph.internal.durability;

import dev.sablegraph.core.Durability;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.graph.DatabaseFiles;
import dev.sablegraph.internal.wal.ChannelFactory;
import dev.sablegraph.internal.wal.LogMetrics;
import dev.sablegraph.internal.wal.WriteAheadLog;
import java.nio.file.Path;

/**
 * The write-ahead log as the transaction layer uses it: one logical {@link CommitRecord} per
 * commit and one {@link SchemaRecord} per schema change, forced before {@code commit()} returns under {@link Durability#SYNC}, and replayed after
 * a crash on top of the newest checkpoint (docs/durability.md).
 */
public final class CommitJournal implements AutoCloseable {
    static final byte COMMIT = 1;
    static final byte SCHEMA = 2;
    public static final String WAL_DIRECTORY = DatabaseFiles.LOG_DIRECTORY;

    private final WriteAheadLog wal;
    private final Durability durability;
    private final long checkpointLogBytes;
    private volatile long lastCheckpointLsn; // guarded by the checkpoint lock (written); read by the collector

    private CommitJournal(WriteAheadLog wal, GraphConfig config, long lastCheckpointLsn) {
        this.wal = wal;
        this.durability = config.durability();
        this.checkpointLogBytes = config.checkpointLogBytes();
        this.lastCheckpointLsn = lastCheckpointLsn;
        if (durability == Durability.ASYNC) {
            wal.startBackgroundFlush(config.asyncFlushMillis());
        }
    }

    /** Opens the log in {@code walDir} for appending after recovery has replayed it up to its end. */
    static CommitJournal open(Path walDir, GraphConfig config, ChannelFactory channels, long lastCheckpointLsn) {
        return new CommitJournal(WriteAheadLog.open(walDir, config.walSegmentBytes(), channels), config, lastCheckpointLsn);
    }

    /**
     * A commit record, encoded, before anything is installed: a commit whose
     * record cannot be encoded or cannot fit in one log segment is refused here, while refusing it
     * changes nothing.
     *
     * @throws IllegalArgumentException naming the limit the transaction exceeds
     */
    public byte[] encode(CommitRecord commit) {
        long bytes = commit.encodedBytes();
        if (bytes > maxRecordBytes()) {
            throw tooLarge(bytes, maxRecordBytes());
        }
        return commit.encode(bytes);
    }

    /** The largest commit record the log takes: what a transaction may write (walSegmentBytes). */
    public long maxRecordBytes() {
        return wal.maxPayloadBytes();
    }

    /** The refusal of a transaction whose commit record would be {@code bytes} long, over {@code max}. */
    public static IllegalArgumentException tooLarge(long bytes, long max) {
        return new IllegalArgumentException("transaction too large: its commit record would be " + bytes
                + " bytes, and one log segment holds at most " + max
                + " (walSegmentBytes): split it into smaller transactions or raise walSegmentBytes");
    }

    /** Appends an encoded commit; returns the log position the committer waits for. Call under the commit lock. */
    public long append(byte[] payload) {
        return wal.append(COMMIT, payload);
    }

    /** Appends a schema change ({@link SchemaRecord}); returns its log position. Call under the commit lock. */
    public long appendSchema(SchemaRecord change) {
        return wal.append(SCHEMA, change.encode());
    }

    /** Returns once the commit at {@code lsn} is durable as the configuration promises. */
    public void awaitDurable(long lsn) {
        if (durability == Durability.SYNC) {
            wal.awaitDurable(lsn);
        }
    }

    /** Forces everything appended so far, whatever the durability mode (checkpoints need it). */
    public void forceUpTo(long lsn) {
        wal.awaitDurable(lsn);
    }

    public long endLsn() {
        return wal.endLsn();
    }

    public long forces() {
        return wal.forces();
    }

    /** Whether the log has failed: it then refuses every append until the database is reopened. */
    public boolean failed() {
        return wal.failed();
    }

    /** The log's counters since open. */
    public LogMetrics metrics() {
        return wal.metrics();
    }

    /** Log written since the last checkpoint: what recovery would replay after a crash now. */
    public long bytesSinceCheckpoint() {
        return Math.max(0, wal.endLsn() - lastCheckpointLsn);
    }

    public boolean checkpointDue() {
        return wal.endLsn() - lastCheckpointLsn >= checkpointLogBytes;
    }

    /** After a checkpoint at {@code lsn} is complete: older log segments are no longer needed. */
    public void checkpointed(long lsn) {
        lastCheckpointLsn = lsn;
        wal.truncateBefore(lsn);
    }

    @Override
    public void close() {
        wal.close();
    }
}

package dev.sablegraph.concurrent;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import dev.sablegraph.internal.checkpoint.CheckpointInfo;
import dev.sablegraph.internal.graph.CommitRecord;
import dev.sablegraph.internal.graph.GraphStore;
import dev.sablegraph.internal.wal.ChannelFactory;
import dev.sablegraph.internal.wal.LogReader;
import dev.sablegraph.internal.wal.LogRecord;
import dev.sablegraph.internal.wal.WriteAheadLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The write-ahead log as the transaction layer uses it: one logical {@link CommitRecord} per
 * commit, forced before {@code commit()} returns under {@link Durability#SYNC}, and replayed after
 * a crash on top of the newest checkpoint (docs/durability.md).
 */
final class CommitJournal implements AutoCloseable {
    static final byte COMMIT = 1;
    static final String WAL_DIRECTORY = GraphStore.LOG_DIRECTORY;

    private final WriteAheadLog wal;
    private final Durability durability;
    private final long checkpointLogBytes;
    private volatile long lastCheckpointLsn;

    private CommitJournal(WriteAheadLog wal, GraphConfig config, long lastCheckpointLsn) {
        this.wal = wal;
        this.durability = config.durability();
        this.checkpointLogBytes = config.checkpointLogBytes();
        this.lastCheckpointLsn = lastCheckpointLsn;
        if (durability == Durability.ASYNC) {
            wal.startBackgroundFlush(config.asyncFlushMillis());
        }
    }

    /**
     * Opens the log of {@code directory}, first replaying into {@code store} every commit logged
     * after the checkpoint {@code info}, after purging the deletions that checkpoint left pending and
     * the index entries it kept for snapshots that the crash ended.
     * Returns the journal and how many commits were replayed.
     */
    static CommitJournal openAndRecover(Path directory, GraphStore store, CheckpointInfo info, GraphConfig config,
            ChannelFactory channels, long[] replayed, Checkpointer checkpointer) {
        Path walDir = directory.resolve(WAL_DIRECTORY);
        for (long edge : info.pendingEdgeDeletes()) {
            if (store.edge(edge) != null) {
                store.purgeEdge(edge);
            }
        }
        for (long node : info.pendingNodeDeletes()) {
            if (store.node(node) != null) {
                store.purgeNode(node);
            }
        }
        store.dropStaleIndexEntries(info.staleIndexNodes());
        long count = 0;
        LogReader reader = LogReader.open(walDir, info.lsn(), channels);
        {
            while (reader.hasNext()) {
                LogRecord r = reader.next();
                if (r.type() != COMMIT) {
                    continue;
                }
                CommitRecord commit;
                try {
                    commit = CommitRecord.decode(r.payload());
                } catch (IllegalStateException e) {
                    throw new CorruptionException(walDir, -1, "commit record at log position " + r.lsn()
                            + " is damaged: " + e.getMessage(), e);
                }
                commit.replay(store);
                count++;
                if (checkpointer.dirtyPressure()) {
                    // No-steal holds every replayed change in the cache: make room by checkpointing
                    // at this record's end. The records read so far are on disk already.
                    checkpointer.checkpointAt(r.endLsn());
                }
            }
        }
        replayed[0] = count;
        WriteAheadLog wal = WriteAheadLog.open(walDir, config.walSegmentBytes(), channels);
        return new CommitJournal(wal, config, info.lsn());
    }

    /** What recovery needs to checkpoint while it replays. */
    interface Checkpointer {
        boolean dirtyPressure();

        void checkpointAt(long lsn);
    }

    /**
     * The commit record of a write set, encoded, before anything is installed: a write set whose
     * record cannot be encoded or cannot fit in one log segment is refused here, while refusing it
     * changes nothing.
     *
     * @throws IllegalArgumentException naming the limit the transaction exceeds
     */
    byte[] encode(long ts, WriteSet writes) {
        byte[] payload = toRecord(ts, writes).encode();
        if (payload.length > wal.maxPayloadBytes()) {
            throw new IllegalArgumentException("transaction too large: its commit record is " + payload.length
                    + " bytes, and one log segment holds at most " + wal.maxPayloadBytes()
                    + " (walSegmentBytes): split it into smaller transactions or raise walSegmentBytes");
        }
        return payload;
    }

    /** Appends an encoded commit; returns the log position the committer waits for. Call under the commit lock. */
    long append(byte[] payload) {
        return wal.append(COMMIT, payload);
    }

    /** Returns once the commit at {@code lsn} is durable as the configuration promises. */
    void awaitDurable(long lsn) {
        if (durability == Durability.SYNC) {
            wal.awaitDurable(lsn);
        }
    }

    /** Forces everything appended so far, whatever the durability mode (checkpoints need it). */
    void forceUpTo(long lsn) {
        wal.awaitDurable(lsn);
    }

    long endLsn() {
        return wal.endLsn();
    }

    long forces() {
        return wal.forces();
    }

    boolean checkpointDue() {
        return wal.endLsn() - lastCheckpointLsn >= checkpointLogBytes;
    }

    /** After a checkpoint at {@code lsn} is complete: older log segments are no longer needed. */
    void checkpointed(long lsn) {
        lastCheckpointLsn = lsn;
        wal.truncateBefore(lsn);
    }

    @Override
    public void close() {
        wal.close();
    }

    /** The write set as a log record, in install order: new and changed nodes, edges, deleted nodes. */
    static CommitRecord toRecord(long ts, WriteSet w) {
        List<CommitRecord.NodeChange> nodes = new ArrayList<>();
        List<CommitRecord.NodeChange> deletedNodes = new ArrayList<>();
        for (Map.Entry<Long, WriteSet.Change<Node>> e : w.nodes.entrySet()) {
            WriteSet.Change<Node> c = e.getValue();
            Node n = c.after();
            if (n == null) {
                if (!c.created()) {
                    deletedNodes.add(new CommitRecord.NodeChange(e.getKey(), CommitRecord.Kind.DELETE, null, null));
                }
            } else {
                nodes.add(new CommitRecord.NodeChange(e.getKey(),
                        c.created() ? CommitRecord.Kind.CREATE : CommitRecord.Kind.UPDATE, n.labels(), n.properties()));
            }
        }
        nodes.sort((a, b) -> Integer.compare(a.kind().ordinal(), b.kind().ordinal())); // creates before updates
        nodes.addAll(deletedNodes);
        List<CommitRecord.EdgeChange> edges = new ArrayList<>();
        for (Map.Entry<Long, WriteSet.Change<Edge>> e : w.edges.entrySet()) {
            WriteSet.Change<Edge> c = e.getValue();
            Edge x = c.after();
            if (x == null) {
                if (!c.created()) {
                    edges.add(new CommitRecord.EdgeChange(e.getKey(), CommitRecord.Kind.DELETE, 0, 0, null, null));
                }
            } else if (c.created()) {
                edges.add(new CommitRecord.EdgeChange(e.getKey(), CommitRecord.Kind.CREATE, x.from(), x.to(), x.type(),
                        x.properties()));
            } else {
                edges.add(new CommitRecord.EdgeChange(e.getKey(), CommitRecord.Kind.UPDATE, 0, 0, null, x.properties()));
            }
        }
        return new CommitRecord(ts, nodes, edges);
    }
}

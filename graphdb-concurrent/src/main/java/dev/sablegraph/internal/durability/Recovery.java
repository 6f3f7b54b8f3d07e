package dev.sablegraph.internal.durability;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.graph.DatabaseFiles;
import dev.sablegraph.internal.graph.GraphStore;
import dev.sablegraph.internal.wal.ChannelFactory;
import dev.sablegraph.internal.wal.LogReader;
import dev.sablegraph.internal.wal.LogRecord;
import java.nio.file.Path;

/**
 * Opening a database with a log: the one place that knows the recovery order (docs/durability.md,
 * "Recovery").
 *
 * <ol>
 *   <li>Before the data file is read: complete the newest checkpoint's in-place writes from its
 *       double-write image, or discard an image that was never completed ({@link CheckpointFiles#recover}).
 *   <li>Open the store; its page cache evicts dirty pages to the spill file from here, so only
 *       checkpoints write the data file.
 *   <li>Purge what that checkpoint kept for snapshots the crash ended: deletions not yet purged,
 *       index entries of replaced states.
 *   <li>Replay every commit and schema change logged after the checkpoint, in log order (a commit
 *       in {@link CommitRecord#applyInOrder}'s order, a schema change by
 *       {@link SchemaRecord#applyTo}), checkpointing at a record's end when half the cache is dirty.
 *   <li>Delete the entries of dropped indexes that a crash left, and those of an older database's
 *       automatic index, in batches (indexes still building are built after open).
 *   <li>Open the log for appending.
 * </ol>
 *
 * The caller then checkpoints once when {@link Recovered#needsCheckpoint()}, making the recovered
 * state the new base.
 */
public final class Recovery {
    /**
     * A recovered database: the store, its log open for appending, and its checkpoints; what
     * recovery replayed (commits, log bytes after the checkpoint) and how long it took (for the
     * open's log line).
     */
    public record Recovered(GraphStore store, CommitJournal journal, Checkpointer checkpointer, long replayedCommits,
            long replayedBytes, long millis, boolean needsCheckpoint) {}

    /** What {@link #replay} did: commits replayed, and the log position after the last record read. */
    private record Replayed(long commits, long endLsn) {}

    private Recovery() {}

    /**
     * Recovers the database in {@code directory} (creating it if missing); the log's files, the
     * spill file and the checkpoint files come from {@code channels}.
     */
    public static Recovered open(Path directory, GraphConfig config, ChannelFactory channels) {
        long start = System.nanoTime();
        CheckpointFiles files = new CheckpointFiles(directory, channels);
        CheckpointInfo[] checkpoint = new CheckpointInfo[1];
        GraphStore store = GraphStore.openWithLog(directory, config, dataFile -> checkpoint[0] = files.recover(dataFile));
        try {
            store.pager().cache().useSpillFile(directory.resolve(DatabaseFiles.SPILL_FILE), channels::open);
            Checkpointer checkpointer = new Checkpointer(store, files, Checkpointer.spillBytesDue(config));
            CheckpointInfo info = checkpoint[0];
            purgeSnapshotState(store, info);
            Path walDir = directory.resolve(CommitJournal.WAL_DIRECTORY);
            Replayed replayed = replay(walDir, store, info.lsn(), channels, checkpointer);
            boolean cleaned = deleteDroppedEntries(store, checkpointer, replayed.endLsn());
            CommitJournal journal = CommitJournal.open(walDir, config, channels, info.lsn());
            // A data file taken over from an unlogged graph says from now on that it has a log, and
            // one in an older format is upgraded before this build logs a commit against it.
            boolean newBase = replayed.commits() > 0 || cleaned || info.holdsSnapshotState() || store.headerUpdatePending();
            return new Recovered(store, journal, checkpointer, replayed.commits(), replayed.endLsn() - info.lsn(),
                    (System.nanoTime() - start) / 1_000_000, newBase);
        } catch (RuntimeException | Error e) { // an Error must not keep the directory locked either
            store.closeWithoutFlush();
            throw e;
        }
    }

    private static void purgeSnapshotState(GraphStore store, CheckpointInfo info) {
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
    }

    /**
     * Replays the commits and schema changes logged from {@code fromLsn}; returns how many, and
     * where the last record read ended.
     */
    private static Replayed replay(Path walDir, GraphStore store, long fromLsn, ChannelFactory channels,
            Checkpointer checkpointer) {
        long count = 0;
        long end = fromLsn;
        LogReader reader = LogReader.open(walDir, fromLsn, channels);
        Replayer replayer = new Replayer(store);
        while (reader.hasNext()) {
            LogRecord r = reader.next();
            end = r.endLsn();
            if (r.type() == CommitJournal.COMMIT) {
                CommitRecord commit;
                try {
                    commit = CommitRecord.decode(r.payload());
                } catch (IllegalStateException e) {
                    throw new CorruptionException(walDir, -1, "commit record at log position " + r.lsn()
                            + " is damaged: " + e.getMessage(), e);
                }
                commit.applyInOrder(replayer);
            } else if (r.type() == CommitJournal.SCHEMA) {
                SchemaRecord change;
                try {
                    change = SchemaRecord.decode(r.payload());
                } catch (IllegalStateException e) {
                    throw new CorruptionException(walDir, -1, "schema record at log position " + r.lsn()
                            + " is damaged: " + e.getMessage(), e);
                }
                change.applyTo(store);
                // A later record may create the index again: its entries must be gone by then.
                deleteDroppedEntries(store, checkpointer, r.endLsn());
            } else {
                continue;
            }
            count++;
            if (checkpointer.spillOverdue()) {
                // The spill file holds four checkpoints' worth of replayed pages: checkpoint at
                // this record's end. The records read so far are on disk already.
                checkpointer.checkpointReplayed(r.endLsn());
            }
        }
        return new Replayed(count, end);
    }

    /**
     * Deletes the entries of dropped indexes, and of an older database's automatic index, in
     * batches, checkpointing at {@code lsn} (everything before it is applied) when half the cache
     * is dirty. Returns whether it deleted anything.
     */
    private static boolean deleteDroppedEntries(GraphStore store, Checkpointer checkpointer, long lsn) {
        boolean any = false;
        while (store.deleteDroppedEntries(4096) > 0) {
            any = true;
            if (checkpointer.spillOverdue()) {
                checkpointer.checkpointReplayed(lsn);
            }
        }
        return any;
    }

    /**
     * Applies a commit to a store that does not yet hold it, with no snapshot to keep old states
     * for: deletions purge at once and replaced index entries are dropped.
     */
    private record Replayer(GraphStore store) implements CommitRecord.Applier {
        @Override
        public void createNode(CommitRecord.NodeChange n) {
            store.ensureNodeId(n.id());
            store.createNode(n.id(), n.labels(), n.properties());
        }

        @Override
        public void updateNode(CommitRecord.NodeChange n) {
            store.replaceNode(n.id(), n.labels(), n.properties(), true);
        }

        @Override
        public void createEdge(CommitRecord.EdgeChange e) {
            store.ensureEdgeId(e.id());
            store.createEdge(e.id(), e.from(), e.to(), e.type(), e.properties());
        }

        @Override
        public void updateEdge(CommitRecord.EdgeChange e) {
            store.replaceEdge(e.id(), e.properties());
        }

        @Override
        public void deleteEdge(long id) {
            store.purgeEdge(id);
        }

        @Override
        public void deleteNode(long id) {
            store.purgeNode(id);
        }
    }
}

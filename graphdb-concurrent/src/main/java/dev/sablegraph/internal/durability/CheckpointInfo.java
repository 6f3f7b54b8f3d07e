package dev.sablegraph.internal.durability;

/**
 * What recovery needs from the newest complete checkpoint: where in the log to start replaying, and
 * what the checkpointed pages hold only because snapshots running at the time still needed it
 * (that state lives in memory as version chains, which a crash loses): the entities deleted but not
 * yet purged, and the nodes whose index entries include entries of replaced states.
 *
 * @param lsn log position: every commit before it is in the checkpointed pages, none after it
 */
public record CheckpointInfo(long lsn, long[] pendingNodeDeletes, long[] pendingEdgeDeletes,
        long[] staleIndexNodes) {
    public static final CheckpointInfo EMPTY = at(0);

    /** A checkpoint at {@code lsn} with nothing held for snapshots (recovery's own checkpoints). */
    public static CheckpointInfo at(long lsn) {
        return new CheckpointInfo(lsn, new long[0], new long[0], new long[0]);
    }

    /**
     * The state a checkpoint records for snapshots, from the layer that holds it in memory; asked
     * while commits and collection are held off.
     */
    public interface PendingState {
        long[] pendingNodeDeletes();

        long[] pendingEdgeDeletes();

        long[] nodesWithStaleIndexEntries();
    }

    /** A checkpoint at {@code lsn} recording what {@code pending} holds now. */
    public static CheckpointInfo of(long lsn, PendingState pending) {
        return new CheckpointInfo(lsn, pending.pendingNodeDeletes(), pending.pendingEdgeDeletes(),
                pending.nodesWithStaleIndexEntries());
    }

    /** True when recovery has something to clean up besides replaying the log. */
    public boolean holdsSnapshotState() {
        return pendingNodeDeletes.length + pendingEdgeDeletes.length + staleIndexNodes.length > 0;
    }
}

package dev.sablegraph.core.checkpoint;

/**
 * What recovery needs from the newest complete checkpoint: where in the log to start replaying, and
 * the entities that were deleted but not yet purged when the checkpoint was taken (deletions live
 * as in-memory tombstones until garbage collection; the data file still holds them).
 *
 * @param lsn log position: every commit before it is in the checkpointed pages, none after it
 */
public record CheckpointInfo(long lsn, long[] pendingNodeDeletes, long[] pendingEdgeDeletes) {
    public static final CheckpointInfo EMPTY = new CheckpointInfo(0, new long[0], new long[0]);
}

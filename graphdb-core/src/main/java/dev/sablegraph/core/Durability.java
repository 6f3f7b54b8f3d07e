package dev.sablegraph.core;

/** When {@code commit()} returns relative to the commit reaching the disk. */
public enum Durability {
    /**
     * {@code commit()} returns after its commit record is forced to the write-ahead log. Concurrent
     * committers share one force (group commit).
     */
    SYNC,
    /**
     * {@code commit()} returns once the commit is logged in memory; a background thread forces the
     * log every {@link GraphConfig#asyncFlushMillis()}. A crash loses at most the commits of that
     * last interval, never part of one, and never an older one.
     */
    ASYNC
}

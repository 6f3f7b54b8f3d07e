package dev.sablegraph.core;

/**
 * A point-in-time copy of the page cache counters. Counters are cumulative since open.
 *
 * @param frames pages the cache can hold
 * @param hits page accesses served from memory
 * @param misses page accesses that read the page from disk
 * @param evictions pages dropped to make room
 * @param flushes pages written to the file (by flush or by eviction of a dirty page)
 * @param dirtyPages pages currently modified in memory and not yet written
 * @param pinnedPages pages currently pinned
 */
public record PageCacheMetrics(long frames, long hits, long misses, long evictions, long flushes,
        long dirtyPages, long pinnedPages) {

    /**
     * Hits over all accesses, 0 when there were none.
     *
     * @return the hit ratio, from 0 to 1
     */
    public double hitRatio() {
        long total = hits + misses;
        return total == 0 ? 0.0 : (double) hits / total;
    }
}

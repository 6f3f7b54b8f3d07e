package dev.sablegraph.internal.mvcc;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * How many stored entities of one kind (nodes, or edges) a snapshot does not see, kept by commit
 * timestamp so that a count never visits the version chains: an entity created by the commit at
 * {@code ts} is unseen by snapshots {@code s < ts}; one deleted at {@code ts} stays stored until it
 * is purged and is unseen by snapshots {@code s >= ts}. (Created and deleted both after {@code s}:
 * counted once, as created.) A snapshot's count is the store's count less {@link #unseenAt}.
 *
 * <p>Memory: one entry per commit timestamp some live snapshot may not see yet (creations), or
 * with deletions not yet purged. Changed under the graph guard's write side (installation,
 * collection); read under its read side (sorted maps that tolerate optimistic readers).
 */
final class UnseenCounts {
    private final ConcurrentSkipListMap<Long, Long> created = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Long, Long> deleted = new ConcurrentSkipListMap<>();

    /** The commit at {@code ts} created {@code count} entities (one entry per commit, not per entity). */
    void created(long ts, long count) {
        created.merge(ts, count, Long::sum);
    }

    /** An entity was deleted by the commit at {@code ts}; it stays stored until {@link #purged}. */
    void deleted(long ts) {
        deleted.merge(ts, 1L, Long::sum);
    }

    /** An entity deleted by the commit at {@code deletedAt} was purged from the store. */
    void purged(long deletedAt) {
        deleted.computeIfPresent(deletedAt, (ts, n) -> n == 1 ? null : n - 1);
    }

    /**
     * Forgets creations every snapshot at or after {@code horizon} sees (all live and future ones
     * are): they no longer change any answer.
     */
    void forgetCreatedUpTo(long horizon) {
        created.headMap(horizon, true).clear();
    }

    /** Whether {@link #forgetCreatedUpTo} would forget something. */
    boolean hasCreatedUpTo(long horizon) {
        Map.Entry<Long, Long> first = created.firstEntry();
        return first != null && first.getKey() <= horizon;
    }

    /** How many stored entities snapshot {@code s} does not see. */
    long unseenAt(long s) {
        return sum(created.tailMap(s, false)) + sum(deleted.headMap(s, true));
    }

    /** Deleted entities not yet purged (for the integrity check). */
    long awaitingPurge() {
        return sum(deleted);
    }

    private static long sum(Map<Long, Long> counts) {
        long n = 0;
        for (long c : counts.values()) {
            n += c;
        }
        return n;
    }
}

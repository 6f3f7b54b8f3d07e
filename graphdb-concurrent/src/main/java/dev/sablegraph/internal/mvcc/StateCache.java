package dev.sablegraph.internal.mvcc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongFunction;

/**
 * A bounded cache of decoded store states (nodes or edges), each tagged with the entity's chain
 * {@code latestTs} when it was loaded; a lookup names the tag it expects and misses on any other.
 *
 * <p>A reader fills the cache on a miss, holding no lock (under {@code OPTIMISTIC} its read may be
 * retried, but its fill is a side effect that stays). A fill therefore may not outlive an
 * invalidation that began after the load started: the load may have read the state the
 * invalidated change replaced. Each invalidation first bumps the counter of its id's stripe, then
 * removes the entry; a fill is one atomic {@code compute} on the key that keeps the new entry only
 * if that counter has not moved since before the load. A fill that runs before the removal is
 * removed by it, and one that runs after it sees the bumped counter, so either way it is gone.
 * A fill refused because another id of its stripe was invalidated costs only a later miss.
 */
final class StateCache<T> {
    private record Entry<T>(T state, long tag) {}

    private static final int STRIPES = 64; // a power of two

    private final Cache<Long, Entry<T>> cache;
    /** Invalidations begun per stripe of ids (id mod STRIPES); only ever grows. */
    private final AtomicLongArray invalidations = new AtomicLongArray(STRIPES);

    StateCache(long maximumSize, Executor maintenance) {
        this.cache = Caffeine.newBuilder().executor(maintenance).maximumSize(maximumSize).build();
    }

    /**
     * The state cached for {@code id} under {@code tag}; on a miss, {@code load}'s state (null:
     * none), cached under {@code tag} unless an invalidation of its stripe began meanwhile.
     */
    T get(Long id, long tag, LongFunction<T> load) {
        Entry<T> cached = cache.getIfPresent(id);
        if (cached != null && cached.tag() == tag) {
            return cached.state();
        }
        int stripe = stripe(id);
        long before = invalidations.get(stripe);
        T state = load.apply(id);
        if (state != null) {
            Entry<T> loaded = new Entry<>(state, tag);
            cache.asMap().compute(id, (key, current) -> invalidations.get(stripe) == before ? loaded : current);
        }
        return state;
    }

    /** Drops the entry of {@code id}; call after every change of its store state. */
    void invalidate(Long id) {
        invalidations.incrementAndGet(stripe(id));
        cache.invalidate(id);
    }

    private static int stripe(long id) {
        return (int) id & (STRIPES - 1);
    }
}

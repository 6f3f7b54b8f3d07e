package dev.sablegraph.internal.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The fill rule of {@link StateCache} on its own, one thread, the race played inside the load: a
 * state loaded while its entry was invalidated is returned to its reader but never cached, even
 * under the tag that later lookups expect (the tag alone cannot tell, should a tag ever recur).
 */
class StateCacheTest {
    private final StateCache<String> cache = new StateCache<>(100, Runnable::run);

    @Test
    void aHitNeedsTheSameTag() {
        assertEquals("a", cache.get(1L, 5, id -> "a"));
        assertEquals("a", cache.get(1L, 5, id -> "not read"));
        assertEquals("b", cache.get(1L, 6, id -> "b"), "another tag misses");
    }

    @Test
    void aFillRacingAnInvalidationOfItsIdIsDropped() {
        assertEquals("old", cache.get(1L, 5, id -> {
            cache.invalidate(1L); // a commit changes the store and invalidates while this load runs
            return "old";
        }));
        assertEquals("new", cache.get(1L, 5, id -> "new"), "the racing fill must not be served");
    }

    @Test
    void anInvalidationAfterAFillRemovesIt() {
        assertEquals("old", cache.get(1L, 5, id -> "old"));
        cache.invalidate(1L);
        assertEquals("new", cache.get(1L, 5, id -> "new"));
    }

    @Test
    void aFillOfAnotherStripeIsKept() {
        cache.get(2L, 5, id -> {
            cache.invalidate(3L);
            return "two";
        });
        assertEquals("two", cache.get(2L, 5, id -> "not read"), "an invalidation of another stripe does not refuse it");
    }

    @Test
    void nothingIsCachedForAnAbsentState() {
        assertNull(cache.get(1L, 0, id -> null));
        assertEquals("created", cache.get(1L, 0, id -> "created"));
    }
}

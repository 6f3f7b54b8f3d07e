package dev.sablegraph.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An oversized transaction is certainly too large for the cache, only tried when affordable, and
 * judged whole only when every node it wrote shows. (RollbackInvariant's use of that judgement, on
 * several attempts at once, is in InvariantCheckersTest.)
 */
class OversizedTransactionTest {
    private static GraphConfig cacheMb(long mb) {
        return GraphConfig.builder().pageCacheBytes(mb << 20).build();
    }

    @Test
    void needsMorePagesThanTheCacheHolds() {
        for (long mb : new long[] {1, 8, 64}) {
            GraphConfig config = cacheMb(mb);
            OversizedTransaction.Sizing s = OversizedTransaction.Sizing.of(config);
            long pages = config.pageCacheBytes() / config.pageSize();
            // More than half a page each: no two records share a page, so each node takes one at least.
            assertTrue(s.payloadBytes() > config.pageSize() / 2, s.toString());
            assertTrue(s.nodes() > pages, s.toString());
            assertTrue(s.feasible(config), s.toString());
        }
    }

    @Test
    void aLargeCacheTurnsTheFaultOff() {
        // Its commit record would not fit a log segment (64 MiB): commit() would refuse it for that.
        GraphConfig config = cacheMb(1024);
        assertFalse(OversizedTransaction.Sizing.of(config).feasible(config));
    }

    private static Node attemptNode(long id, long index, long size) {
        return new Node(id, Set.of(OversizedTransaction.LABEL, "Oversized-7"),
                Map.of(OversizedTransaction.INDEX, index, OversizedTransaction.SIZE, size));
    }

    @Test
    void aSetIsWholeOnlyWithEveryIndexOnce() {
        OversizedTransaction.VisibleSet set = new OversizedTransaction.VisibleSet("Oversized-7");
        assertEquals("Oversized-7: none of its nodes is visible", set.problem()); // after a commit that returned
        set.add(attemptNode(10, 1, 2));
        assertEquals("Oversized-7: 1 of its 2 nodes are visible (first missing index 0)", set.problem());
        set.add(attemptNode(11, 0, 2));
        assertNull(set.problem());
        assertEquals("Oversized-7", OversizedTransaction.attemptLabel(attemptNode(10, 1, 2)));
        assertNull(OversizedTransaction.attemptLabel(new Node(12, Set.of(OversizedTransaction.LABEL), Map.of())));
    }
}

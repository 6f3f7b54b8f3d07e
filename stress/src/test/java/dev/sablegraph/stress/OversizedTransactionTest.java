package dev.sablegraph.stress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import org.junit.jupiter.api.Test;

/** An oversized transaction is certainly too large for the cache, and only tried when affordable. */
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
        // Its commit record would not fit a log segment (64 MiB): refused for that, not for the cache.
        GraphConfig config = cacheMb(1024);
        assertFalse(OversizedTransaction.Sizing.of(config).feasible(config));
    }
}

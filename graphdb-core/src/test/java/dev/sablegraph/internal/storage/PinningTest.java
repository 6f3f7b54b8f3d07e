package dev.sablegraph.internal.storage;

import dev.sablegraph.core.PageCacheMetrics;
import static dev.sablegraph.internal.storage.StorageTestSupport.assertPattern;
import static dev.sablegraph.internal.storage.StorageTestSupport.open;
import static dev.sablegraph.internal.storage.StorageTestSupport.writePattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pinned pages stay in their frames under eviction pressure; a cache with every frame pinned says so. */
class PinningTest {
    private static final int FRAMES = 16;
    private static final int PAGES = 100;

    @TempDir
    Path dir;

    private static long seedOf(long pageId, int round) {
        return pageId * 104729 + round;
    }

    private Pager populated() {
        Pager p = open(dir.resolve("data.sable"), FRAMES);
        for (int i = 0; i < PAGES; i++) {
            long id = p.allocate(PageType.SLOTTED);
            writePattern(p, id, seedOf(id, 0));
        }
        return p;
    }

    @Test
    void pinnedPagesStayInTheirFramesUnderEvictionPressure() {
        try (Pager p = populated()) {
            long[] pinnedIds = {3, 50, 97, 100};
            List<PinnedPage> pins = new ArrayList<>();
            int[] frames = new int[pinnedIds.length];
            for (int i = 0; i < pinnedIds.length; i++) {
                PinnedPage pin = p.cache().pin(pinnedIds[i]);
                assertEquals(pinnedIds[i], pin.pageId());
                assertTrue(pin.isResident());
                frames[i] = pin.frameIndex();
                pins.add(pin);
            }
            assertEquals(pinnedIds.length, p.metrics().pinnedPages());

            long evictionsBefore = p.metrics().evictions();
            for (int round = 1; round <= 3; round++) {
                for (long id = 1; id <= PAGES; id++) {
                    writePattern(p, id, seedOf(id, round)); // pinned pages may still be written
                }
                for (long id = PAGES; id >= 1; id--) {
                    assertPattern(p, id, seedOf(id, round));
                }
                p.flush(); // the flusher pins and unpins too; that must not drop our pins
                for (int i = 0; i < pins.size(); i++) {
                    assertTrue(pins.get(i).isResident(), "pinned page " + pinnedIds[i] + " was evicted");
                    assertEquals(frames[i], pins.get(i).frameIndex(), "pinned page " + pinnedIds[i] + " moved");
                }
            }
            assertTrue(p.metrics().evictions() - evictionsBefore > 3 * (PAGES - FRAMES), "there was pressure");
            assertEquals(pinnedIds.length, p.metrics().pinnedPages());

            // Reading a pinned page is always a hit.
            PageCacheMetrics m0 = p.metrics();
            for (long id : pinnedIds) {
                assertPattern(p, id, seedOf(id, 3));
            }
            PageCacheMetrics m1 = p.metrics();
            assertEquals(m0.misses(), m1.misses(), "pinned pages never miss");
            assertEquals(m0.hits() + pinnedIds.length, m1.hits());

            for (PinnedPage pin : pins) {
                pin.close();
                pin.close(); // idempotent: must not drop a pin count below zero
            }
            assertEquals(0, p.metrics().pinnedPages());

            // Unpinned, the pages can be evicted again.
            for (long id = 1; id <= PAGES; id++) {
                if (id != 3) {
                    assertPattern(p, id, seedOf(id, 3));
                }
            }
            assertFalse(pins.get(0).isResident(), "page 3 is evictable once unpinned");
            assertPattern(p, 3, seedOf(3, 3));
        }
    }

    @Test
    void pinningTwiceNeedsTwoCloses() {
        try (Pager p = populated()) {
            PinnedPage a = p.cache().pin(7);
            PinnedPage b = p.cache().pin(7);
            assertEquals(a.frameIndex(), b.frameIndex());
            a.close();
            assertEquals(1, p.metrics().pinnedPages());
            for (long id = 1; id <= PAGES; id++) {
                assertPattern(p, id, seedOf(id, 0));
            }
            assertTrue(b.isResident(), "still pinned by the second pin");
            b.close();
            assertEquals(0, p.metrics().pinnedPages());
        }
    }

    @Test
    void whenEveryFrameIsPinnedAFaultFailsNamingPinsAndRecoversAfterUnpin() {
        try (Pager p = populated()) {
            List<PinnedPage> pins = new ArrayList<>();
            try {
                for (long id = 1; id <= FRAMES; id++) {
                    pins.add(p.cache().pin(id));
                }
                assertEquals(FRAMES, p.metrics().pinnedPages());

                GraphException e = assertThrows(GraphException.class, () -> p.read(FRAMES + 1).close());
                assertTrue(e.getMessage().contains("pinned"), e.getMessage());
                e = assertThrows(GraphException.class, () -> p.write(FRAMES + 2).close());
                assertTrue(e.getMessage().contains("pinned"), e.getMessage());
                e = assertThrows(GraphException.class, () -> p.cache().pin(FRAMES + 3));
                assertTrue(e.getMessage().contains("pinned"), e.getMessage());
                long countBefore = p.pageCount();
                e = assertThrows(GraphException.class, () -> p.allocate(PageType.SLOTTED));
                assertTrue(e.getMessage().contains("pinned"), e.getMessage());
                assertEquals(countBefore, p.pageCount(), "a failed allocation does not move the high-water mark");

                // Pinned pages themselves remain readable and writable.
                for (long id = 1; id <= FRAMES; id++) {
                    assertPattern(p, id, seedOf(id, 0));
                }
                writePattern(p, 2, 4242);
                assertPattern(p, 2, 4242);

                // Release one pin: faults work again (through that single frame).
                pins.remove(0).close();
                assertPattern(p, FRAMES + 1, seedOf(FRAMES + 1, 0));
                assertPattern(p, FRAMES + 2, seedOf(FRAMES + 2, 0));
                long id = p.allocate(PageType.META);
                assertEquals(countBefore, id);
                for (PinnedPage pin : pins) {
                    assertTrue(pin.isResident());
                }
            } finally {
                for (PinnedPage pin : pins) {
                    pin.close();
                }
            }
            for (long id = 1; id <= PAGES; id++) {
                assertPattern(p, id, id == 2 ? 4242 : seedOf(id, 0));
            }
        }
    }
}

package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.PageCacheMetrics;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PageCache#locate}, the one page-locating loop behind read cursors, write cursors and
 * pins: what each way of holding a frame leaves behind, and how it counts hits and misses.
 */
class PageLocateTest {
    private static final int FRAMES = 8;

    @TempDir
    Path dir;

    /** A cache over a file of {@code pages} written pages, none of them cached yet. */
    private static PageCache uncached(PageFile file, int pages) {
        file.ensureCapacity(pages);
        try (PageCache writer = new PageCache(file, (long) FRAMES * PAGE_SIZE)) {
            for (long page = 0; page < pages; page++) {
                writer.create(page);
            }
        }
        return new PageCache(file, (long) FRAMES * PAGE_SIZE);
    }

    @Test
    void aFaultCountsAMissAndTheNextLocateAHitForEveryHold() {
        try (PageFile file = PageFile.open(dir.resolve("pages"), PAGE_SIZE); PageCache cache = uncached(file, 4)) {
            PageCache.Hold[] holds = PageCache.Hold.values();
            for (int i = 0; i < holds.length; i++) {
                long page = i + 1;
                for (int round = 0; round < 2; round++) {
                    PageCacheMetrics before = cache.metrics();
                    locateAndLetGo(cache, page, holds[i]);
                    PageCacheMetrics after = cache.metrics();
                    assertEquals(round == 0 ? 1 : 0, after.misses() - before.misses(), holds[i] + " round " + round);
                    assertEquals(round == 0 ? 0 : 1, after.hits() - before.hits(), holds[i] + " round " + round);
                }
            }
        }
    }

    @Test
    void eachHoldLeavesTheFrameAsItsUserNeedsIt() {
        try (PageFile file = PageFile.open(dir.resolve("pages"), PAGE_SIZE); PageCache cache = uncached(file, 4)) {
            try (PageCursor c = cache.read(1)) {
                Frame f = cache.frame(0);
                assertEquals(1, f.pageId);
                assertFalse(f.lock.isWriteLocked(), "an optimistic read takes no lock");
                assertFalse(c.shouldRetry(), "the stamp handed to the cursor is valid");
            }
            try (PageCursor c = cache.write(1)) {
                assertTrue(cache.frame(0).lock.isWriteLocked(), "a write cursor holds the write lock");
                assertFalse(c.shouldRetry());
            }
            assertFalse(cache.frame(0).lock.isWriteLocked(), "closing the write cursor released it");
            try (PinnedPage pin = cache.pin(1)) {
                Frame f = cache.frame(0);
                assertEquals(1, f.pins.get(), "a pin is raised");
                assertFalse(f.lock.isReadLocked() || f.lock.isWriteLocked(), "and its read lock let go");
                assertSame(f, cache.frame(pin.frameIndex()));
            }
            assertEquals(0, cache.frame(0).pins.get());
        }
    }

    @Test
    void aClosedCacheRefusesEveryHold() {
        try (PageFile file = PageFile.open(dir.resolve("pages"), PAGE_SIZE)) {
            PageCache cache = uncached(file, 2);
            cache.closeWithoutFlush();
            for (PageCache.Hold hold : PageCache.Hold.values()) {
                assertThrows(IllegalStateException.class, () -> cache.locate(1, hold, null), hold.name());
            }
        }
    }

    private static void locateAndLetGo(PageCache cache, long page, PageCache.Hold hold) {
        switch (hold) {
            case OPTIMISTIC_READ -> cache.read(page).close();
            case WRITE_LOCK -> cache.write(page).close();
            case PIN -> cache.pin(page).close();
        }
    }
}

package dev.sablegraph.internal.storage;

import dev.sablegraph.core.PageCacheMetrics;
import static dev.sablegraph.internal.storage.StorageTestSupport.PAGE_SIZE;
import static dev.sablegraph.internal.storage.StorageTestSupport.assertPattern;
import static dev.sablegraph.internal.storage.StorageTestSupport.open;
import static dev.sablegraph.internal.storage.StorageTestSupport.patternLong;
import static dev.sablegraph.internal.storage.StorageTestSupport.payloadOffset;
import static dev.sablegraph.internal.storage.StorageTestSupport.readRawPage;
import static dev.sablegraph.internal.storage.StorageTestSupport.writePattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small cache over many pages: bounded, evicts, writes dirty victims back, and counts it all. */
class PageCacheEvictionTest {
    private static final int FRAMES = 16;
    private static final int PAGES = 200;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("data.sable");
    }

    private static long seedOf(long pageId, int round) {
        return pageId * 7919 + round;
    }

    @Test
    void manyMorePagesThanFramesRoundTripThroughEviction() throws IOException {
        try (Pager p = open(file(), FRAMES)) {
            assertEquals(FRAMES, p.cache().capacityPages());
            for (int i = 0; i < PAGES; i++) {
                long id = p.allocate(PageType.SLOTTED);
                writePattern(p, id, seedOf(id, 0));
            }
            PageCacheMetrics m = p.metrics();
            assertEquals(FRAMES, m.frames());
            assertTrue(m.evictions() >= PAGES - FRAMES, "evictions: " + m);
            assertTrue(m.flushes() >= PAGES - FRAMES, "dirty victims are written back: " + m);
            assertTrue(m.dirtyPages() > 0 && m.dirtyPages() <= FRAMES, "dirty pages are bounded by frames: " + m);
            assertEquals(0, m.pinnedPages());

            // Before any flush, an early page was written back by eviction alone: check the raw file.
            ByteBuffer raw = readRawPage(file(), 1);
            assertTrue(PageLayout.checksumMatches(raw, 1), "written-back page is sealed");
            assertEquals(PageType.SLOTTED.code(), raw.get(PageLayout.TYPE_OFFSET));
            assertEquals(patternLong(seedOf(1, 0), 0), raw.getLong(payloadOffset(0)));
            assertEquals(patternLong(seedOf(1, 0), 300), raw.getLong(payloadOffset(300)));

            // Read everything back (every read of an evicted page is a miss that evicts another).
            long missesBefore = m.misses();
            for (long id = 1; id <= PAGES; id++) {
                assertPattern(p, id, seedOf(id, 0));
            }
            PageCacheMetrics after = p.metrics();
            assertTrue(after.misses() - missesBefore >= PAGES - FRAMES, "misses: " + after);

            // Rewrite in a second round, reading back in reverse order (different eviction pattern).
            for (long id = 1; id <= PAGES; id++) {
                writePattern(p, id, seedOf(id, 1));
            }
            assertTrue(p.metrics().dirtyPages() > 0, "the last pages written are still dirty in memory");
            for (long id = PAGES; id >= 1; id--) {
                assertPattern(p, id, seedOf(id, 1));
            }
            p.flush();
            PageCacheMetrics flushed = p.metrics();
            assertEquals(0, flushed.dirtyPages(), "flush cleans every page: " + flushed);
            assertTrue(flushed.flushes() > after.flushes());
        }
        try (Pager p = open(file(), FRAMES)) {
            for (long id = 1; id <= PAGES; id++) {
                assertPattern(p, id, seedOf(id, 1));
            }
            PageCacheMetrics m = p.metrics();
            assertTrue(m.misses() >= PAGES, "a fresh cache misses every page once: " + m);
            assertEquals(0, m.dirtyPages(), "reading dirties nothing");
            assertEquals(0, m.flushes(), "reading writes nothing back");
        }
    }

    @Test
    void hitsAndMissesAreCountedExactlyForSingleThreadedAccess() {
        try (Pager p = open(file(), FRAMES)) {
            for (int i = 0; i < 64; i++) {
                long id = p.allocate(PageType.SLOTTED);
                writePattern(p, id, seedOf(id, 0));
            }
            p.flush();

            // Page 64 was just written: cached. A read of it is one hit and no miss.
            PageCacheMetrics m0 = p.metrics();
            assertPattern(p, 64, seedOf(64, 0));
            PageCacheMetrics m1 = p.metrics();
            assertEquals(m0.hits() + 1, m1.hits(), "cached read is a hit");
            assertEquals(m0.misses(), m1.misses());

            // Page 1 was evicted long ago: one miss, one eviction, no hit; the victim is clean (flushed).
            assertPattern(p, 1, seedOf(1, 0));
            PageCacheMetrics m2 = p.metrics();
            assertEquals(m1.misses() + 1, m2.misses(), "uncached read is a miss");
            assertEquals(m1.hits(), m2.hits(), "a faulting read is not also a hit");
            assertEquals(m1.evictions() + 1, m2.evictions(), "a full cache evicts one page per miss");
            assertEquals(m1.flushes(), m2.flushes(), "a clean victim is not written");

            // Now it is cached: hit again.
            assertPattern(p, 1, seedOf(1, 0));
            PageCacheMetrics m3 = p.metrics();
            assertEquals(m2.hits() + 1, m3.hits());
            assertEquals(m2.misses(), m3.misses());

            // A write cursor on a cached page is a hit and makes one dirty page.
            writePattern(p, 1, 5);
            PageCacheMetrics m4 = p.metrics();
            assertEquals(m3.hits() + 1, m4.hits());
            assertEquals(1, m4.dirtyPages());

            double expected = (double) m4.hits() / (m4.hits() + m4.misses());
            assertEquals(expected, m4.hitRatio(), 1e-12);
            assertTrue(m4.hitRatio() > 0 && m4.hitRatio() < 1, "hit ratio " + m4.hitRatio());
        }
    }

    @Test
    void repeatedReadsOfAWorkingSetThatFitsAreAllHits() {
        try (Pager p = open(file(), FRAMES)) {
            for (int i = 0; i < 8; i++) {
                long id = p.allocate(PageType.SLOTTED);
                writePattern(p, id, seedOf(id, 0));
            }
            PageCacheMetrics before = p.metrics();
            for (int round = 0; round < 50; round++) {
                for (long id = 1; id <= 8; id++) {
                    assertPattern(p, id, seedOf(id, 0));
                }
            }
            PageCacheMetrics after = p.metrics();
            assertEquals(before.misses(), after.misses(), "a working set smaller than the cache never misses");
            assertEquals(before.evictions(), after.evictions());
            assertEquals(before.hits() + 400, after.hits());
            assertTrue(after.hitRatio() > 0.9, "hit ratio " + after.hitRatio());
        }
    }

    @Test
    void pinThatFaultsCountsAMissAndNotAHit() {
        try (Pager p = open(file(), FRAMES)) {
            for (int i = 0; i < 40; i++) {
                long id = p.allocate(PageType.SLOTTED);
                writePattern(p, id, seedOf(id, 0));
            }
            PageCacheMetrics m0 = p.metrics();
            try (PinnedPage pin = p.cache().pin(1)) { // page 1 is not cached any more
                assertTrue(pin.isResident());
            }
            PageCacheMetrics m1 = p.metrics();
            assertEquals(m0.misses() + 1, m1.misses(), "the pin read the page from disk");
            assertEquals(m0.hits(), m1.hits(),
                    "metrics doc: hits are accesses served from memory; a pin that faulted was not one");
        }
    }

    @Test
    void metricsOfAnEmptyCache() {
        PageCacheMetrics m = new PageCacheMetrics(16, 0, 0, 0, 0, 0, 0);
        assertEquals(0.0, m.hitRatio());
        assertEquals(0.75, new PageCacheMetrics(16, 3, 1, 0, 0, 0, 0).hitRatio(), 1e-12);
    }

    @Test
    void cacheNeedsAtLeastEightFrames() {
        PageFile f = PageFile.open(file(), PAGE_SIZE);
        try {
            assertThrows(IllegalArgumentException.class, () -> new PageCache(f, 7L * PAGE_SIZE));
            PageCache c = new PageCache(f, 8L * PAGE_SIZE);
            assertEquals(8, c.capacityPages());
            c.close();
        } finally {
            f.close();
        }
    }
}

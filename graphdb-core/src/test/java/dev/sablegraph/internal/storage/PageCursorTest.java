package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.PAGE_SIZE;
import static dev.sablegraph.internal.storage.StorageTestSupport.assertPattern;
import static dev.sablegraph.internal.storage.StorageTestSupport.open;
import static dev.sablegraph.internal.storage.StorageTestSupport.payloadOffset;
import static dev.sablegraph.internal.storage.StorageTestSupport.writePattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/** Read and write cursor contracts, bounds handling, and use of closed pagers and caches. */
class PageCursorTest {
    @TempDir
    Path dir;

    private Pager pagerWithPages(int n) {
        Pager p = open(dir.resolve("data.sable"), 16);
        for (int i = 0; i < n; i++) {
            long id = p.allocate(PageType.SLOTTED);
            writePattern(p, id, id);
        }
        return p;
    }

    @Test
    void readCursorWithoutWriterNeedsNoRetry() {
        try (Pager p = pagerWithPages(3); PageCursor c = p.read(2)) {
            assertFalse(c.isWritable());
            assertEquals(2, c.pageId());
            assertEquals(PAGE_SIZE, c.pageSize());
            c.getLong(payloadOffset(0));
            c.getInt(PageLayout.HEADER_SIZE);
            assertFalse(c.shouldRetry());
            assertFalse(c.shouldRetry(), "still valid on a second check");
        }
    }

    @Test
    void readCursorSeesAnInterveningWriteAsRetryAndThenTheNewValue() {
        try (Pager p = pagerWithPages(3); PageCursor r = p.read(2)) {
            long before = r.getLong(payloadOffset(0));
            try (PageCursor w = p.write(2)) { // same thread: read cursors hold no lock
                w.putLong(payloadOffset(0), before + 1);
            }
            assertTrue(r.shouldRetry(), "a write since the read invalidates it");
            long after = r.getLong(payloadOffset(0));
            assertFalse(r.shouldRetry());
            assertEquals(before + 1, after);
        }
    }

    @Test
    void readCursorWhosePageWasEvictedRelocatesIt() {
        try (Pager p = pagerWithPages(60); PageCursor r = p.read(1)) {
            long first = r.getLong(payloadOffset(5));
            for (long id = 2; id <= 60; id++) {
                assertPattern(p, id, id); // evicts page 1 from under the cursor
            }
            assertTrue(r.shouldRetry(), "eviction of the page invalidates the read");
            long again;
            do {
                again = r.getLong(payloadOffset(5));
            } while (r.shouldRetry());
            assertEquals(first, again);
            assertEquals(StorageTestSupport.patternLong(1, 5), again);
        }
    }

    @Test
    void outOfBoundsReadsOnReadCursorReturnZeroThenFailValidationAsCorruption() {
        try (Pager p = pagerWithPages(3)) {
            List<Consumer<PageCursor>> badReads = List.of(
                    c -> assertEquals(0, c.getLong(PAGE_SIZE - 4)),
                    c -> assertEquals(0, c.getLong(-8)),
                    c -> assertEquals(0, c.getInt(PAGE_SIZE)),
                    c -> assertEquals(0, c.getUnsignedShort(PAGE_SIZE - 1)),
                    c -> assertEquals(0, c.getByte(PAGE_SIZE)),
                    c -> assertEquals(0, c.getByte(Integer.MIN_VALUE)),
                    c -> c.getBytes(PAGE_SIZE - 10, new byte[20], 0, 20),
                    c -> c.getBytes(100, new byte[20], 0, -1),
                    c -> c.getBytes(100, new byte[4], 0, 8));
            for (Consumer<PageCursor> bad : badReads) {
                try (PageCursor c = p.read(3)) {
                    bad.accept(c);
                    CorruptionException e = assertThrows(CorruptionException.class, c::shouldRetry);
                    assertEquals(3, e.page());
                    assertEquals(dir.resolve("data.sable").toString(), e.file());
                    // The flag is consumed: in-bounds reads afterwards validate normally.
                    assertEquals(StorageTestSupport.patternLong(3, 0), c.getLong(payloadOffset(0)));
                    assertFalse(c.shouldRetry());
                }
            }
        }
    }

    @Test
    void outOfBoundsOnWriteCursorThrowsCorruptionAtOnce() {
        try (Pager p = pagerWithPages(3)) {
            List<Consumer<PageCursor>> bad = List.of(
                    c -> c.putLong(PAGE_SIZE - 7, 1),
                    c -> c.putInt(-1, 1),
                    c -> c.putShort(PAGE_SIZE - 1, 1),
                    c -> c.putByte(PAGE_SIZE, (byte) 1),
                    c -> c.putBytes(PAGE_SIZE - 2, new byte[3], 0, 3),
                    c -> c.getLong(PAGE_SIZE - 1),
                    c -> c.getInt(-4),
                    c -> c.copyWithin(PAGE_SIZE - 4, 0, 8),
                    c -> c.copyWithin(0, PAGE_SIZE - 4, 8));
            for (Consumer<PageCursor> op : bad) {
                try (PageCursor c = p.write(3)) {
                    assertTrue(c.isWritable());
                    CorruptionException e = assertThrows(CorruptionException.class, () -> op.accept(c));
                    assertEquals(3, e.page());
                    assertFalse(c.shouldRetry(), "write cursors never need a retry");
                }
            }
            // None of the refused writes touched the page.
            assertPattern(p, 3, 3);
        }
    }

    @Test
    void writeCursorBoundaryAccessesWork() {
        try (Pager p = pagerWithPages(2)) {
            try (PageCursor c = p.write(1)) {
                c.putLong(PAGE_SIZE - 8, -1L);
                c.putByte(PAGE_SIZE - 9, (byte) 7);
                assertEquals(-1L, c.getLong(PAGE_SIZE - 8));
                byte[] src = {1, 2, 3, 4, 5, 6};
                c.putBytes(100, src, 0, src.length);
                c.copyWithin(100, 102, 6); // overlapping move forwards
                byte[] got = new byte[8];
                c.getBytes(100, got, 0, 8);
                assertArrayEquals(new byte[] {1, 2, 1, 2, 3, 4, 5, 6}, got);
                assertThrows(IndexOutOfBoundsException.class, () -> c.getBytes(100, new byte[4], 2, 4));
            }
            try (PageCursor c = p.read(1)) {
                long last;
                byte b;
                do {
                    last = c.getLong(PAGE_SIZE - 8);
                    b = c.getByte(PAGE_SIZE - 9);
                } while (c.shouldRetry());
                assertEquals(-1L, last);
                assertEquals(7, b);
            }
        }
    }

    @Test
    void zeroPageAndPageTypeOnWriteCursor() {
        try (Pager p = pagerWithPages(2); PageCursor c = p.write(2)) {
            assertEquals(PageType.SLOTTED, c.pageType());
            c.zeroPage();
            assertEquals(PageType.UNFORMATTED, c.pageType());
            c.setPageType(PageType.OVERFLOW);
        }
        try (Pager q = open(dir.resolve("data.sable"), 16)) {
            assertEquals(PageType.OVERFLOW, StorageTestSupport.readType(q, 2));
            long[] payload = StorageTestSupport.readPayload(q, 2);
            for (long v : payload) {
                assertEquals(0, v);
            }
        }
    }

    @Test
    void readCursorRefusesEveryWrite() {
        try (Pager p = pagerWithPages(2); PageCursor c = p.read(1)) {
            List<Executable> writes = List.of(
                    () -> c.putByte(100, (byte) 1),
                    () -> c.putShort(100, 1),
                    () -> c.putInt(100, 1),
                    () -> c.putLong(100, 1),
                    () -> c.putBytes(100, new byte[2], 0, 2),
                    () -> c.copyWithin(100, 200, 8),
                    c::zeroPage,
                    () -> c.setPageType(PageType.META));
            for (Executable w : writes) {
                IllegalStateException e = assertThrows(IllegalStateException.class, w);
                assertTrue(e.getMessage().contains("page 1"), e.getMessage());
            }
            assertFalse(c.shouldRetry());
            assertEquals(StorageTestSupport.patternLong(1, 0), c.getLong(payloadOffset(0)));
        }
        try (Pager p = open(dir.resolve("data.sable"), 16)) {
            assertPattern(p, 1, 1);
            assertEquals(PageType.SLOTTED, StorageTestSupport.readType(p, 1));
        }
    }

    @Test
    void closingACursorTwiceIsHarmless() {
        try (Pager p = pagerWithPages(2)) {
            PageCursor w = p.write(1);
            w.putLong(payloadOffset(0), 9);
            w.close();
            w.close(); // a second unlock of the write stamp would throw IllegalMonitorStateException
            try (PageCursor again = p.write(1)) { // the lock really is free
                assertEquals(9, again.getLong(payloadOffset(0)));
            }
            assertTrue(p.metrics().dirtyPages() >= 1);
        }
    }

    @Test
    void pagerRejectsPagesThatAreNotAllocated() {
        try (Pager p = pagerWithPages(5)) {
            for (long bad : new long[] {0, -1, 6, 7, Long.MAX_VALUE, Long.MIN_VALUE}) {
                assertThrows(IllegalArgumentException.class, () -> p.read(bad), "read " + bad);
                assertThrows(IllegalArgumentException.class, () -> p.write(bad), "write " + bad);
                assertThrows(IllegalArgumentException.class, () -> p.free(bad), "free " + bad);
            }
            p.free(4);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.free(4));
            assertTrue(e.getMessage().contains("already free"), e.getMessage());
            assertEquals(1, p.freePageCount(), "a refused double free changes nothing");
        }
    }

    @Test
    void closedPagerRefusesUse() {
        Pager p = pagerWithPages(3);
        PageCache cache = p.cache();
        p.close();
        p.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> p.read(1));
        assertThrows(IllegalStateException.class, () -> p.write(1));
        assertThrows(IllegalStateException.class, () -> p.allocate(PageType.SLOTTED));
        assertThrows(IllegalStateException.class, () -> p.free(1));
        assertThrows(IllegalStateException.class, p::flush);
        assertThrows(IllegalStateException.class, () -> cache.read(1));
        assertThrows(IllegalStateException.class, () -> cache.write(1));
        assertThrows(IllegalStateException.class, () -> cache.pin(1));
        assertThrows(IllegalStateException.class, () -> cache.create(100));
    }

    @Test
    void closedPageCacheRefusesUse() {
        Path f = dir.resolve("raw.sable");
        try (PageFile file = PageFile.open(f, PAGE_SIZE)) {
            file.ensureCapacity(4);
            PageCache cache = new PageCache(file, 8L * PAGE_SIZE);
            cache.create(1);
            try (PageCursor c = cache.write(1)) {
                c.setPageType(PageType.META);
                c.putLong(payloadOffset(0), 31337);
            }
            cache.close();
            cache.close();
            assertThrows(IllegalStateException.class, () -> cache.read(1));
            assertThrows(IllegalStateException.class, () -> cache.write(1));
            assertThrows(IllegalStateException.class, () -> cache.pin(1));
            // close flushed the page: it is on disk, sealed.
            java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocateDirect(PAGE_SIZE);
            file.read(1, raw);
            assertEquals(31337, raw.getLong(payloadOffset(0)));
            assertEquals(PageType.META.code(), raw.get(PageLayout.TYPE_OFFSET));
        }
    }

    @Test
    void pageCacheRejectsPagesBeyondTheFile() {
        Path f = dir.resolve("raw.sable");
        try (PageFile file = PageFile.open(f, PAGE_SIZE); PageCache cache = new PageCache(file, 8L * PAGE_SIZE)) {
            file.ensureCapacity(1);
            long beyond = file.capacityPages();
            assertThrows(IllegalArgumentException.class, () -> cache.read(beyond));
            // A never-written page inside the file is zeros: its checksum cannot match.
            CorruptionException e = assertThrows(CorruptionException.class, () -> cache.read(beyond - 1));
            assertEquals(beyond - 1, e.page());
        }
    }
}

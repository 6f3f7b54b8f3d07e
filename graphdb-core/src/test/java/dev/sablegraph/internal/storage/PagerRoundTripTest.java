package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.PAGE_SIZE;
import static dev.sablegraph.internal.storage.StorageTestSupport.PAYLOAD_LONGS;
import static dev.sablegraph.internal.storage.StorageTestSupport.assertPattern;
import static dev.sablegraph.internal.storage.StorageTestSupport.open;
import static dev.sablegraph.internal.storage.StorageTestSupport.payloadOffset;
import static dev.sablegraph.internal.storage.StorageTestSupport.readPayload;
import static dev.sablegraph.internal.storage.StorageTestSupport.readType;
import static dev.sablegraph.internal.storage.StorageTestSupport.writePattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pages, roots and the free list written through a {@link Pager} come back after close and reopen. */
class PagerRoundTripTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("data.sable");
    }

    private static long seedOf(long pageId) {
        return pageId * 1_000_003L + 17;
    }

    @Test
    void freshFileHoldsOnlyTheHeader() throws IOException {
        try (Pager p = open(file(), 16)) {
            assertEquals(1, p.pageCount());
            assertEquals(0, p.freePageCount());
            assertEquals(PAGE_SIZE, p.pageSize());
            for (int slot = 0; slot < FileHeader.ROOT_SLOTS; slot++) {
                assertEquals(0, p.root(slot), "root slot " + slot);
            }
        }
        try (Pager p = open(file(), 16)) {
            assertEquals(1, p.pageCount());
            assertEquals(0, p.freePageCount());
        }
        assertEquals(0, Files.size(file()) % PAGE_SIZE);
    }

    @Test
    void pagesRootsAndFreeListSurviveReopen() {
        int pages = 60; // more than the 16 frames: most pages reach the file through eviction
        byte[] blob = "sable page payload \u2603".getBytes(StandardCharsets.UTF_8);
        try (Pager p = open(file(), 16)) {
            for (int i = 0; i < pages; i++) {
                long id = p.allocate(PageType.SLOTTED);
                assertEquals(i + 1, id, "fresh pages come from the high-water mark in order");
                writePattern(p, id, seedOf(id));
            }
            try (PageCursor c = p.write(42)) {
                c.putBytes(PAGE_SIZE - blob.length, blob, 0, blob.length);
            }
            p.setRoot(0, 12345);
            p.setRoot(7, Long.MAX_VALUE);
            p.setRoot(FileHeader.ROOT_SLOTS - 1, -2);
            p.free(10);
            p.free(20);
            p.free(30);
            assertEquals(3, p.freePageCount());
        }

        // A different configured page size must not matter: the file keeps its own.
        GraphConfig other = GraphConfig.builder().pageSize(8192).pageCacheBytes(64L * 8192).build();
        try (Pager p = Pager.open(file(), other)) {
            assertEquals(PAGE_SIZE, p.pageSize());
            assertEquals(pages + 1, p.pageCount());
            assertEquals(3, p.freePageCount());
            assertEquals(12345, p.root(0));
            assertEquals(Long.MAX_VALUE, p.root(7));
            assertEquals(-2, p.root(FileHeader.ROOT_SLOTS - 1));
            assertEquals(0, p.root(1));
            for (long id = 1; id <= pages; id++) {
                if (id == 10 || id == 20 || id == 30) {
                    assertEquals(PageType.FREE, readType(p, id), "freed page " + id);
                    continue;
                }
                assertEquals(PageType.SLOTTED, readType(p, id), "type of page " + id);
                if (id != 42) {
                    assertPattern(p, id, seedOf(id));
                }
            }
            byte[] back = new byte[blob.length];
            try (PageCursor c = p.read(42)) {
                do {
                    c.getBytes(PAGE_SIZE - blob.length, back, 0, back.length);
                } while (c.shouldRetry());
            }
            assertArrayEquals(blob, back);

            // The free list came back too, still last-in first-out, and before the file grows.
            assertEquals(30, p.allocate(PageType.META));
            assertEquals(20, p.allocate(PageType.META));
            assertEquals(10, p.allocate(PageType.META));
            assertEquals(0, p.freePageCount());
            assertEquals(pages + 1, p.allocate(PageType.META));
            assertEquals(pages + 2, p.pageCount());
        }
    }

    @Test
    void freedPagesAreReusedLifoAndComeBackZeroed() {
        try (Pager p = open(file(), 16)) {
            for (int i = 0; i < 8; i++) {
                long id = p.allocate(PageType.SLOTTED);
                writePattern(p, id, seedOf(id));
            }
            p.free(3);
            p.free(7);
            p.free(5);
            assertEquals(3, p.freePageCount());
            assertEquals(9, p.pageCount());

            assertEquals(5, p.allocate(PageType.OVERFLOW));
            assertEquals(7, p.allocate(PageType.SLOTTED));
            assertEquals(3, p.allocate(PageType.META));
            assertEquals(9, p.pageCount(), "no growth while the free list had pages");
            assertEquals(0, p.freePageCount());
            assertEquals(9, p.allocate(PageType.SLOTTED), "then the high-water mark");
            assertEquals(10, p.pageCount());

            assertEquals(PageType.OVERFLOW, readType(p, 5));
            assertEquals(PageType.META, readType(p, 3));
            for (long id : new long[] {5, 7, 3, 9}) {
                long[] payload = readPayload(p, id);
                for (int i = 0; i < PAYLOAD_LONGS; i++) {
                    assertEquals(0, payload[i], "reused page " + id + " must be zeroed, long #" + i);
                }
            }
            assertPattern(p, 1, seedOf(1));
            assertPattern(p, 8, seedOf(8));
        }
    }

    @Test
    void fileGrowsInExtentsNotPageByPage() throws IOException {
        Path f = file();
        List<Long> sizes = new ArrayList<>();
        try (Pager p = open(f, 16)) {
            long size = Files.size(f);
            assertEquals(0, size % PAGE_SIZE, "size is whole pages");
            assertTrue(size >= MIB, "a fresh file is one extent of at least 1 MiB, was " + size);
            sizes.add(size);
            for (int i = 0; i < 700; i++) {
                p.allocate(PageType.SLOTTED);
                long now = Files.size(f);
                assertTrue(now >= p.pageCount() * PAGE_SIZE, "file holds every allocated page");
                if (now != size) {
                    assertTrue(now > size, "file never shrinks");
                    assertTrue(now - size >= MIB, "grew by " + (now - size) + " bytes, less than an extent");
                    assertEquals(0, now % PAGE_SIZE, "size is whole pages: " + now);
                    sizes.add(now);
                    size = now;
                }
            }
            assertEquals(701, p.pageCount());
        }
        // 700 pages of 4 KiB are 2.8 MB: growing by >= 1 MiB means at most three sizes in all.
        assertTrue(sizes.size() >= 2 && sizes.size() <= 3, "file sizes seen: " + sizes);
        long finalSize = Files.size(f);
        assertEquals(0, finalSize % PAGE_SIZE);
        try (Pager p = open(f, 16)) {
            assertEquals(701, p.pageCount());
        }
    }

    @Test
    void flushMakesThePagesAndHeaderDurableWhileOpen() throws IOException {
        Path copy = dir.resolve("copy.sable");
        try (Pager p = open(file(), 16)) {
            for (int i = 0; i < 40; i++) {
                long id = p.allocate(PageType.SLOTTED);
                writePattern(p, id, seedOf(id));
            }
            p.free(11);
            p.setRoot(3, 99);
            p.flush();
            assertEquals(0, p.metrics().dirtyPages(), "flush leaves no dirty page");
            // Snapshot the file as it is on disk while the pager is still open.
            Files.copy(file(), copy, StandardCopyOption.REPLACE_EXISTING);
            writePattern(p, 12, 777); // after the snapshot: must not be in the copy
        }
        try (Pager p = open(copy, 16)) {
            assertEquals(41, p.pageCount());
            assertEquals(1, p.freePageCount());
            assertEquals(99, p.root(3));
            assertEquals(PageType.FREE, readType(p, 11));
            assertPattern(p, 12, seedOf(12));
            assertPattern(p, 40, seedOf(40));
        }
        try (Pager p = open(file(), 16)) {
            assertPattern(p, 12, 777);
        }
    }

    @Test
    void writesAreVisibleToReadsBeforeAnyFlush() {
        try (Pager p = open(file(), 16)) {
            long id = p.allocate(PageType.SLOTTED);
            try (PageCursor c = p.write(id)) {
                c.putLong(payloadOffset(0), 0x1122334455667788L);
                c.putInt(payloadOffset(1), -7);
                c.putShort(payloadOffset(2), 0xBEEF);
                c.putByte(payloadOffset(3), (byte) 0x5A);
                assertEquals(0x1122334455667788L, c.getLong(payloadOffset(0)), "a write cursor reads its own writes");
            }
            try (PageCursor c = p.read(id)) {
                long l;
                int i;
                int s;
                byte b;
                do {
                    l = c.getLong(payloadOffset(0));
                    i = c.getInt(payloadOffset(1));
                    s = c.getUnsignedShort(payloadOffset(2));
                    b = c.getByte(payloadOffset(3));
                } while (c.shouldRetry());
                assertEquals(0x1122334455667788L, l);
                assertEquals(-7, i);
                assertEquals(0xBEEF, s);
                assertEquals((byte) 0x5A, b);
                assertEquals(PageType.SLOTTED, c.pageType());
            }
        }
    }
}

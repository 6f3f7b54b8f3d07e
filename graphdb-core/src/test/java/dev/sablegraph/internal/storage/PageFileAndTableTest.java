package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page file's growth rule and checksums, and the page table's mapping across chunks. */
class PageFileAndTableTest {
    @TempDir
    Path dir;

    @Test
    void growthFollowsTheExtentRule() throws IOException {
        Path f = dir.resolve("grow.sable");
        try (PageFile file = PageFile.open(f, PAGE_SIZE)) {
            assertEquals(0, file.capacityPages());
            file.ensureCapacity(1);
            assertEquals(PageFile.MIN_EXTENT_BYTES / PAGE_SIZE, file.capacityPages(), "first extent is 1 MiB");
            // Grow one page past the end until 16 MiB: each step adds max(1 MiB, size / 8).
            while (file.capacityPages() * PAGE_SIZE < 16L << 20) {
                long before = file.capacityPages();
                long expectedExtent = Math.min(PageFile.MAX_EXTENT_BYTES,
                        Math.max(PageFile.MIN_EXTENT_BYTES, before * PAGE_SIZE / 8)) / PAGE_SIZE;
                file.ensureCapacity(before + 1);
                assertEquals(before + expectedExtent, file.capacityPages(), "growth from " + before + " pages");
                assertEquals(file.capacityPages() * PAGE_SIZE, Files.size(f), "the extent is really written");
            }
            long cap = file.capacityPages();
            file.ensureCapacity(cap); // no-op
            file.ensureCapacity(10);
            assertEquals(cap, file.capacityPages());
            file.ensureCapacity(cap + 5000); // a request beyond one extent gets exactly what it asked for
            assertEquals(cap + 5000, file.capacityPages());
            assertEquals((cap + 5000) * PAGE_SIZE, Files.size(f));
        }
        try (PageFile reopened = PageFile.open(f, PAGE_SIZE)) {
            assertEquals(Files.size(f) / PAGE_SIZE, reopened.capacityPages());
        }
    }

    @Test
    void writeSealsAndReadVerifies() throws IOException {
        Path f = dir.resolve("pages.sable");
        try (PageFile file = PageFile.open(f, PAGE_SIZE)) {
            file.ensureCapacity(4);
            ByteBuffer page = ByteBuffer.allocateDirect(PAGE_SIZE);
            page.put(PageLayout.TYPE_OFFSET, PageType.META.code());
            page.putLong(PageLayout.HEADER_SIZE, 0xCAFEBABEL);
            file.write(2, page);
            assertTrue(PageLayout.checksumMatches(page, 2), "write stamps the checksum into the source");
            assertTrue(!PageLayout.checksumMatches(page, 3), "the page number is part of the checksum");

            ByteBuffer back = ByteBuffer.allocateDirect(PAGE_SIZE);
            file.read(2, back);
            assertEquals(0xCAFEBABEL, back.getLong(PageLayout.HEADER_SIZE));

            // A zero page (never written) fails verification.
            CorruptionException e = assertThrows(CorruptionException.class, () -> file.read(3, back));
            assertEquals(3, e.page());
            assertEquals(f.toString(), e.file());
        }
        StorageTestSupport.flipByte(f, 2L * PAGE_SIZE + PAGE_SIZE - 1, 0x80);
        try (PageFile file = PageFile.open(f, PAGE_SIZE)) {
            CorruptionException e = assertThrows(CorruptionException.class,
                    () -> file.read(2, ByteBuffer.allocateDirect(PAGE_SIZE)));
            assertEquals(2, e.page());
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        }
        StorageTestSupport.truncate(f, 2L * PAGE_SIZE + 100);
        try (PageFile file = PageFile.open(f, PAGE_SIZE)) {
            CorruptionException e = assertThrows(CorruptionException.class,
                    () -> file.read(2, ByteBuffer.allocateDirect(PAGE_SIZE)));
            assertEquals(2, e.page(), "a page cut short by the end of the file");
        }
    }

    @Test
    void pageWrittenAtTheWrongOffsetIsDetected() throws IOException {
        Path f = dir.resolve("misdirected.sable");
        try (PageFile file = PageFile.open(f, PAGE_SIZE)) {
            file.ensureCapacity(4);
            ByteBuffer page = ByteBuffer.allocateDirect(PAGE_SIZE);
            page.put(PageLayout.TYPE_OFFSET, PageType.META.code());
            page.putLong(PageLayout.HEADER_SIZE, 77L);
            file.write(2, page);
            // A misdirected write: page 2's sealed bytes land where page 3 belongs.
            ByteBuffer raw = StorageTestSupport.readRawPage(f, 2);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(raw, 3L * PAGE_SIZE);
            }
            CorruptionException e = assertThrows(CorruptionException.class,
                    () -> file.read(3, ByteBuffer.allocateDirect(PAGE_SIZE)));
            assertEquals(3, e.page());
        }
    }

    @Test
    void checksumCoversEverythingButItself() {
        ByteBuffer page = ByteBuffer.allocate(PAGE_SIZE);
        page.putLong(100, 42);
        PageLayout.seal(page, 9);
        assertTrue(PageLayout.checksumMatches(page, 9));
        for (int offset : new int[] {PageLayout.TYPE_OFFSET, PageLayout.LSN_OFFSET, 100, PAGE_SIZE - 1}) {
            page.put(offset, (byte) (page.get(offset) ^ 1));
            assertTrue(!PageLayout.checksumMatches(page, 9), "flip at " + offset + " detected");
            page.put(offset, (byte) (page.get(offset) ^ 1));
            assertTrue(PageLayout.checksumMatches(page, 9));
        }
    }

    @Test
    void pageTableMapsAcrossChunksAndRemovesOnlyItsOwnFrame() {
        PageTable t = new PageTable();
        long[] ids = {0, 1, 4095, 4096, 65_535, 65_536, 1_000_000, 123_456_789L};
        for (long id : ids) {
            assertEquals(-1, t.get(id));
        }
        for (int i = 0; i < ids.length; i++) {
            t.put(ids[i], i);
        }
        for (int i = 0; i < ids.length; i++) {
            assertEquals(i, t.get(ids[i]), "page " + ids[i]);
        }
        assertEquals(-1, t.get(2));
        assertEquals(-1, t.get(-1));
        t.remove(4096, 99); // names another frame: ignored
        assertEquals(3, t.get(4096));
        t.remove(4096, 3);
        assertEquals(-1, t.get(4096));
        assertEquals(2, t.get(4095));
        assertEquals(4, t.get(65_535));
        assertEquals(7, t.get(123_456_789L));
    }

    @Test
    void pageTableGrowsSafelyUnderConcurrentPuts() throws InterruptedException {
        PageTable t = new PageTable();
        int threads = 4;
        int perThread = 40; // each thread touches its own chunks, forcing concurrent directory growth
        Thread[] ts = new Thread[threads];
        for (int k = 0; k < threads; k++) {
            int me = k;
            ts[k] = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    long id = ((long) (i * threads + me) << 12) + me;
                    t.put(id, me * 1000 + i);
                }
            });
            ts[k].start();
        }
        for (Thread th : ts) {
            th.join(60_000);
        }
        for (int k = 0; k < threads; k++) {
            for (int i = 0; i < perThread; i++) {
                long id = ((long) (i * threads + k) << 12) + k;
                assertEquals(k * 1000 + i, t.get(id), "page " + id);
            }
        }
    }
}

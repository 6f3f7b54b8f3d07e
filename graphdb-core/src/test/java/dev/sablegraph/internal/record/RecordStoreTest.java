package dev.sablegraph.internal.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.internal.storage.Pager;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordStoreTest {
    private static final int ROOT = 0;
    private static final int STORE = 7;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("data.sable");
    }

    private static GraphConfig cache(long bytes) {
        return GraphConfig.builder().pageCacheBytes(bytes).build();
    }

    private static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    @Test
    void insertReadUpdateDeleteSurviveReopen() {
        Random rnd = new Random(1);
        Map<Long, byte[]> expected = new HashMap<>();
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            RecordStore store = RecordStore.open(pager, ROOT, STORE, 256);
            for (int i = 0; i < 2000; i++) {
                byte[] r = randomBytes(rnd, rnd.nextInt(300));
                expected.put(store.insert(r), r);
            }
            List<Long> ptrs = new ArrayList<>(expected.keySet());
            for (int i = 0; i < 500; i++) {
                long p = ptrs.get(i);
                byte[] r = randomBytes(rnd, rnd.nextInt(600));
                long moved = store.update(p, r);
                expected.remove(p);
                expected.put(moved, r);
            }
            for (Long p : new ArrayList<>(expected.keySet()).subList(0, 300)) {
                store.delete(p);
                assertNull(store.read(p));
                expected.remove(p);
            }
            assertEquals(expected.size(), store.recordCount());
        }
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            RecordStore store = RecordStore.open(pager, ROOT, STORE, 256);
            assertEquals(expected.size(), store.recordCount());
            expected.forEach((p, r) -> assertArrayEquals(r, store.read(p), () -> "record " + RecordPointer.toString(p)));
            Map<Long, byte[]> scanned = new HashMap<>();
            store.forEach(scanned::put);
            assertEquals(expected.keySet(), scanned.keySet());
            expected.forEach((p, r) -> assertArrayEquals(r, scanned.get(p)));
        }
    }

    @Test
    void oneMebibyteValueStoresAndLoadsCompressedAndNot() {
        Random rnd = new Random(2);
        byte[] incompressible = randomBytes(rnd, 1 << 20);
        byte[] compressible = new byte[1 << 20];
        for (int i = 0; i < compressible.length; i++) {
            compressible[i] = (byte) "sable graph ".charAt(i % 12);
        }
        long a;
        long b;
        long pagesAfter;
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            RecordStore store = RecordStore.open(pager, ROOT, STORE, 256);
            long before = pager.pageCount();
            a = store.insert(incompressible);
            long afterIncompressible = pager.pageCount();
            b = store.insert(compressible);
            pagesAfter = pager.pageCount();
            // Incompressible: about 128 overflow pages; compressible: lz4 shrinks it to a few pages.
            assertTrue(afterIncompressible - before >= (1 << 20) / pager.pageSize());
            assertTrue(pagesAfter - afterIncompressible < 10, "compressed 1 MiB took " + (pagesAfter - afterIncompressible) + " pages");
        }
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            RecordStore store = RecordStore.open(pager, ROOT, STORE, 256);
            assertArrayEquals(incompressible, store.read(a));
            assertArrayEquals(compressible, store.read(b));
            long freeBefore = pager.freePageCount();
            store.delete(a);
            assertTrue(pager.freePageCount() - freeBefore >= 128, "overflow pages return to the free list");
            long c = store.insert(incompressible);
            assertEquals(pagesAfter, pager.pageCount(), "freed overflow pages are reused, the file does not grow");
            assertArrayEquals(incompressible, store.read(c));
        }
    }

    @Test
    void storeTenTimesLargerThanItsCacheReopensAndReadsEverything() {
        GraphConfig small = cache(4L << 20);
        Random rnd = new Random(3);
        List<Long> ptrs = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        long written = 0;
        try (Pager pager = Pager.open(file(), small)) {
            RecordStore store = RecordStore.open(pager, ROOT, STORE, 1 << 30);
            while (written < (64L << 20)) {
                long seed = rnd.nextLong();
                byte[] r = recordFor(seed);
                ptrs.add(store.insert(r));
                seeds.add(seed);
                written += r.length;
            }
            PageCacheMetrics m = pager.metrics();
            assertTrue(m.evictions() > 0 && m.flushes() > 0, m.toString());
        }
        assertTrue(file().toFile().length() > 10 * (4L << 20), "file is 10x the cache");
        try (Pager pager = Pager.open(file(), small)) {
            RecordStore store = RecordStore.open(pager, ROOT, STORE, 1 << 30);
            assertEquals(ptrs.size(), store.recordCount());
            for (int i = 0; i < ptrs.size(); i++) {
                assertArrayEquals(recordFor(seeds.get(i)), store.read(ptrs.get(i)));
            }
            PageCacheMetrics m = pager.metrics();
            assertTrue(m.misses() > 8 * m.frames(), "reads went to disk: " + m);
        }
    }

    /** A deterministic record of 100..1100 bytes from a seed. */
    private static byte[] recordFor(long seed) {
        Random r = new Random(seed);
        return randomBytes(r, 100 + r.nextInt(1000));
    }

    @Test
    void freeSpaceIsReusedWithoutGrowingTheFile() {
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            RecordStore store = RecordStore.open(pager, ROOT, STORE, 1 << 30);
            List<Long> ptrs = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                ptrs.add(store.insert(new byte[200]));
            }
            long pages = pager.pageCount();
            for (int i = 0; i < ptrs.size(); i += 2) {
                store.delete(ptrs.get(i));
            }
            for (int i = 0; i < 2500; i++) {
                store.insert(new byte[200]);
            }
            assertEquals(pages, pager.pageCount(), "deleted space is found through the free-space map");
        }
    }

    @Test
    void freeSpaceHintsSurviveReopen() {
        List<Long> ptrs = new ArrayList<>();
        long pages;
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            RecordStore store = RecordStore.open(pager, ROOT, STORE, 1 << 30);
            for (int i = 0; i < 3000; i++) {
                ptrs.add(store.insert(new byte[200]));
            }
            for (int i = 0; i < ptrs.size(); i += 2) {
                store.delete(ptrs.get(i));
            }
            pages = pager.pageCount();
        }
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            RecordStore store = RecordStore.open(pager, ROOT, STORE, 1 << 30);
            assertTrue(store.pagesWithFreeSpace() > 0);
            for (int i = 0; i < 1500; i++) {
                store.insert(new byte[200]);
            }
            assertEquals(pages, pager.pageCount());
        }
    }

    @Test
    void updateThatNoLongerFitsMovesTheRecord() {
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            RecordStore store = RecordStore.open(pager, ROOT, STORE, 1 << 30);
            List<Long> ptrs = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ptrs.add(store.insert(new byte[250]));
            }
            byte[] big = new byte[1500];
            Arrays.fill(big, (byte) 9);
            long moved = store.update(ptrs.get(0), big);
            assertNotEquals(ptrs.get(0), moved);
            assertNull(store.read(ptrs.get(0)));
            assertArrayEquals(big, store.read(moved));
            long same = store.update(ptrs.get(1), new byte[10]);
            assertEquals(ptrs.get(1), same, "a shrinking update stays in place");
            assertEquals(30, store.recordCount());
        }
    }

    @Test
    void badPointersAndRecordsAreRefusedClearly() {
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            RecordStore store = RecordStore.open(pager, ROOT, STORE, 256);
            RecordStore other = RecordStore.open(pager, ROOT + 1, STORE + 1, 256);
            long p = store.insert(new byte[] {1, 2, 3});
            long q = other.insert(new byte[] {4});
            assertThrows(IllegalArgumentException.class, () -> store.insert(null));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> store.delete(RecordPointer.of(RecordPointer.page(p), 99)));
            assertTrue(e.getMessage().contains("no record"), e.getMessage());
            CorruptionException c = assertThrows(CorruptionException.class, () -> store.read(q));
            assertEquals(RecordPointer.page(q), c.page());
            assertArrayEquals(new byte[] {1, 2, 3}, store.read(p));
        }
    }

    @Test
    void damagedCompressedRecordIsCorruptionNotData() throws Exception {
        byte[] value = new byte[4000];
        Arrays.fill(value, (byte) 'x');
        long p;
        int pageSize;
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            RecordStore store = RecordStore.open(pager, ROOT, STORE, 256);
            p = store.insert(value);
            pageSize = pager.pageSize();
        }
        // Damage the record bytes and re-seal the page checksum, as a bug or a bad sector that
        // slipped past the checksum would: the lz4 decoder must refuse it, not return garbage.
        long page = RecordPointer.page(p);
        try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
            byte[] buf = new byte[pageSize];
            raf.seek(page * pageSize);
            raf.readFully(buf);
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf);
            int slotOff = bb.getShort(SlottedPage.SLOTS_OFFSET) & 0xFFFF;
            int len = bb.getShort(SlottedPage.SLOTS_OFFSET + 2) & 0xFFFF;
            for (int i = slotOff + 5; i < slotOff + len; i++) {
                buf[i] = (byte) 0xFF;
            }
            dev.sablegraph.internal.storage.PageLayout.seal(bb, page);
            raf.seek(page * pageSize);
            raf.write(buf);
        }
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            RecordStore store = RecordStore.open(pager, ROOT, STORE, 256);
            CorruptionException e = assertThrows(CorruptionException.class, () -> store.read(p));
            assertEquals(page, e.page());
            assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
        }
    }

    /** Inserts {@code count} records of {@code size} bytes, then grows each by {@code growth}; returns how many moved. */
    private static int movedByGrowth(RecordStore store, int count, int size, int growth) {
        Random rnd = new Random(5);
        long[] ptrs = new long[count];
        for (int i = 0; i < count; i++) {
            ptrs[i] = store.insert(randomBytes(rnd, size));
        }
        int moved = 0;
        for (int i = 0; i < count; i++) {
            byte[] grown = randomBytes(rnd, size + growth);
            long p = store.update(ptrs[i], grown);
            if (p != ptrs[i]) {
                moved++;
            }
            assertArrayEquals(grown, store.read(p));
        }
        return moved;
    }

    @Test
    void recordsGrowInPlaceWhereTheStoreKeepsRoomForGrowth() {
        int count = 2000;
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            RecordStore packed = RecordStore.open(pager, ROOT, STORE, 1 << 30);
            RecordStore roomy = RecordStore.open(pager, ROOT + 1, STORE + 1, 1 << 30, 44);
            // Without room, pages filled by inserts cannot hold their records grown: many move.
            assertTrue(movedByGrowth(packed, count, 45, 44) > count / 4);
            long pagesBefore = pager.pageCount();
            assertEquals(0, movedByGrowth(roomy, count, 45, 44), "a record moved although its page kept room for it");
            // The room is what the grown records use: no more pages than the packed store ended with, give or take one.
            assertTrue(roomy.pageCount() <= packed.pageCount() + 1,
                    roomy.pageCount() + " pages with room against " + packed.pageCount() + " packed");
            assertTrue(pager.pageCount() > pagesBefore);
        }
    }

    @Test
    void hintsWrittenWithoutTheAllowanceDoNotLetInsertsTakeTheRoom() {
        long first;
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            // A store written as before the allowance existed: its meta page's hints count all free bytes.
            first = RecordPointer.page(RecordStore.open(pager, ROOT, STORE, 1 << 30).insert(new byte[40]));
        }
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            RecordStore roomy = RecordStore.open(pager, ROOT, STORE, 1 << 30, 100);
            List<Long> onFirst = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                long p = roomy.insert(new byte[40]);
                if (RecordPointer.page(p) == first) {
                    onFirst.add(p);
                }
            }
            assertTrue(onFirst.size() > 10, "the hinted page was not used at all");
            for (long p : onFirst) {
                assertEquals(p, roomy.update(p, new byte[140]), "a record moved: an insert took its room");
            }
        }
    }

    @Test
    void growthAllowanceOutOfRangeIsRefused() {
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RecordStore.open(pager, ROOT, STORE, 256, -1));
            assertTrue(e.getMessage().contains("growthPerRecord"), e.getMessage());
        }
    }
}

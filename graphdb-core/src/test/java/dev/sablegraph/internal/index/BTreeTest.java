package dev.sablegraph.internal.index;

import static dev.sablegraph.internal.index.IndexTestSupport.drain;
import static dev.sablegraph.internal.index.IndexTestSupport.longKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.record.RecordStore;
import dev.sablegraph.internal.storage.Pager;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BTreeTest {
    private static final int SLOT = 5;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("data.sable");
    }

    private Pager openPager() {
        return Pager.open(file(), IndexTestSupport.smallCache());
    }

    @Test
    void wrongKeySizeOnReopenNamesBothSizes() {
        try (Pager pager = openPager()) {
            BTree.open(pager, SLOT, 12).insert(new byte[12]);
        }
        try (Pager pager = openPager()) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> BTree.open(pager, SLOT, 25));
            assertTrue(e.getMessage().contains("12") && e.getMessage().contains("25"), e.getMessage());
            assertEquals(1, BTree.open(pager, SLOT, 12).size());
        }
    }

    @Test
    void keySizeAndSlotOutOfRangeAreRejected() {
        try (Pager pager = openPager()) {
            assertThrows(IllegalArgumentException.class, () -> BTree.open(pager, SLOT, 7));
            assertThrows(IllegalArgumentException.class, () -> BTree.open(pager, SLOT, 256));
            assertThrows(IllegalArgumentException.class, () -> BTree.open(pager, 32, 12));
            assertThrows(IllegalArgumentException.class, () -> BTree.open(pager, -1, 12));
            assertEquals(0, pager.root(SLOT), "a rejected open creates nothing");
            assertEquals(8, BTree.open(pager, 0, 8).keySize());
            assertEquals(255, BTree.open(pager, 1, 255).keySize());
        }
    }

    @Test
    void wrongKeyLengthNamesExpectedAndActual() {
        try (Pager pager = openPager()) {
            BTree tree = BTree.open(pager, SLOT, 12);
            for (byte[] bad : new byte[][] {new byte[11], new byte[13], new byte[0]}) {
                String want = "key must be 12 bytes, was " + bad.length;
                assertEquals(want, assertThrows(IllegalArgumentException.class, () -> tree.insert(bad)).getMessage());
                assertEquals(want, assertThrows(IllegalArgumentException.class, () -> tree.delete(bad)).getMessage());
                assertEquals(want, assertThrows(IllegalArgumentException.class, () -> tree.contains(bad)).getMessage());
            }
            assertThrows(NullPointerException.class, () -> tree.insert(null));
            assertThrows(IllegalArgumentException.class, () -> tree.seekPrefix(new byte[13]));
            assertEquals(0, tree.size());
        }
    }

    @Test
    void slotHoldingSomethingElseIsCorruption() {
        try (Pager pager = openPager()) {
            RecordStore.open(pager, SLOT, 1, 256);
            assertThrows(CorruptionException.class, () -> BTree.open(pager, SLOT, 12));
        }
    }

    @Test
    void sizeAndHeightSurviveReopen() {
        int height;
        try (Pager pager = openPager()) {
            BTree tree = BTree.open(pager, SLOT, 12);
            for (int i = 0; i < 5000; i++) {
                assertTrue(tree.insert(longKey(i * 7919L % 5000, 12)));
            }
            assertFalse(tree.insert(longKey(42, 12)), "duplicates are ignored");
            for (int i = 0; i < 1000; i++) {
                assertTrue(tree.delete(longKey(i * 3L, 12)));
            }
            assertFalse(tree.delete(longKey(0, 12)));
            assertEquals(4000, tree.size());
            height = tree.height();
            assertEquals(2, height);
        }
        try (Pager pager = openPager()) {
            BTree tree = BTree.open(pager, SLOT, 12);
            assertEquals(4000, tree.size());
            assertEquals(height, tree.height());
            assertEquals(4000, tree.verify().keys());
            assertTrue(tree.contains(longKey(1, 12)));
            assertFalse(tree.contains(longKey(3, 12)));
        }
    }

    @Test
    void sizeIsOnDiskAfterAFlush() {
        try (Pager pager = openPager()) {
            BTree tree = BTree.open(pager, SLOT, 12);
            tree.insert(longKey(1, 12));
            tree.insert(longKey(2, 12));
            pager.flush();
            tree.insert(longKey(3, 12)); // not flushed: only in memory
            // A second pager on the same file sees what the flush wrote (Pager itself takes no lock).
            try (Pager reader = openPager()) {
                assertEquals(2, BTree.open(reader, SLOT, 12).size());
            }
        }
        try (Pager pager = openPager()) {
            assertEquals(3, BTree.open(pager, SLOT, 12).size(), "close flushes the rest");
        }
    }

    @Test
    void twoTreesShareAFile() {
        try (Pager pager = openPager()) {
            BTree a = BTree.open(pager, 0, 8);
            BTree b = BTree.open(pager, 1, 200);
            for (int i = 0; i < 3000; i++) {
                a.insert(longKey(i, 8));
                b.insert(longKey(-i, 200));
            }
            a.verify();
            b.verify();
        }
        try (Pager pager = openPager()) {
            assertEquals(3000, BTree.open(pager, 0, 8).size());
            assertEquals(3000, BTree.open(pager, 1, 200).verify().keys());
        }
    }

    @Test
    void deletingEverythingFreesEveryPageButTheRoot() {
        try (Pager pager = openPager()) {
            BTree tree = BTree.open(pager, SLOT, 12);
            SplittableRandom rnd = new SplittableRandom(7);
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < 200_000; i++) {
                keys.add(longKey(rnd.nextLong(), 12));
                tree.insert(keys.get(i));
            }
            assertEquals(3, tree.height());
            long pagesInUse = pager.pageCount() - pager.freePageCount();
            for (byte[] k : keys) {
                assertTrue(tree.delete(k));
            }
            assertEquals(1, tree.height());
            assertEquals(new BTree.Stats(0, 1, 0), tree.verify());
            assertFalse(tree.seek(null, null).next());
            // Header, meta page and root leaf stay; every other page the tree used is free again.
            assertEquals(3, pager.pageCount() - pager.freePageCount());
            assertTrue(pagesInUse > 300, "the tree had " + pagesInUse + " pages");
            long high = pager.pageCount();
            for (byte[] k : keys) {
                tree.insert(k);
            }
            assertEquals(high, pager.pageCount(), "freed pages are reused before the file grows");
        }
    }

    @Test
    void deletingARangeLeavesNoSparseLeavesBehind() {
        try (Pager pager = openPager()) {
            BTree tree = BTree.open(pager, SLOT, 12);
            int n = 100_000;
            for (int i = 0; i < n; i++) {
                tree.insert(longKey(i, 12));
            }
            int fullLeaves = tree.verify().leaves();
            // Delete 99% of the keys, scattered: leaves drain slowly, then merge.
            for (int i = 0; i < n; i++) {
                if (i % 100 != 0) {
                    tree.delete(longKey(i, 12));
                }
            }
            BTree.Stats after = tree.verify();
            assertEquals(n / 100, after.keys());
            assertTrue(after.leaves() <= fullLeaves / 20, "leaves: " + fullLeaves + " full, " + after.leaves()
                    + " after deleting 99% of the keys");
            assertEquals(n / 100, drain(tree.seek(null, null)).size());
        }
    }

    @Test
    void tinyNodesGrowAndShrinkThroughManyLevels() {
        try (Pager pager = openPager()) {
            BTree tree = BTree.open(pager, SLOT, 12, 8, 3);
            for (int i = 0; i < 5000; i++) {
                tree.insert(longKey(i * 7919L % 5000, 12));
            }
            assertTrue(tree.height() >= 7, "height " + tree.height());
            tree.verify();
            for (int i = 0; i < 5000; i++) {
                tree.delete(longKey(i * 104729L % 5000, 12));
                if (i % 250 == 0) {
                    tree.verify();
                }
            }
            assertEquals(1, tree.height());
            assertEquals(new BTree.Stats(0, 1, 0), tree.verify());
        }
    }

    @Test
    void rangeAndPrefixBounds() {
        try (Pager pager = openPager()) {
            BTree tree = BTree.open(pager, SLOT, 8);
            TreeSet<byte[]> model = IndexTestSupport.model();
            for (int hi : new int[] {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF}) {
                for (int lo : new int[] {0x00, 0x01, 0xFF}) {
                    for (int rest = 0; rest < 50; rest++) {
                        byte[] k = {(byte) hi, (byte) lo, 0, 0, 0, 0, 0, (byte) rest};
                        tree.insert(k);
                        model.add(k);
                    }
                }
            }
            assertEquals(model.size(), drain(tree.seekPrefix(new byte[0])).size());
            assertEquals(150, drain(tree.seekPrefix(new byte[] {(byte) 0xFF})).size());
            assertEquals(50, drain(tree.seekPrefix(new byte[] {(byte) 0xFF, (byte) 0xFF})).size());
            assertEquals(50, drain(tree.seekPrefix(new byte[] {0x00, (byte) 0xFF})).size());
            assertEquals(1, drain(tree.seekPrefix(new byte[] {0x7F, 0x01, 0, 0, 0, 0, 0, 7})).size());
            assertEquals(0, drain(tree.seekPrefix(new byte[] {0x02})).size());
            List<byte[]> seen = new ArrayList<>();
            tree.forEachPrefix(new byte[] {(byte) 0x80}, seen::add);
            assertEquals(150, seen.size());
            // Bounds shorter than a key: [0x01, 0x80) holds the 0x01 and 0x7F groups.
            assertEquals(300, drain(tree.seek(new byte[] {0x01}, new byte[] {(byte) 0x80})).size());
            assertEquals(0, drain(tree.seek(new byte[] {0x05}, new byte[] {0x01})).size());
            assertEquals(0, drain(tree.seek(new byte[] {0x05}, new byte[] {0x05})).size());
            byte[] first = model.first();
            BTree.Cursor c = tree.seek(first, null);
            assertThrows(IllegalStateException.class, c::key);
            assertTrue(c.next());
            assertArrayEquals(first, c.key());
            byte[] copy = c.key();
            copy[0] = 9;
            assertArrayEquals(first, c.key(), "key() hands out copies");
            assertEquals(model.headSet(model.last(), false).size(), drain(tree.seek(null, model.last())).size());
        }
    }

    /**
     * A scan over 50,000 keys while keys before, at and after the cursor are deleted and inserted
     * between steps: keys present throughout are each seen once, in order, and nothing deleted
     * is returned after its deletion.
     */
    @Test
    void cursorStaysValidAcrossChanges() {
        try (Pager pager = Pager.open(file(), GraphConfig.builder().pageCacheBytes(1 << 20).pageSize(4096).build())) {
            BTree tree = BTree.open(pager, SLOT, 12);
            TreeSet<byte[]> model = IndexTestSupport.model();
            for (int i = 0; i < 50_000; i++) {
                byte[] k = longKey(2L * i, 12);
                tree.insert(k);
                model.add(k);
            }
            Set<Long> touched = new HashSet<>();
            SplittableRandom rnd = new SplittableRandom(11);
            BTree.Cursor c = tree.seek(null, null);
            long last = -1;
            Set<Long> seen = new HashSet<>();
            while (c.next()) {
                byte[] k = c.key();
                long v = ByteBuffer.wrap(k).getLong();
                assertTrue(v > last, "order: " + last + " then " + v);
                assertTrue(model.contains(k), "returned key " + v + " is not in the tree");
                last = v;
                assertTrue(seen.add(v));
                // Delete a key ahead, the current key or one behind, or any key; insert an odd key anywhere.
                long victim = switch (rnd.nextInt(3)) {
                    case 0 -> v + 2 + 2L * rnd.nextInt(20);
                    case 1 -> rnd.nextBoolean() ? v : Math.max(0, v - 2L * rnd.nextInt(1000));
                    default -> 2L * rnd.nextInt(50_000);
                };
                byte[] vk = longKey(victim, 12);
                touched.add(victim);
                assertEquals(model.remove(vk), tree.delete(vk));
                long fresh = 2L * rnd.nextInt(50_000) + 1;
                byte[] fk = longKey(fresh, 12);
                touched.add(fresh);
                assertEquals(model.add(fk), tree.insert(fk));
            }
            int untouched = 0;
            for (int i = 0; i < 50_000; i++) {
                if (!touched.contains(2L * i)) {
                    untouched++;
                    assertTrue(seen.contains(2L * i), "key " + 2L * i + " was present throughout but not returned");
                }
            }
            assertTrue(untouched > 5_000, "the test should leave many keys alone, left " + untouched);
            assertEquals(model.size(), tree.verify().keys());
        }
    }

    /**
     * Readers beside a writer (the seqlock path), on a small tree of tiny nodes so that the writer
     * splits, merges and frees pages under the readers all the time: keys the writer never touches
     * are always found, and scans return them in order.
     */
    @Test
    void readsBesideAWriterAreConsistent() throws Exception {
        try (Pager pager = openPager()) {
            BTree tree = BTree.open(pager, SLOT, 12, 8, 3);
            int stable = 500;
            for (int i = 0; i < stable; i++) {
                tree.insert(longKey(4L * i, 12)); // stable keys: multiples of 4
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger busy = new AtomicInteger(); // the stretch the writer works on: readers look there
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            Runnable reader = () -> {
                try {
                    SplittableRandom rnd = new SplittableRandom();
                    while (!stop.get()) {
                        long v = 4L * (busy.get() + rnd.nextInt(20));
                        assertTrue(tree.contains(longKey(v, 12)), "stable key " + v);
                        BTree.Cursor c = tree.seek(longKey(v, 12), null);
                        long expect = v;
                        for (int j = 0; j < 40 && c.next(); j++) {
                            long got = ByteBuffer.wrap(c.key()).getLong();
                            if (got % 4 == 0) {
                                assertEquals(expect, got, "stable keys in order from " + v);
                                expect += 4;
                            }
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            };
            Thread[] readers = {new Thread(reader), new Thread(reader)};
            for (Thread t : readers) {
                t.setDaemon(true);
                t.start();
            }
            SplittableRandom rnd = new SplittableRandom(3);
            long end = System.nanoTime() + 1_000_000_000L;
            try {
                while (System.nanoTime() < end && failures.isEmpty()) {
                    // Fill a stretch with the keys between the stable ones, then empty it again.
                    int from = rnd.nextInt(stable - 20);
                    busy.set(from);
                    for (int pass = 0; pass < 2; pass++) {
                        for (int i = from; i < from + 20; i++) {
                            for (int d = 1; d <= 3; d++) {
                                byte[] k = longKey(4L * i + d, 12);
                                if (pass == 0) {
                                    tree.insert(k);
                                } else {
                                    tree.delete(k);
                                }
                                // A pause, so that readers start between changes and changes start under them.
                                for (int spin = rnd.nextInt(200); spin > 0; spin--) {
                                    Thread.onSpinWait();
                                }
                            }
                        }
                    }
                }
            } finally {
                stop.set(true);
                for (Thread t : readers) {
                    t.join();
                }
            }
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.get(0));
            }
            assertEquals(stable, tree.verify().keys());
        }
    }
}

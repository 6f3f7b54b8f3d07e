package dev.sablegraph.internal.index;

import static dev.sablegraph.internal.index.IndexTestSupport.ORDER;
import static dev.sablegraph.internal.index.IndexTestSupport.drain;
import static dev.sablegraph.internal.index.IndexTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.internal.storage.Pager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random sequences of inserts, deletes, lookups, range and prefix scans, scans interleaved with
 * changes, and reopens, against a {@link TreeSet}. Every answer is compared, and the tree's
 * invariants are checked after each reopen and at the end. Runs with real 8 KiB capacities (bulk
 * runs make two-level trees) and with nodes capped at 8 keys per leaf and 3 per inner node, which
 * makes trees of up to ten levels out of a few thousand keys.
 */
class BTreeModelProperties {
    private static final int DOMAIN = 6000;
    private static final int CLASS_SIZE = DOMAIN / 4;
    private static final byte[] FIRST_BYTES = {0x00, 0x7F, (byte) 0x80, (byte) 0xFF};

    sealed interface Action permits Insert, Delete, Contains, InsertRun, DeleteRun, Scan, Prefix, ScanWhileChanging,
            Thin, Reopen {}

    record Insert(int key) implements Action {}

    record Delete(int key) implements Action {}

    record Contains(int key) implements Action {}

    /** count keys from start, stepping by stride (modulo the domain). */
    record InsertRun(int start, int count, int stride) implements Action {}

    record DeleteRun(int start, int count, int stride) implements Action {}

    /** Bounds are keys cut to a length; -1 = unbounded. */
    record Scan(int from, int fromLength, int to, int toLength) implements Action {}

    record Prefix(int key, int length) implements Action {}

    record ScanWhileChanging(int from, long seed) implements Action {}

    /** Deletes all keys but every keepEvery-th in key order (all of them for 0), in a random order. */
    record Thin(int keepEvery, long seed) implements Action {}

    record Reopen() implements Action {}

    /**
     * Key i: a first byte from {00, 7F, 80, FF} (i / 1500), i % 1500 as two bytes, FF or 00, then a
     * filler. Neighbouring i make neighbouring keys, and prefixes end in FF often.
     */
    static byte[] key(int i, int keySize) {
        byte[] k = new byte[keySize];
        k[0] = FIRST_BYTES[i / CLASS_SIZE];
        int r = i % CLASS_SIZE;
        k[1] = (byte) (r >>> 8);
        k[2] = (byte) r;
        k[3] = (byte) (r % 3 == 0 ? 0xFF : 0x00);
        for (int j = 4; j < keySize; j++) {
            k[j] = (byte) (i * 7 + j);
        }
        return k;
    }

    @Provide
    Arbitrary<Integer> keySizes() {
        return Arbitraries.of(12, 25);
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Integer> k = Arbitraries.integers().between(0, DOMAIN - 1);
        Arbitrary<Integer> len = Arbitraries.integers().between(0, 13);
        Arbitrary<Integer> bound = Arbitraries.integers().between(-1, DOMAIN - 1);
        Arbitrary<Integer> stride = Arbitraries.of(1, 1, 1, -1, 2, 5, 613);
        Arbitrary<Action> insert = k.map(Insert::new);
        Arbitrary<Action> delete = k.map(Delete::new);
        Arbitrary<Action> contains = k.map(Contains::new);
        Arbitrary<Action> insertRun = Combinators.combine(k, Arbitraries.integers().between(1, 1500), stride)
                .as(InsertRun::new);
        Arbitrary<Action> deleteRun = Combinators.combine(k, Arbitraries.integers().between(1, 1500), stride)
                .as(DeleteRun::new);
        Arbitrary<Action> scan = Combinators.combine(bound, len, bound, len).as(Scan::new);
        Arbitrary<Action> prefix = Combinators.combine(k, Arbitraries.integers().between(0, 5)).as(Prefix::new);
        Arbitrary<Action> interleaved = Combinators.combine(bound, Arbitraries.longs()).as(ScanWhileChanging::new);
        Arbitrary<Action> thin = Combinators.combine(Arbitraries.of(0, 2, 10, 100), Arbitraries.longs()).as(Thin::new);
        Arbitrary<Action> reopen = Arbitraries.just(new Reopen());
        return Arbitraries.frequencyOf(
                Tuple.of(10, insert), Tuple.of(6, delete), Tuple.of(6, contains),
                Tuple.of(5, insertRun), Tuple.of(4, deleteRun), Tuple.of(4, scan), Tuple.of(3, prefix),
                Tuple.of(2, interleaved), Tuple.of(2, thin), Tuple.of(2, reopen))
                .list().ofMaxSize(40);
    }

    @Property(tries = 200)
    void behavesLikeASortedSet(@ForAll("keySizes") int keySize, @ForAll boolean tinyNodes,
            @ForAll("actions") List<Action> actions) throws Exception {
        Path dir = Files.createTempDirectory("btree");
        Run run = new Run(dir.resolve("data.sable"), keySize, tinyNodes);
        try {
            for (Action a : actions) {
                run.apply(a);
            }
            run.reopen();
        } finally {
            run.pager.close();
            IndexTestSupport.deleteTree(dir);
        }
    }

    /** One tree and its model. */
    private static final class Run {
        final Path file;
        final int keySize;
        final boolean tiny;
        final TreeSet<byte[]> model = IndexTestSupport.model();
        Pager pager;
        BTree tree;

        Run(Path file, int keySize, boolean tiny) {
            this.file = file;
            this.keySize = keySize;
            this.tiny = tiny;
            open();
        }

        void open() {
            pager = Pager.open(file, IndexTestSupport.smallCache());
            tree = tiny ? BTree.open(pager, 3, keySize, 8, 3) : BTree.open(pager, 3, keySize);
        }

        void reopen() {
            pager.close();
            open();
            checkAll();
        }

        byte[] key(int i) {
            return BTreeModelProperties.key(Math.floorMod(i, DOMAIN), keySize);
        }

        byte[] bound(int i, int length) {
            return i < 0 ? null : Arrays.copyOf(key(i), Math.min(length, keySize));
        }

        void apply(Action action) {
            if (action instanceof Insert a) {
                byte[] k = key(a.key());
                assertEquals(model.add(k), tree.insert(k), "insert " + hex(k));
            } else if (action instanceof Delete a) {
                byte[] k = key(a.key());
                assertEquals(model.remove(k), tree.delete(k), "delete " + hex(k));
            } else if (action instanceof Contains a) {
                byte[] k = key(a.key());
                assertEquals(model.contains(k), tree.contains(k), "contains " + hex(k));
            } else if (action instanceof InsertRun a) {
                for (int j = 0; j < a.count(); j++) {
                    byte[] k = key(a.start() + j * a.stride());
                    assertEquals(model.add(k), tree.insert(k), "insert " + hex(k));
                }
            } else if (action instanceof DeleteRun a) {
                for (int j = 0; j < a.count(); j++) {
                    byte[] k = key(a.start() + j * a.stride());
                    assertEquals(model.remove(k), tree.delete(k), "delete " + hex(k));
                }
            } else if (action instanceof Scan a) {
                byte[] from = bound(a.from(), a.fromLength());
                byte[] to = bound(a.to(), a.toLength());
                assertKeys(expected(from, to), drain(tree.seek(from, to)), "scan " + hex(from) + ".." + hex(to));
                List<byte[]> down = expected(from, to);
                java.util.Collections.reverse(down);
                assertKeys(down, drain(tree.seekDescending(from, to)), "descending " + hex(from) + ".." + hex(to));
            } else if (action instanceof Prefix a) {
                byte[] prefix = bound(a.key(), a.length());
                List<byte[]> viaCursor = drain(tree.seekPrefix(prefix));
                List<byte[]> viaForEach = new ArrayList<>();
                tree.forEachPrefix(prefix, viaForEach::add);
                List<byte[]> want = new ArrayList<>();
                for (byte[] k : model) {
                    if (Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                        want.add(k);
                    }
                }
                assertKeys(want, viaCursor, "prefix " + hex(prefix));
                assertKeys(want, viaForEach, "forEachPrefix " + hex(prefix));
            } else if (action instanceof ScanWhileChanging a) {
                scanWhileChanging(bound(a.from(), keySize), new SplittableRandom(a.seed()));
            } else if (action instanceof Thin a) {
                List<byte[]> doomed = new ArrayList<>();
                int j = 0;
                for (byte[] k : model) {
                    if (a.keepEvery() == 0 || j++ % a.keepEvery() != 0) {
                        doomed.add(k);
                    }
                }
                java.util.Collections.shuffle(doomed, new java.util.Random(a.seed()));
                for (byte[] k : doomed) {
                    assertTrue(tree.delete(k), "delete " + hex(k));
                    model.remove(k);
                }
            } else if (action instanceof Reopen) {
                reopen();
            }
            assertEquals(model.size(), tree.size(), "size after " + action);
        }

        List<byte[]> expected(byte[] from, byte[] to) {
            if (from != null && to != null && ORDER.compare(from, to) >= 0) {
                return List.of();
            }
            NavigableSet<byte[]> s = model;
            if (from != null) {
                s = s.tailSet(from, true);
            }
            if (to != null) {
                s = s.headSet(to, false);
            }
            return new ArrayList<>(s);
        }

        /**
         * Between every two steps of a cursor, changes keys before and after it. Each key returned
         * must exceed the previous one and be present right then; every key present from start to
         * end must be returned.
         */
        void scanWhileChanging(byte[] from, SplittableRandom rnd) {
            boolean down = rnd.nextBoolean(); // descending: from the bound (exclusive) down
            Set<String> stable = new HashSet<>();
            for (byte[] k : down ? expected(null, from) : expected(from, null)) {
                stable.add(hex(k));
            }
            Set<String> seen = new HashSet<>();
            BTree.Cursor c = down ? tree.seekDescending(null, from) : tree.seek(from, null);
            int sign = down ? -1 : 1;
            byte[] last = null;
            int steps = 0;
            while (c.next()) {
                byte[] k = c.key();
                if (last != null) {
                    assertTrue(sign * ORDER.compare(last, k) < 0, "cursor went from " + hex(last) + " to " + hex(k));
                } else if (from != null) {
                    assertTrue(down ? ORDER.compare(k, from) < 0 : ORDER.compare(from, k) <= 0,
                            "cursor started beyond its bound at " + hex(k));
                }
                assertTrue(model.contains(k), "cursor returned absent key " + hex(k));
                assertTrue(seen.add(hex(k)));
                last = k;
                int changes = rnd.nextInt(4);
                for (int j = 0; j < changes; j++) {
                    byte[] x = key(rnd.nextInt(DOMAIN));
                    if (rnd.nextBoolean()) {
                        assertEquals(model.add(x), tree.insert(x));
                    } else {
                        assertEquals(model.remove(x), tree.delete(x));
                        stable.remove(hex(x));
                    }
                }
                if (++steps > 3 * DOMAIN) {
                    throw new AssertionError("cursor does not end");
                }
            }
            assertFalse(c.next(), "an ended cursor stays ended");
            stable.removeAll(seen);
            assertTrue(stable.isEmpty(), "keys present throughout but not returned: " + stable);
        }

        void checkAll() {
            BTree.Stats stats = tree.verify();
            assertEquals(model.size(), stats.keys());
            assertKeys(new ArrayList<>(model), drain(tree.seek(null, null)), "full scan");
        }
    }

    static void assertKeys(List<byte[]> want, List<byte[]> got, String what) {
        if (want.size() != got.size()) {
            assertEquals(want.size(), got.size(), what + ": number of keys");
        }
        for (int i = 0; i < want.size(); i++) {
            if (!Arrays.equals(want.get(i), got.get(i))) {
                assertEquals(hex(want.get(i)), hex(got.get(i)), what + ": key #" + i);
            }
        }
    }
}

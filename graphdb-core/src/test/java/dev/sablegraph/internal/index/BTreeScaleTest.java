package dev.sablegraph.internal.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.storage.Pager;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million 12-byte keys, ascending and in random order, through a 4 MiB page cache (512 pages of
 * 8 KiB, a fraction of the tree), then a reopen and a full ordered scan.
 */
class BTreeScaleTest {
    private static final int KEYS = 1_000_000;
    private static final GraphConfig CONFIG = GraphConfig.builder().pageCacheBytes(4L << 20).build();

    @TempDir
    Path dir;

    /** Key i: 8 bytes v, then the low 4 bytes of i, big endian. */
    private static byte[] key(long v, int i) {
        return ByteBuffer.allocate(12).putLong(v).putInt(i).array();
    }

    /** A bijection of the longs (SplitMix64's finaliser), so random keys never collide. */
    private static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    @Test
    void sequentialKeys() {
        long[] values = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            values[i] = i;
        }
        BTree.Stats stats = run(values);
        int perLeaf = LeafPage.capacity(GraphConfig.DEFAULT_PAGE_SIZE, 12);
        assertEquals((KEYS + perLeaf - 1) / perLeaf, stats.leaves(), "ascending inserts fill every leaf");
    }

    @Test
    void randomKeys() {
        long[] values = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            values[i] = mix(i);
        }
        BTree.Stats stats = run(values);
        int perLeaf = LeafPage.capacity(GraphConfig.DEFAULT_PAGE_SIZE, 12);
        assertTrue(stats.leaves() < 2 * KEYS / perLeaf, stats + ": leaves must stay over half full");
    }

    /** Inserts key(values[i], i) in index order, reopens, and scans against the sorted values. */
    private BTree.Stats run(long[] values) {
        Path file = dir.resolve("data.sable");
        try (Pager pager = Pager.open(file, CONFIG)) {
            BTree tree = BTree.open(pager, 0, 12);
            for (int i = 0; i < KEYS; i++) {
                assertTrue(tree.insert(key(values[i], i)));
            }
            assertFalse(tree.insert(key(values[KEYS / 2], KEYS / 2)));
            assertEquals(KEYS, tree.size());
            assertTrue(pager.metrics().evictions() > 0, "the tree must not fit in the cache");
        }
        // Expected order: by v unsigned (the v are distinct, so the i suffix never decides).
        int[] byValue = indicesByValue(values);
        try (Pager pager = Pager.open(file, CONFIG)) {
            BTree tree = BTree.open(pager, 0, 12);
            assertEquals(KEYS, tree.size());
            BTree.Cursor c = tree.seek(null, null);
            for (int j = 0; j < KEYS; j++) {
                assertTrue(c.next(), "scan ended after " + j + " keys");
                ByteBuffer k = ByteBuffer.wrap(c.key());
                long v = values[byValue[j]];
                long got = k.getLong();
                int i = k.getInt();
                if (got != v || i != byValue[j]) {
                    throw new AssertionError("key #" + j + ": expected " + Long.toHexString(v) + "/" + byValue[j]
                            + ", got " + Long.toHexString(got) + "/" + i);
                }
            }
            assertFalse(c.next());
            assertTrue(tree.contains(key(values[123_456], 123_456)));
            assertFalse(tree.contains(key(values[123_456], 123_457)));
            assertEquals(3, tree.height());
            return tree.verify();
        }
    }

    /** The indices of {@code values} in the unsigned order of the values. */
    private static int[] indicesByValue(long[] values) {
        return java.util.stream.IntStream.range(0, values.length).boxed()
                .sorted((a, b) -> Long.compareUnsigned(values[a], values[b]))
                .mapToInt(Integer::intValue).toArray();
    }
}

package dev.sablegraph.internal.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.graph.codec.AdjacencyBlock;
import dev.sablegraph.internal.storage.MetaPage;
import dev.sablegraph.internal.storage.MetaPageKind;
import dev.sablegraph.internal.storage.PageCursor;
import dev.sablegraph.internal.storage.Pager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdMapTest {
    private static final int NODES = 3;
    private static final int EDGES = 4;
    private static final GraphConfig SMALL = GraphConfig.builder().pageCacheBytes(1 << 20).build();
    private static final GraphConfig SMALL_4K =
            GraphConfig.builder().pageSize(4096).pageCacheBytes(1 << 20).build();

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("data.sable");
    }

    private static long value(long id) {
        return (id + 1) * 0x9E3779B97F4A7C15L | 1L << 62;
    }

    @Test
    void idsStartAtZeroAndValuesSurviveReopen() {
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            IdMap map = IdMap.open(pager, NODES);
            assertEquals(0, map.nextId());
            for (long i = 0; i < 5000; i++) {
                assertEquals(i, map.allocate());
            }
            for (long id = 0; id < 5000; id += 2) {
                map.set(id, value(id));
            }
            map.set(4999, Long.MIN_VALUE);
            assertEquals(value(10), map.get(10));
            assertEquals(0, map.get(11), "never set");
        }
        try (Pager pager = Pager.open(file(), SMALL)) {
            IdMap map = IdMap.open(pager, NODES);
            assertEquals(5000, map.nextId());
            for (long id = 0; id < 4999; id++) {
                assertEquals(id % 2 == 0 ? value(id) : 0, map.get(id), "id " + id);
            }
            assertEquals(Long.MIN_VALUE, map.get(4999));
            assertEquals(5000, map.allocate(), "ids continue after a reopen, none reused");
            map.set(10, 0);
            assertEquals(0, map.get(10));
        }
        try (Pager pager = Pager.open(file(), SMALL)) {
            IdMap map = IdMap.open(pager, NODES);
            assertEquals(5001, map.nextId());
            assertEquals(0, map.get(10));
            assertEquals(value(12), map.get(12));
        }
    }

    @Test
    void twoMapsInOneFileAreIndependent() {
        try (Pager pager = Pager.open(file(), SMALL)) {
            IdMap nodes = IdMap.open(pager, NODES);
            IdMap edges = IdMap.open(pager, EDGES);
            for (int i = 0; i < 3000; i++) {
                nodes.set(nodes.allocate(), i + 1);
            }
            edges.set(edges.allocate(), -7);
        }
        try (Pager pager = Pager.open(file(), SMALL)) {
            IdMap nodes = IdMap.open(pager, NODES);
            IdMap edges = IdMap.open(pager, EDGES);
            assertEquals(3000, nodes.nextId());
            assertEquals(1, edges.nextId());
            assertEquals(1, nodes.get(0));
            assertEquals(3000, nodes.get(2999));
            assertEquals(-7, edges.get(0));
            assertEquals(0, edges.get(1));
        }
    }

    @Test
    void unknownIdsReadAsZeroWithoutAllocating() {
        try (Pager pager = Pager.open(file(), SMALL)) {
            IdMap map = IdMap.open(pager, NODES);
            long pages = pager.pageCount();
            assertEquals(0, map.get(0));
            assertEquals(0, map.get(Long.MAX_VALUE));
            for (int i = 0; i < 3_000_000; i++) {
                map.allocate();
            }
            assertEquals(0, map.get(2_999_999), "allocated but never set");
            map.set(2_000_000, 0);
            assertEquals(pages, pager.pageCount(), "reads and storing 0 allocate no page");
            map.set(2_000_000, 5);
            assertEquals(pages + 2, pager.pageCount(), "one directory and one leaf");
            assertEquals(0, map.get(2_000_001));
            assertEquals(0, map.get(3_000_000), "at next id");
        }
    }

    @Test
    void pageUseIsRootPlusDirectoriesPlusLeaves() {
        try (Pager pager = Pager.open(file(), GraphConfig.defaults())) {
            IdMap map = IdMap.open(pager, NODES);
            assertEquals(1020L * 1020 * 1020, map.capacity(), "fan-out 1020 at 8 KiB");
            long before = pager.pageCount();
            long perDirectory = 1020L * 1020;
            // The first id and the last of the first directory, then the first of the second.
            for (long i = 0; i <= perDirectory; i++) {
                map.allocate();
            }
            map.set(0, 1);
            map.set(perDirectory - 1, 2);
            map.set(perDirectory, 3);
            assertEquals(before + 2 + 3, pager.pageCount(), "2 directories, 3 leaves");
            assertEquals(1, map.get(0));
            assertEquals(2, map.get(perDirectory - 1));
            assertEquals(3, map.get(perDirectory));
            assertEquals(0, map.get(perDirectory - 2));
        }
    }

    @Test
    void fanOutFollowsThePageSize() {
        try (Pager pager = Pager.open(file(), SMALL_4K)) {
            assertEquals(508L * 508 * 508, IdMap.open(pager, NODES).capacity());
        }
        assertEquals(8188L * 8188 * 8188, new IdMapLayout(65536).capacity);
        assertTrue(new IdMapLayout(65536).capacity - 1 <= AdjacencyBlock.MAX_ID,
                "every id of the largest page size fits a packed adjacency entry");
    }

    @Test
    void negativeAndUnallocatedIdsAreRejected() {
        try (Pager pager = Pager.open(file(), SMALL)) {
            IdMap map = IdMap.open(pager, NODES);
            map.allocate();
            map.allocate();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> map.get(-1));
            assertTrue(e.getMessage().contains("-1"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> map.get(Long.MIN_VALUE));
            assertThrows(IllegalArgumentException.class, () -> map.set(-5, 1));
            e = assertThrows(IllegalArgumentException.class, () -> map.set(2, 1));
            assertTrue(e.getMessage().contains("id 2") && e.getMessage().contains("next id is 2"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> map.set(Long.MAX_VALUE, 1));
            assertTrue(e.getMessage().contains(Long.toString(Long.MAX_VALUE)), e.getMessage());
            map.set(1, 9);
            assertEquals(9, map.get(1));
        }
    }

    @Test
    void allocationStopsAtCapacity() {
        long capacity = 508L * 508 * 508;
        try (Pager pager = Pager.open(file(), SMALL_4K)) {
            IdMap.open(pager, NODES);
        }
        // Move the counter near the end by editing the root page, then reopen.
        try (Pager pager = Pager.open(file(), SMALL_4K)) {
            try (PageCursor c = pager.write(pager.root(NODES))) {
                c.putLong(IdMapLayout.COUNTER_OFFSET, capacity - 2);
            }
        }
        try (Pager pager = Pager.open(file(), SMALL_4K)) {
            IdMap map = IdMap.open(pager, NODES);
            assertEquals(capacity - 2, map.allocate());
            assertEquals(capacity - 1, map.allocate());
            IllegalStateException e = assertThrows(IllegalStateException.class, map::allocate);
            assertTrue(e.getMessage().contains("full") && e.getMessage().contains(Long.toString(capacity)),
                    e.getMessage());
            assertEquals(capacity, map.nextId(), "a refused allocation does not move the counter");
            map.set(capacity - 1, 42); // the last entry of the last leaf of the last directory
            map.set(capacity - 2, 41);
            assertEquals(42, map.get(capacity - 1));
            assertEquals(0, map.get(capacity));
        }
        try (Pager pager = Pager.open(file(), SMALL_4K)) {
            IdMap map = IdMap.open(pager, NODES);
            assertEquals(42, map.get(capacity - 1));
            assertEquals(41, map.get(capacity - 2));
            assertThrows(IllegalStateException.class, map::allocate);
        }
    }

    @Test
    void wrongKindOnTheRootPageIsCorruption() {
        long root;
        try (Pager pager = Pager.open(file(), SMALL)) {
            IdMap map = IdMap.open(pager, NODES);
            map.set(map.allocate(), 1);
            root = pager.root(NODES);
        }
        try (Pager pager = Pager.open(file(), SMALL)) {
            try (PageCursor c = pager.write(root)) {
                c.putByte(MetaPage.KIND_OFFSET, MetaPageKind.ID_MAP_LEAF.code());
            }
        }
        try (Pager pager = Pager.open(file(), SMALL)) {
            CorruptionException e = assertThrows(CorruptionException.class, () -> IdMap.open(pager, NODES));
            assertEquals(root, e.page());
            assertEquals(file().toString(), e.file());
            assertTrue(e.getMessage().contains("expected id map root") && e.getMessage().contains("id map leaf"),
                    e.getMessage());
        }
    }

    @Test
    void aRootSlotOfAnotherStructureIsCorruption() {
        try (Pager pager = Pager.open(file(), SMALL)) {
            RecordStore.open(pager, 0, 1, 256).insert(new byte[] {1});
            CorruptionException e = assertThrows(CorruptionException.class, () -> IdMap.open(pager, 0));
            assertEquals(pager.root(0), e.page());
            assertTrue(e.getMessage().contains("meta kind 1"), e.getMessage());
        }
    }

    @Test
    void damagedLinksAreCorruption() {
        long root;
        long directory;
        try (Pager pager = Pager.open(file(), SMALL)) {
            IdMap map = IdMap.open(pager, NODES);
            map.set(map.allocate(), 1);
            map.set(map.allocate(), 2);
            root = pager.root(NODES);
            try (PageCursor c = pager.write(root)) {
                directory = c.getLong(IdMapLayout.entryOffset(0));
            }
        }
        // The directory claims to cover other ids: caught, naming the directory page.
        try (Pager pager = Pager.open(file(), SMALL)) {
            try (PageCursor c = pager.write(directory)) {
                c.putLong(IdMapLayout.COUNTER_OFFSET, 1020L * 1020);
            }
            IdMap map = IdMap.open(pager, NODES);
            CorruptionException e = assertThrows(CorruptionException.class, () -> map.get(0));
            assertEquals(directory, e.page());
            assertThrows(CorruptionException.class, () -> map.set(1, 3));
            try (PageCursor c = pager.write(directory)) {
                c.putLong(IdMapLayout.COUNTER_OFFSET, 0);
            }
            assertEquals(2, map.get(1));
        }
        // The root links to a page beyond the file: caught, naming the root page.
        try (Pager pager = Pager.open(file(), SMALL)) {
            try (PageCursor c = pager.write(root)) {
                c.putLong(IdMapLayout.entryOffset(0), 1_000_000);
            }
            IdMap map = IdMap.open(pager, NODES);
            CorruptionException e = assertThrows(CorruptionException.class, () -> map.get(0));
            assertEquals(root, e.page());
            try (PageCursor c = pager.write(root)) {
                c.putLong(IdMapLayout.entryOffset(0), -3);
            }
            e = assertThrows(CorruptionException.class, () -> map.get(1));
            assertEquals(root, e.page());
            // The root links to itself: the kind check catches it.
            try (PageCursor c = pager.write(root)) {
                c.putLong(IdMapLayout.entryOffset(0), root);
            }
            e = assertThrows(CorruptionException.class, () -> map.get(1));
            assertEquals(root, e.page());
            assertTrue(e.getMessage().contains("expected id map directory"), e.getMessage());
        }
    }

    @Test
    void nextIdOutOfRangeIsCorruption() {
        try (Pager pager = Pager.open(file(), SMALL)) {
            IdMap.open(pager, NODES);
            try (PageCursor c = pager.write(pager.root(NODES))) {
                c.putLong(IdMapLayout.COUNTER_OFFSET, -1);
            }
        }
        try (Pager pager = Pager.open(file(), SMALL)) {
            assertThrows(CorruptionException.class, () -> IdMap.open(pager, NODES));
        }
    }

    @Test
    void concurrentAllocationHandsOutEachIdOnce() throws Exception {
        int threads = 4;
        int perThread = 50_000;
        try (Pager pager = Pager.open(file(), SMALL)) {
            IdMap map = IdMap.open(pager, NODES);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<long[]>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Callable<long[]> task = () -> {
                        long[] ids = new long[perThread];
                        for (int i = 0; i < perThread; i++) {
                            ids[i] = map.allocate();
                            map.set(ids[i], value(ids[i]));
                        }
                        return ids;
                    };
                    results.add(pool.submit(task));
                }
                Set<Long> seen = new HashSet<>();
                for (Future<long[]> f : results) {
                    for (long id : f.get(60, TimeUnit.SECONDS)) {
                        assertTrue(seen.add(id), "id " + id + " handed out twice");
                    }
                }
                assertEquals((long) threads * perThread, map.nextId());
                for (long id = 0; id < map.nextId(); id++) {
                    assertTrue(seen.contains(id), "id " + id + " missing: ids are dense");
                    assertEquals(value(id), map.get(id));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}

package dev.sablegraph.internal.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.storage.Pager;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two million ids through a 1 MiB cache (128 frames of 8 KiB, the map needs ~2,000 pages). */
class IdMapScaleTest {
    private static final int IDS = 2_000_000;
    private static final GraphConfig SMALL = GraphConfig.builder().pageCacheBytes(1 << 20).build();

    @TempDir
    Path dir;

    private static long pointer(long id) {
        return RecordPointer.of(id / 100 + 1, (int) (id % 100));
    }

    @Test
    void twoMillionIdsReadBackAfterReopen() {
        Path file = dir.resolve("data.sable");
        long pagesUsed;
        try (Pager pager = Pager.open(file, SMALL)) {
            long before = pager.pageCount();
            IdMap map = IdMap.open(pager, 5);
            for (int i = 0; i < IDS; i++) {
                long id = map.allocate();
                map.set(id, pointer(id));
            }
            pagesUsed = pager.pageCount() - before;
        }
        // Root + ceil(2M / 1020²) directories + ceil(2M / 1020) leaves, and nothing else.
        assertEquals(1 + 2 + 1961, pagesUsed);
        try (Pager pager = Pager.open(file, SMALL)) {
            IdMap map = IdMap.open(pager, 5);
            assertEquals(IDS, map.nextId());
            for (long id = 0; id < IDS; id++) {
                long got = map.get(id);
                if (got != pointer(id)) {
                    assertEquals(pointer(id), got, "id " + id);
                }
            }
            // Random order too, so most reads miss the cache.
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
            for (int i = 0; i < 200_000; i++) {
                long id = rnd.nextLong(IDS);
                assertEquals(pointer(id), map.get(id));
            }
            assertEquals(0, map.get(IDS));
            assertEquals(IDS, map.allocate());
        }
    }
}

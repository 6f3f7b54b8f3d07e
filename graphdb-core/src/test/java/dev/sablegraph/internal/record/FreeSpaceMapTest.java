package dev.sablegraph.internal.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hints a store keeps across a reopen: the pages with the most room, at most as many as asked. */
class FreeSpaceMapTest {
    private static final int PAGE_SIZE = 8192;
    private static final int CLASS_WIDTH = PAGE_SIZE / 16;

    @Test
    void largestTakesThePagesWithTheMostRoomUpToOneClassWidth() {
        FreeSpaceMap map = new FreeSpaceMap(PAGE_SIZE);
        Random rnd = new Random(7);
        int[] free = new int[20_001];
        for (int page = 1; page <= 20_000; page++) {
            free[page] = rnd.nextInt(PAGE_SIZE);
            map.update(page, free[page]);
        }
        map.update(17, 10); // below the tracked minimum: no longer tracked
        free[17] = 0;

        List<long[]> hints = map.largest(800);

        assertEquals(800, hints.size());
        Set<Long> taken = new HashSet<>();
        int leastTaken = Integer.MAX_VALUE;
        for (int i = 0; i < hints.size(); i++) {
            long[] h = hints.get(i);
            assertEquals(free[(int) h[0]], h[1], "free bytes of page " + h[0]);
            assertTrue(taken.add(h[0]), "page " + h[0] + " twice");
            if (i > 0) {
                assertTrue(hints.get(i - 1)[1] >= h[1], "most free first");
            }
            leastTaken = (int) Math.min(leastTaken, h[1]);
        }
        for (int page = 1; page <= 20_000; page++) {
            if (!taken.contains((long) page)) {
                assertTrue(free[page] < leastTaken + CLASS_WIDTH,
                        "page " + page + " with " + free[page] + " free left out, but one with " + leastTaken + " taken");
            }
        }
    }

    @Test
    void largestReturnsEveryTrackedPageWhenThereAreFewerThanAsked() {
        FreeSpaceMap map = new FreeSpaceMap(PAGE_SIZE);
        map.update(3, 4000);
        map.update(4, 100);
        map.update(5, 8); // not tracked

        List<long[]> hints = map.largest(800);

        assertEquals(2, hints.size());
        assertEquals(3, hints.get(0)[0]);
        assertEquals(4, hints.get(1)[0]);
        assertEquals(List.of(), new FreeSpaceMap(PAGE_SIZE).largest(800));
    }

    @Test
    void largestIsTheSameForTheSameStateSoAnUnchangedMetaPageIsNotRewritten() {
        FreeSpaceMap map = new FreeSpaceMap(PAGE_SIZE);
        for (int page = 1; page <= 5000; page++) {
            map.update(page, (page * 37) % PAGE_SIZE);
        }
        List<long[]> a = map.largest(300);
        List<long[]> b = map.largest(300);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i)[0], b.get(i)[0]);
            assertEquals(a.get(i)[1], b.get(i)[1]);
        }
    }

    @Test
    void findAgreesWithAModelThroughRandomUpdatesAndRollbacks() {
        Random rnd = new Random(11);
        FreeSpaceMap map = new FreeSpaceMap(PAGE_SIZE);
        Map<Long, Integer> model = new HashMap<>();
        for (int round = 0; round < 20_000; round++) {
            long page = 1 + rnd.nextInt(200);
            int now = model.getOrDefault(page, 0);
            // Mostly small steps, as inserts and growths make (within a class), sometimes a jump.
            int free = rnd.nextInt(4) == 0 ? rnd.nextInt(PAGE_SIZE) : Math.max(0, Math.min(PAGE_SIZE - 1, now + rnd.nextInt(81) - 60));
            if (rnd.nextInt(500) == 0) {
                Map<Long, Integer> saved = new HashMap<>(model);
                map.startJournal();
                for (int i = 0; i < 50; i++) {
                    map.update(1 + rnd.nextInt(200), rnd.nextInt(PAGE_SIZE));
                }
                map.undoJournal();
                model = saved;
            }
            map.update(page, free);
            model.put(page, free);
            int need = 1 + rnd.nextInt(PAGE_SIZE / 2);
            long found = map.find(need);
            if (found != 0) {
                assertTrue(model.get(found) >= need, "found page " + found + " with " + model.get(found) + " free for " + need);
            }
            boolean surelyFits = model.values().stream().anyMatch(f -> f >= FreeSpaceMap.MIN_TRACKED
                    && f / CLASS_WIDTH > Math.min(15, need / CLASS_WIDTH));
            if (surelyFits) {
                assertTrue(found != 0, "a page with room of a higher class exists, yet find(" + need + ") found none");
            }
            long tracked = model.values().stream().filter(f -> f >= FreeSpaceMap.MIN_TRACKED).count();
            assertEquals(tracked, map.trackedPages());
        }
    }
}

package dev.sablegraph.internal.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.storage.Pager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One writer allocates and sets ids while readers read ids below a published high-water mark:
 * a published id must always read as exactly its value (never 0, never another id's value), and an
 * unpublished one as 0 or its value. 4 KiB pages (fan-out 508), so that new directories and leaves
 * appear often; a 1 MiB cache and the smallest one (16 frames), so that readers race with evictions
 * and faults. With 16 frames, a get that skips validating its optimistic reads fails this test in
 * most runs (it reads another page's bytes from a reused frame).
 */
class IdMapConcurrencyTest {
    private static final int IDS = 400_000;
    private static final int READERS = 2;

    @TempDir
    Path dir;

    private static long value(long id) {
        return (id * 0x9E3779B97F4A7C15L) | 1; // never 0, different for every id
    }

    private static boolean allAbove(AtomicLongArray counts, long min) {
        for (int i = 0; i < counts.length(); i++) {
            if (counts.get(i) <= min) {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest(name = "{0} frames")
    @ValueSource(ints = {256, 16})
    void readersAlwaysSeePublishedValues(int frames) throws Exception {
        GraphConfig config = GraphConfig.builder().pageSize(4096).pageCacheBytes(frames * 4096L).build();
        try (Pager pager = Pager.open(dir.resolve("data.sable"), config)) {
            IdMap map = IdMap.open(pager, 1);
            AtomicLong published = new AtomicLong();
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            AtomicLongArray reads = new AtomicLongArray(READERS);
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < IDS; i++) {
                        long id = map.allocate();
                        if (id != i) {
                            failures.add("allocated " + id + ", expected " + i);
                            return;
                        }
                        map.set(id, value(id));
                        published.set(id + 1);
                    }
                } catch (Throwable t) {
                    failures.add("writer: " + t);
                }
            }, "idmap-writer");
            threads.add(writer);
            for (int r = 0; r < READERS; r++) {
                int reader = r;
                threads.add(new Thread(() -> {
                    SplittableRandom rnd = new SplittableRandom(reader);
                    try {
                        while (!done.get() && failures.isEmpty()) {
                            long high = published.get();
                            if (high == 0) {
                                Thread.onSpinWait();
                                continue;
                            }
                            // Half near the frontier (fresh leaves), half anywhere (evicted pages).
                            long id = rnd.nextBoolean()
                                    ? high - 1 - rnd.nextLong(Math.min(high, 2000))
                                    : rnd.nextLong(high);
                            long got = map.get(id);
                            if (got != value(id)) {
                                failures.add("id " + id + " (published " + high + ") read " + got);
                            }
                            long ahead = high + rnd.nextLong(1000);
                            long unpublished = map.get(ahead);
                            if (unpublished != 0 && unpublished != value(ahead)) {
                                failures.add("unpublished id " + ahead + " read " + unpublished);
                            }
                            reads.addAndGet(reader, 2);
                        }
                    } catch (Throwable t) {
                        failures.add("reader " + reader + ": " + t);
                    }
                }, "idmap-reader-" + r));
            }
            threads.forEach(Thread::start);
            writer.join(60_000);
            // The readers stop once each has done real work, not when the writer ends: on a loaded
            // machine a reader may not have been scheduled while the writer ran.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (failures.isEmpty() && System.nanoTime() < deadline && !allAbove(reads, 1000)) {
                Thread.sleep(1);
            }
            done.set(true);
            for (Thread t : threads) {
                t.join(60_000);
                assertFalse(t.isAlive(), t.getName() + " did not finish");
            }
            assertTrue(failures.isEmpty(), () -> failures.size() + " failures, first: " + failures.peek());
            assertTrue(allAbove(reads, 1000), "each reader did real work: " + reads + " reads");
            assertEquals(IDS, map.nextId());
            for (long id = 0; id < IDS; id++) {
                if (map.get(id) != value(id)) {
                    assertEquals(value(id), map.get(id), "id " + id);
                }
            }
        }
    }
}

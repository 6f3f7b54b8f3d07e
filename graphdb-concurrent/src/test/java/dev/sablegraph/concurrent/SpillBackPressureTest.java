package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.IntegrityReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Back-pressure on the spill file (docs/durability.md): writers that dirty pages faster than
 * checkpoints write them out wait, so the spill file stays near four times the volume that makes a
 * checkpoint due. The background's rounds are a minute apart here, so the writers' own
 * back-pressure is all that keeps the file bounded.
 */
class SpillBackPressureTest {
    private static final int PAGE = 8192;
    private static final int CACHE_PAGES = 64;
    /** The smallest spill volume that makes a checkpoint due: the cache's size (see {@code Checkpointer.spillBytesDue}). */
    private static final long DUE_BYTES = CACHE_PAGES * PAGE;
    private static final int WRITERS = 4;
    private static final int NODES = 20_000;
    private static final int TX_PER_WRITER = 400;
    private static final int EDGES_PER_TX = 25;

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void randomWritesBeyondTheCacheKeepTheSpillFileBounded() throws Exception {
        GraphConfig config = GraphConfig.builder().pageCacheBytes(CACHE_PAGES * PAGE).checkpointLogBytes(DUE_BYTES)
                .gcIntervalMillis(60_000).build();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config)) {
            long[] ids = new long[NODES];
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < NODES; i++) {
                    ids[i] = tx.addNode(Set.of("N"), Map.of("i", (long) i));
                }
                tx.commit();
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong maxSpilled = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (writing.get()) {
                    maxSpilled.accumulateAndGet(spilled(db), Math::max);
                    LockSupport.parkNanos(100_000);
                }
            });
            sampler.start();
            List<Thread> writers = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                SplittableRandom rnd = new SplittableRandom(w);
                writers.add(new Thread(() -> {
                    try {
                        for (int t = 0; t < TX_PER_WRITER; t++) {
                            try (Transaction tx = db.begin()) {
                                for (int e = 0; e < EDGES_PER_TX; e++) {
                                    tx.addEdge(ids[rnd.nextInt(NODES)], ids[rnd.nextInt(NODES)], "E", Map.of());
                                }
                                tx.commit();
                            }
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }));
            }
            writers.forEach(Thread::start);
            for (Thread t : writers) {
                t.join();
            }
            writing.set(false);
            sampler.join();
            assertEquals(List.of(), failures);

            long due = DUE_BYTES / PAGE;
            long written = db.metricsSnapshot().get("sable.pagecache.spill.writes").value();
            // Past the bound by at most what commits that passed the check spill before they finish,
            // and what the rest of the cache holds.
            long bound = 4 * due + WRITERS * CACHE_PAGES + CACHE_PAGES;
            assertTrue(written > 4 * bound, "the load spills far more than the bound: " + written + " pages");
            System.out.println("spill: max " + maxSpilled.get() + " pages, bound " + bound + ", " + written + " written, "
                    + db.checkpointMetrics().checkpoints() + " checkpoints");
            assertTrue(maxSpilled.get() <= bound, "spill file held " + maxSpilled.get() + " pages, bound " + bound);
            assertTrue(db.checkpointMetrics().checkpoints() > 0);
            try (Transaction tx = db.begin()) {
                assertEquals((long) WRITERS * TX_PER_WRITER * EDGES_PER_TX, tx.countEdges());
            }
            IntegrityReport report = db.checkIntegrity();
            assertTrue(report.isClean(), report.toString());
        }
    }

    private static long spilled(ConcurrentGraphDB db) {
        return db.metricsSnapshot().get("sable.pagecache.spilled.pages").value();
    }
}

package dev.sablegraph.concurrent;

import static dev.sablegraph.concurrent.ConcurrencyTestSupport.longProperty;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.WriteConflictException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Read-increment-write counters under contention: a lost update would leave a counter below the
 * number of its increments whose commit returned, a phantom commit (a commit reported as failed
 * but applied) above it. Both before and after a close and reopen.
 */
class CounterTest {
    private static final int COUNTERS = 8;
    private static final int THREADS = 8;
    private static final int INCREMENTS_PER_THREAD = Integer.getInteger("sable.test.increments", 500);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyCommittedIncrementCountsExactlyOnce(LockStrategy strategy) throws Exception {
        long[] counters = new long[COUNTERS];
        AtomicLongArray commits = new AtomicLongArray(COUNTERS);
        AtomicLong conflicts = new AtomicLong();
        ConcurrentGraphDB db = ConcurrencyTestSupport.open(dir, strategy);
        boolean quiescent = false;
        try {
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < COUNTERS; i++) {
                    counters[i] = tx.addNode(Set.of("Counter"), Map.of("count", 0L));
                }
                tx.commit();
            }
            AtomicLong progress = new AtomicLong();
            ConcurrencyTestSupport.runWorkers("counter-" + strategy, THREADS, index -> {
                SplittableRandom rnd = new SplittableRandom(17L * index + strategy.ordinal());
                for (int done = 0; done < INCREMENTS_PER_THREAD; ) {
                    int c = rnd.nextInt(COUNTERS);
                    try (Transaction tx = db.begin()) {
                        long v = longProperty(tx, counters[c], "count");
                        tx.setNodeProperty(counters[c], "count", v + 1);
                        tx.commit();
                        commits.incrementAndGet(c);
                        done++;
                    } catch (WriteConflictException e) {
                        conflicts.incrementAndGet(); // retry with a new transaction (maybe another counter)
                    }
                    progress.incrementAndGet();
                }
            }, progress, 30);
            quiescent = true;
            assertCounts(db, counters, commits, "before reopen");
        } finally {
            if (quiescent) {
                db.close();
            }
        }
        long total = 0;
        for (int i = 0; i < COUNTERS; i++) {
            total += commits.get(i);
        }
        assertEquals((long) THREADS * INCREMENTS_PER_THREAD, total);
        try (ConcurrentGraphDB reopened = ConcurrencyTestSupport.open(dir, strategy)) {
            assertCounts(reopened, counters, commits, "after close and reopen");
        }
        System.out.printf("CounterTest[%s]: %d increments committed, %d conflicts retried%n", strategy, total,
                conflicts.get());
    }

    private static void assertCounts(ConcurrentGraphDB db, long[] counters, AtomicLongArray commits, String when) {
        try (Transaction tx = db.begin()) {
            for (int i = 0; i < COUNTERS; i++) {
                assertEquals(commits.get(i), longProperty(tx, counters[i], "count"),
                        "counter " + i + " " + when + ": its value must equal its successful commits");
            }
            assertEquals(COUNTERS, tx.nodesByLabel("Counter").size(), when);
        }
    }
}

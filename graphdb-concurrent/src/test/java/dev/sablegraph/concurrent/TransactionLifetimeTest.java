package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.LockStrategy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Transactions that are too many, never closed, or held open too long cannot stop the database. */
class TransactionLifetimeTest {
    @TempDir
    Path dir;

    private static long commitNode(ConcurrentGraphDB db) {
        try (Transaction tx = db.begin()) {
            long id = tx.addNode(Set.of("N"), Map.of("v", 0L));
            tx.commit();
            return id;
        }
    }

    private static void update(ConcurrentGraphDB db, long id, long value) {
        try (Transaction tx = db.begin()) {
            tx.setNodeProperty(id, "v", value);
            tx.commit();
        }
    }

    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    @Timeout(20)
    void beginBeyondTheLimitFailsAtOnceAndWorksAgainAfterAClose(LockStrategy strategy) {
        GraphConfig config = GraphConfig.builder().lockStrategy(strategy).maxOpenTransactions(300).build();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config)) {
            List<Transaction> open = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                open.add(db.begin());
            }
            GraphException e = assertThrows(GraphException.class, db::begin);
            assertTrue(e.getMessage().contains("maxOpenTransactions"), e.getMessage());
            open.remove(0).close();
            open.add(db.begin()); // a slot came free: no deadlock, no spin
            open.forEach(Transaction::close);
            commitNode(db);
        }
    }

    @Test
    @Timeout(60)
    void theDefaultLimitFailsFastInsteadOfSpinning() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            List<Transaction> open = new ArrayList<>();
            try {
                GraphException e = assertThrows(GraphException.class, () -> {
                    for (int i = 0; i < 100_000; i++) {
                        open.add(db.begin());
                    }
                });
                assertTrue(e.getMessage().contains("too many open transactions"), e.getMessage());
            } finally {
                open.forEach(Transaction::close);
            }
        }
    }

    /** Drops a transaction that read something without closing it. */
    private static void abandonOne(ConcurrentGraphDB db, long id) {
        Transaction tx = db.begin();
        tx.getNode(id);
    }

    @Test
    @Timeout(60)
    void anUnreachableTransactionIsRolledBackAndNoLongerHoldsVersions() throws Exception {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            long id = commitNode(db);
            abandonOne(db, id);
            for (int i = 1; i <= 2_000; i++) {
                update(db, id, i);
            }
            // Until the collector has polled the phantom reference: a deadline, not a count of
            // tries, so that a slow, loaded machine gets time and a leak still fails.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (db.metrics().abandonedTransactions() == 0 && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            assertEquals(1, db.metrics().abandonedTransactions());
            assertEquals(0, db.metrics().activeTransactions());
            db.collectGarbage();
            assertTrue(db.versionChainLength(id) <= 1, "versions held: " + db.versionChainLength(id));
        }
    }

    @Test
    @Timeout(60)
    void aTransactionOlderThanTheMaximumAgeIsAbortedAndReleased() throws Exception {
        // Rounds only when woken (by begin(), at age 0) or called: with the default 10 ms interval
        // the background thread would expire the transaction 200 ms after begin(), and a test
        // thread stalled that long on a loaded machine would find it gone before its first checks.
        GraphConfig config = GraphConfig.builder().maxTransactionAgeMillis(200).gcIntervalMillis(60_000).build();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config)) {
            long id = commitNode(db);
            Transaction old = db.begin();
            old.getNode(id);
            assertEquals(1, db.openTransactions().size());
            assertEquals(Thread.currentThread().getName(), db.openTransactions().get(0).thread());
            for (int i = 1; i <= 500; i++) {
                update(db, id, i);
            }
            Thread.sleep(400);
            db.collectGarbage();
            assertEquals(1, db.metrics().expiredTransactions());
            assertTrue(db.versionChainLength(id) <= 1, "versions held: " + db.versionChainLength(id));
            GraphException e = assertThrows(GraphException.class, () -> old.getNode(id));
            assertTrue(e.getMessage().contains("maxTransactionAgeMillis"), e.getMessage());
            assertThrows(IllegalStateException.class, old::commit);
            old.close();
            assertEquals(0, db.openTransactions().size());
            update(db, id, 1_000);
        }
    }
}

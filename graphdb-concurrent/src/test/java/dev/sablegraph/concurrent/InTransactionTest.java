package dev.sablegraph.concurrent;

import static dev.sablegraph.concurrent.ConcurrencyTestSupport.longProperty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.WriteConflictException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inTransaction}, {@code runInTransaction} and {@code readTransaction}: what is retried
 * (write conflicts only, a bounded number of times), what leaves no trace, what an interrupt does,
 * and that a read transaction reads one snapshot and refuses writes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InTransactionTest {
    @TempDir
    Path dir;

    private ConcurrentGraphDB open(GraphConfig.Builder config) {
        return ConcurrentGraphDB.open(dir, config.pageCacheBytes(16 << 20).build());
    }

    private static long counter(ConcurrentGraphDB db) {
        return db.inTransaction(tx -> tx.addNode(Set.of("Counter"), Map.of("n", 0L)));
    }

    private static long value(ConcurrentGraphDB db, long id) {
        return db.readTransaction(tx -> longProperty(tx, id, "n"));
    }

    /**
     * Commits a change of the node from a second transaction, so that the first one (began
     * before) conflicts when it writes the node: a conflict made on purpose, every attempt.
     */
    private static void commitConflictingChange(ConcurrentGraphDB db, long id, long value) {
        try (Transaction other = db.begin()) {
            other.setNodeProperty(id, "n", value);
            other.commit();
        }
    }

    @Test
    void concurrentIncrementsEndWithTheExactTotal() throws Exception {
        // many threads on one node may need more than the default 10 attempts (docs/benchmarks.md)
        int threads = 4;
        int increments = 50;
        try (ConcurrentGraphDB db = open(GraphConfig.builder().maxTransactionAttempts(100_000))) {
            long id = counter(db);
            AtomicLong progress = new AtomicLong();
            AtomicInteger attempts = new AtomicInteger();
            ConcurrencyTestSupport.runWorkers("in-transaction", threads, index -> {
                for (int i = 0; i < increments; i++) {
                    db.runInTransaction(tx -> {
                        attempts.incrementAndGet();
                        tx.setNodeProperty(id, "n", longProperty(tx, id, "n") + 1);
                    });
                    progress.incrementAndGet();
                }
            }, progress, 60);
            assertEquals((long) threads * increments, value(db, id));
            assertEquals(0, db.metrics().activeTransactions(), "every attempt's transaction was closed");
            System.out.printf("InTransactionTest: %d increments took %d attempts%n", threads * increments,
                    attempts.get());
        }
    }

    /**
     * The case: two threads each incrementing one node in a tight loop, default settings.
     * Without the {@link RetryGate} the thread that just committed won every race against the
     * retrying one, which gave up after 10 attempts in most runs.
     */
    @Test
    void aRetryIsNotStarvedByAThreadThatKeepsCommitting() throws Exception {
        int increments = 200;
        try (ConcurrentGraphDB db = open(GraphConfig.builder())) {
            long id = counter(db);
            AtomicLong progress = new AtomicLong();
            ConcurrencyTestSupport.runWorkers("two-writers", 2, index -> {
                for (int i = 0; i < increments; i++) {
                    db.runInTransaction(tx -> tx.setNodeProperty(id, "n", longProperty(tx, id, "n") + 1));
                    progress.incrementAndGet();
                }
            }, progress, 60);
            assertEquals(2L * increments, value(db, id));
        }
    }

    /** A retry's work may nest inTransaction on its own thread without waiting for itself at the gate. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRetryMayNestInTransaction() {
        GraphConfig.Builder config = GraphConfig.builder().retryBackoffBaseMillis(0)
                .retryBackoffMaxMillis(GraphConfig.MAX_RETRY_BACKOFF_MILLIS); // the gate would hold it a minute
        try (ConcurrentGraphDB db = open(config)) {
            long id = counter(db);
            long other = counter(db);
            AtomicInteger calls = new AtomicInteger();
            db.runInTransaction(tx -> {
                int call = calls.incrementAndGet();
                tx.setNodeProperty(id, "n", longProperty(tx, id, "n") + 1);
                if (call == 1) {
                    commitConflictingChange(db, id, 10);
                } else {
                    db.runInTransaction(nested -> nested.setNodeProperty(other, "n", 1L));
                }
            });
            assertEquals(2, calls.get());
            assertEquals(11, value(db, id));
            assertEquals(1, value(db, other));
        }
    }

    @Test
    void anotherExceptionIsNotRetriedAndLeavesNoTrace() {
        try (ConcurrentGraphDB db = open(GraphConfig.builder())) {
            long id = counter(db);
            AtomicInteger calls = new AtomicInteger();
            RuntimeException thrown = new IllegalStateException("the application's own failure");
            RuntimeException caught = assertThrows(RuntimeException.class, () -> db.runInTransaction(tx -> {
                calls.incrementAndGet();
                tx.addNode(Set.of("Trace"), Map.of());
                tx.setNodeProperty(id, "n", 42L);
                throw thrown;
            }));
            assertSame(thrown, caught, "propagated unchanged");
            assertEquals(1, calls.get(), "not retried");

            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> db.runInTransaction(tx -> {
                calls.incrementAndGet();
                tx.setNodeProperty(id, "n", 7L);
                tx.setNodeProperty(id, "", 1L);
            }));
            assertTrue(bad.getMessage().contains("key"), bad.getMessage());
            assertEquals(2, calls.get(), "not retried");

            assertEquals(0, value(db, id));
            assertEquals(List.of(), db.readTransaction(tx -> tx.nodesByLabel("Trace")));
            assertEquals(0, db.metrics().activeTransactions());
            db.runInTransaction(tx -> tx.setNodeProperty(id, "n", 1L));
            assertEquals(1, value(db, id), "the database stays usable");
        }
    }

    @Test
    void attemptsAreBoundedAndTheLastConflictIsThrown() {
        try (ConcurrentGraphDB db = open(GraphConfig.builder().maxTransactionAttempts(3).retryBackoffBaseMillis(0)
                .retryBackoffMaxMillis(0))) {
            long id = counter(db);
            AtomicInteger calls = new AtomicInteger();
            WriteConflictException e = assertThrows(WriteConflictException.class, () -> db.runInTransaction(tx -> {
                int call = calls.incrementAndGet();
                tx.addNode(Set.of("Trace"), Map.of());
                commitConflictingChange(db, id, 100 + call);
                tx.setNodeProperty(id, "n", -1L);
            }));
            assertEquals(3, calls.get());
            assertTrue(e.getMessage().contains("3 attempts"), e.getMessage());
            assertInstanceOf(WriteConflictException.class, e.getCause());
            assertEquals(103, value(db, id), "only the conflicting transactions committed");
            assertEquals(List.of(), db.readTransaction(tx -> tx.nodesByLabel("Trace")));
            assertEquals(0, db.metrics().activeTransactions());
        }
    }

    @Test
    void aConflictAtCommitIsRetriedAndTheResultOfTheCommittedAttemptReturned() {
        try (ConcurrentGraphDB db = open(GraphConfig.builder())) {
            long id = counter(db);
            AtomicInteger calls = new AtomicInteger();
            long result = db.inTransaction(tx -> {
                int call = calls.incrementAndGet();
                tx.setNodeProperty(id, "n", longProperty(tx, id, "n") + 1);
                if (call == 1) {
                    commitConflictingChange(db, id, 10); // after our write: the commit finds it
                }
                return (long) call;
            });
            assertEquals(2, calls.get());
            assertEquals(2, result);
            assertEquals(11, value(db, id), "the retry read the conflicting commit");
        }
    }

    @Test
    void workThatEndsItsTransactionItselfIsNotCommittedAgain() {
        try (ConcurrentGraphDB db = open(GraphConfig.builder())) {
            long id = counter(db);
            String result = db.inTransaction(tx -> {
                tx.setNodeProperty(id, "n", 5L);
                tx.rollback();
                return "rolled back";
            });
            assertEquals("rolled back", result);
            assertEquals(0, value(db, id));
            long committedAt = db.inTransaction(tx -> {
                tx.setNodeProperty(id, "n", 6L);
                tx.commit();
                return tx.commitTimestamp();
            });
            assertTrue(committedAt > 0);
            assertEquals(6, value(db, id));
            assertEquals(0, db.metrics().activeTransactions());
        }
    }

    @Test
    void anInterruptStatusSetByTheWorkEndsTheRetries() {
        try (ConcurrentGraphDB db = open(GraphConfig.builder().retryBackoffBaseMillis(0).retryBackoffMaxMillis(0))) {
            long id = counter(db);
            AtomicInteger calls = new AtomicInteger();
            WriteConflictException e;
            try {
                e = assertThrows(WriteConflictException.class, () -> db.runInTransaction(tx -> {
                    calls.incrementAndGet();
                    commitConflictingChange(db, id, 1);
                    Thread.currentThread().interrupt();
                    tx.setNodeProperty(id, "n", -1L);
                }));
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set");
            } finally {
                Thread.interrupted();
            }
            assertEquals(1, calls.get(), "no retry after the interrupt");
            assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
            assertInstanceOf(WriteConflictException.class, e.getCause());
            assertEquals(1, value(db, id));
        }
    }

    @Test
    void anInterruptDuringTheBackoffEndsItAtOnce() throws Exception {
        GraphConfig.Builder config = GraphConfig.builder().retryBackoffBaseMillis(GraphConfig.MAX_RETRY_BACKOFF_MILLIS)
                .retryBackoffMaxMillis(GraphConfig.MAX_RETRY_BACKOFF_MILLIS);
        try (ConcurrentGraphDB db = open(config)) {
            long id = counter(db);
            AtomicInteger calls = new AtomicInteger();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> interruptStatus = new AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    db.runInTransaction(tx -> {
                        commitConflictingChange(db, id, 1);
                        calls.incrementAndGet();
                        tx.setNodeProperty(id, "n", -1L);
                    });
                } catch (Throwable t) {
                    thrown.set(t);
                }
                interruptStatus.set(Thread.currentThread().isInterrupted());
            }, "in-transaction-backoff");
            worker.start();
            // Up to a minute of backoff follows the first conflict (the wait is random, it may be
            // short): interrupt once the worker has conflicted and is waiting or already retrying.
            while (calls.get() == 0 && worker.isAlive()) {
                Thread.sleep(1);
            }
            worker.interrupt();
            worker.join();
            assertInstanceOf(WriteConflictException.class, thrown.get());
            assertTrue(thrown.get().getMessage().contains("interrupted"), thrown.get().getMessage());
            assertTrue(interruptStatus.get(), "the interrupt status stays set");
            assertTrue(calls.get() <= 2, "retries end at the interrupt");
        }
    }

    @Test
    void aReadTransactionReadsOneSnapshot() {
        try (ConcurrentGraphDB db = open(GraphConfig.builder())) {
            long id = counter(db);
            List<Long> seen = db.readTransaction(tx -> {
                long before = longProperty(tx, id, "n");
                db.runInTransaction(other -> other.setNodeProperty(id, "n", 1L));
                long after = longProperty(tx, id, "n");
                return List.of(before, after);
            });
            assertEquals(List.of(0L, 0L), seen);
            assertEquals(1, value(db, id), "a new read transaction sees the commit");
            assertEquals(0, db.metrics().activeTransactions());
        }
    }

    @Test
    void aReadTransactionRefusesWritesAndStaysUsable() {
        try (ConcurrentGraphDB db = open(GraphConfig.builder())) {
            long id = counter(db);
            long read = db.readTransaction(tx -> {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> tx.setNodeProperty(id, "n", 9L));
                assertTrue(e.getMessage().contains("read-only"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> tx.addNode(Set.of("Trace"), Map.of()));
                assertThrows(IllegalStateException.class, () -> tx.addLabel(id, "Other"));
                assertThrows(IllegalStateException.class, () -> tx.deleteNode(id));
                assertThrows(IllegalStateException.class, () -> tx.addEdge(id, id, "SELF", Map.of()));
                return longProperty(tx, id, "n");
            });
            assertEquals(0, read);
            assertEquals(List.of(), db.readTransaction(tx -> tx.nodesByLabel("Trace")));
            assertEquals(0, value(db, id));
            assertEquals(0, db.metrics().activeTransactions());
        }
    }

    @Test
    void aReadTransactionThatThrowsIsClosed() {
        try (ConcurrentGraphDB db = open(GraphConfig.builder())) {
            RuntimeException thrown = new RuntimeException("mine");
            assertSame(thrown, assertThrows(RuntimeException.class, () -> db.readTransaction(tx -> {
                throw thrown;
            })));
            assertEquals(0, db.metrics().activeTransactions());
        }
    }

    @Test
    void nullWorkIsRefused() {
        try (ConcurrentGraphDB db = open(GraphConfig.builder())) {
            assertThrows(IllegalArgumentException.class, () -> db.inTransaction(null));
            assertThrows(IllegalArgumentException.class, () -> db.runInTransaction(null));
            assertThrows(IllegalArgumentException.class, () -> db.readTransaction(null));
            assertNull(db.inTransaction(tx -> null));
        }
    }

    @Test
    void theBackoffBoundDoublesUpToItsCap() {
        ConflictRetry retry = new ConflictRetry(GraphConfig.builder().retryBackoffBaseMillis(1)
                .retryBackoffMaxMillis(100).build(), timeout -> { });
        long ms = 1_000_000;
        assertEquals(1 * ms, retry.backoffBoundNanos(1));
        assertEquals(2 * ms, retry.backoffBoundNanos(2));
        assertEquals(64 * ms, retry.backoffBoundNanos(7));
        assertEquals(100 * ms, retry.backoffBoundNanos(8));
        assertEquals(100 * ms, retry.backoffBoundNanos(Integer.MAX_VALUE));
        ConflictRetry widest = new ConflictRetry(GraphConfig.builder()
                .retryBackoffBaseMillis(GraphConfig.MAX_RETRY_BACKOFF_MILLIS)
                .retryBackoffMaxMillis(GraphConfig.MAX_RETRY_BACKOFF_MILLIS).build(), timeout -> { });
        assertEquals(GraphConfig.MAX_RETRY_BACKOFF_MILLIS * ms, widest.backoffBoundNanos(Integer.MAX_VALUE));
        ConflictRetry none = new ConflictRetry(GraphConfig.builder().retryBackoffBaseMillis(0).build(), timeout -> { });
        assertEquals(0, none.backoffBoundNanos(30));
    }

    @Test
    void retrySettingsAreValidated() {
        assertSetting("maxTransactionAttempts", () -> GraphConfig.builder().maxTransactionAttempts(0).build());
        assertSetting("retryBackoffBaseMillis", () -> GraphConfig.builder().retryBackoffBaseMillis(-1).build());
        assertSetting("retryBackoffMaxMillis", () -> GraphConfig.builder().retryBackoffBaseMillis(10)
                .retryBackoffMaxMillis(5).build());
        assertSetting("retryBackoffMaxMillis", () -> GraphConfig.builder()
                .retryBackoffMaxMillis(GraphConfig.MAX_RETRY_BACKOFF_MILLIS + 1).build());
        GraphConfig c = GraphConfig.builder().maxTransactionAttempts(3).retryBackoffBaseMillis(2)
                .retryBackoffMaxMillis(50).build();
        GraphConfig copy = c.toBuilder().build();
        assertEquals(3, copy.maxTransactionAttempts());
        assertEquals(2, copy.retryBackoffBaseMillis());
        assertEquals(50, copy.retryBackoffMaxMillis());
        GraphConfig defaults = GraphConfig.defaults();
        assertEquals(10, defaults.maxTransactionAttempts());
        assertEquals(1, defaults.retryBackoffBaseMillis());
        assertEquals(100, defaults.retryBackoffMaxMillis());
        assertFalse(defaults.toString().isEmpty());
    }

    private static void assertSetting(String name, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }
}

package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.IntegrityReport;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction belongs to one thread. One that a second thread keeps writing to while the first
 * commits it fails or commits that transaction alone, with the changes made before the commit
 * began and perhaps some of the racing ones, never anything else: other transactions go on, and
 * the store stays consistent. The commit takes the transaction's changes over rather than copying
 * them, so a racing write can reach what the commit reads.
 */
class TransactionMisuseTest {
    private static final int BEFORE_COMMIT = 2_000;

    @TempDir
    Path dir;

    @Test
    void writesRacingACommitFailOrCommitThatTransactionAlone() throws Exception {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            for (int round = 0; round < 30; round++) {
                Transaction tx = db.begin();
                Set<String> label = Set.of("R" + round);
                for (int i = 0; i < BEFORE_COMMIT; i++) {
                    tx.addNode(label, Map.of("i", (long) i));
                }
                AtomicBoolean done = new AtomicBoolean();
                AtomicLong racingWrites = new AtomicLong();
                AtomicReference<Throwable> unexpected = new AtomicReference<>();
                CountDownLatch started = new CountDownLatch(1);
                Thread racer = new Thread(() -> {
                    started.countDown();
                    while (!done.get()) {
                        try {
                            tx.addNode(label, Map.of("i", -1L));
                            racingWrites.incrementAndGet();
                        } catch (IllegalStateException refused) {
                            // committing, committed or failed: what misuse should see
                        } catch (Throwable t) {
                            unexpected.compareAndSet(null, t);
                        }
                    }
                });
                racer.start();
                started.await();
                boolean committed;
                try {
                    tx.commit();
                    committed = true;
                } catch (IllegalStateException refused) {
                    committed = false;
                } finally {
                    done.set(true);
                    racer.join();
                    tx.close();
                }
                if (unexpected.get() != null) {
                    throw new AssertionError("the racing writer saw", unexpected.get());
                }
                long stored;
                try (Transaction check = db.begin()) {
                    stored = check.countNodes("R" + round);
                }
                if (committed) {
                    assertTrue(stored >= BEFORE_COMMIT && stored <= BEFORE_COMMIT + racingWrites.get(),
                            "round " + round + ": " + stored + " nodes after " + racingWrites.get() + " racing writes");
                } else {
                    assertEquals(0, stored, "round " + round + ": a failed commit left nodes");
                }
                try (Transaction other = db.begin()) {
                    other.addNode(Set.of("Other"), Map.of());
                    other.commit();
                }
            }
            IntegrityReport report = db.checkIntegrity();
            assertTrue(report.isClean(), report.toString());
            try (Transaction check = db.begin()) {
                assertEquals(30, check.countNodes("Other"));
            }
        }
    }
}

package dev.sablegraph.concurrent;

import static dev.sablegraph.concurrent.ConcurrencyTestSupport.longProperty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The classic bank invariant: writers move money between accounts in transactions, readers sum all
 * balances in one snapshot. Under snapshot isolation every snapshot must show exactly the initial
 * total (no read skew, no torn commit), and no transfer may be lost (no lost update): each account's
 * final balance is its initial balance plus the net of the transfers whose commit returned.
 */
class BankTransferTest {
    private static final int ACCOUNTS = 20;
    private static final long INITIAL = 1000;
    private static final long TOTAL = ACCOUNTS * INITIAL;
    private static final int WRITERS = 8;
    private static final int READERS = 3;
    private static final int TRANSFERS_PER_WRITER = Integer.getInteger("sable.test.transfers", 500);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everySnapshotSeesTheSameTotal(LockStrategy strategy) throws Exception {
        ConcurrentGraphDB db = ConcurrencyTestSupport.open(dir, strategy);
        boolean quiescent = false;
        try {
            long[] accounts = new long[ACCOUNTS];
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < ACCOUNTS; i++) {
                    accounts[i] = tx.addNode(Set.of("Account"), Map.of("balance", INITIAL, "no", (long) i));
                }
                tx.commit();
            }

            AtomicLong progress = new AtomicLong();
            AtomicLong transfers = new AtomicLong();
            AtomicLong conflicts = new AtomicLong();
            AtomicLong snapshotsChecked = new AtomicLong();
            AtomicLongArray expectedDelta = new AtomicLongArray(ACCOUNTS);
            AtomicBoolean writersDone = new AtomicBoolean();
            AtomicLong writersLeft = new AtomicLong(WRITERS);
            ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

            ConcurrencyTestSupport.runWorkers("bank-" + strategy, WRITERS + READERS, index -> {
                SplittableRandom rnd = new SplittableRandom(31L * index + strategy.ordinal());
                if (index < WRITERS) {
                    try {
                        for (int done = 0; done < TRANSFERS_PER_WRITER; ) {
                            int a = rnd.nextInt(ACCOUNTS);
                            int b = (a + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                            long amount = 1 + rnd.nextInt(100);
                            if (transfer(db, accounts[a], accounts[b], amount)) {
                                expectedDelta.addAndGet(a, -amount);
                                expectedDelta.addAndGet(b, amount);
                                transfers.incrementAndGet();
                                done++;
                            } else {
                                conflicts.incrementAndGet();
                            }
                            progress.incrementAndGet();
                        }
                    } finally {
                        if (writersLeft.decrementAndGet() == 0) {
                            writersDone.set(true);
                        }
                    }
                } else {
                    // at least a few snapshots each, then until the writers are done
                    for (int round = 0; round < 20 || !writersDone.get(); round++) {
                        checkSnapshot(db, accounts, round % 2 == 0, violations);
                        snapshotsChecked.incrementAndGet();
                        progress.incrementAndGet();
                    }
                }
            }, progress, 30);

            if (!violations.isEmpty()) {
                violations.forEach(v -> System.err.println("BankTransferTest[" + strategy + "] " + v));
            }
            assertTrue(violations.isEmpty(), () -> violations.size() + " inconsistent snapshots, first ones: "
                    + violations.stream().limit(5).toList());
            assertEquals((long) WRITERS * TRANSFERS_PER_WRITER, transfers.get());
            try (Transaction tx = db.begin()) {
                long total = 0;
                for (int i = 0; i < ACCOUNTS; i++) {
                    long balance = longProperty(tx, accounts[i], "balance");
                    assertEquals(INITIAL + expectedDelta.get(i), balance,
                            "account " + i + ": initial balance plus the net of its committed transfers");
                    total += balance;
                }
                assertEquals(TOTAL, total);
            }
            System.out.printf("BankTransferTest[%s]: %d transfers committed, %d conflicts retried, %d snapshots"
                    + " checked%n", strategy, transfers.get(), conflicts.get(), snapshotsChecked.get());
            quiescent = true;
        } finally {
            if (quiescent) {
                db.close();
            }
        }
    }

    /** One transfer attempt: true when it committed, false on a write conflict (rolled back). */
    private static boolean transfer(ConcurrentGraphDB db, long from, long to, long amount) {
        try (Transaction tx = db.begin()) {
            long a = longProperty(tx, from, "balance");
            long b = longProperty(tx, to, "balance");
            tx.setNodeProperty(from, "balance", a - amount);
            tx.setNodeProperty(to, "balance", b + amount);
            tx.commit();
            return true;
        } catch (WriteConflictException conflict) {
            return false; // close() rolled it back; the caller retries with a new transaction
        }
    }

    /** Sums all balances in one snapshot, by id or through the label index, and re-reads one. */
    private static void checkSnapshot(ConcurrentGraphDB db, long[] accounts, boolean byId,
            ConcurrentLinkedQueue<String> violations) {
        try (Transaction tx = db.begin()) {
            long total = 0;
            long first = 0;
            if (byId) {
                for (int i = 0; i < accounts.length; i++) {
                    long balance = longProperty(tx, accounts[i], "balance"); // may be negative
                    if (i == 0) {
                        first = balance;
                    }
                    total += balance;
                }
            } else {
                List<Node> nodes = tx.nodesByLabel("Account");
                if (nodes.size() != ACCOUNTS) {
                    violations.add("snapshot " + tx.snapshotTimestamp() + ": nodesByLabel returned " + nodes.size()
                            + " accounts");
                }
                for (Node n : nodes) {
                    total += (Long) n.properties().get("balance");
                }
                first = longProperty(tx, accounts[0], "balance");
            }
            if (total != TOTAL) {
                violations.add("snapshot " + tx.snapshotTimestamp() + (byId ? " (getNode)" : " (nodesByLabel)")
                        + ": total " + total);
            }
            long again = longProperty(tx, accounts[0], "balance");
            if (again != first) {
                violations.add("snapshot " + tx.snapshotTimestamp() + ": account 0 read " + first + " then " + again);
            }
            tx.commit();
        }
    }
}

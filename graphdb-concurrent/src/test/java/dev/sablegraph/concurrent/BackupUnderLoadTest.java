package dev.sablegraph.concurrent;

import static dev.sablegraph.concurrent.ConcurrencyTestSupport.longProperty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import dev.sablegraph.internal.durability.BackupCopier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups taken while writers move money between accounts and checkpoints are forced all the
 * time. Every copy must open, pass the integrity check, keep the total, and hold exactly a prefix
 * of the commit order that includes every transfer acknowledged before its backup was called.
 *
 * <p>How "prefix" is checked: every transfer also creates a {@code Transfer} node with its id, in
 * the same transaction, and the writer records the transfer's commit timestamp once {@code commit()}
 * returns (timestamps are unique and increase in commit order, which is the log's order). For a
 * copy holding the transfers S, with T the newest timestamp in S: every committed transfer with a
 * timestamp up to T is in S and none after it (S is a prefix); every transfer acknowledged before
 * the backup call is in S; no transfer whose {@code commit()} began after the backup returned is
 * in S; and each account's balance is its initial balance plus the net of exactly the transfers in
 * S (nothing partial: a transfer's two balance changes and its node are all there or all absent).
 */
class BackupUnderLoadTest {
    private static final int ACCOUNTS = 16;
    private static final long INITIAL = 1_000;
    private static final int WRITERS = 4;
    private static final int BACKUPS = Integer.getInteger("sable.test.backups", 8);
    private static final int MIN_TRANSFERS_PER_WRITER = Integer.getInteger("sable.test.transfers", 200);

    @TempDir
    Path tmp;

    /** A transfer whose commit returned. {@code backupsReturnedAtCommit}: backups returned before its commit() began. */
    private record Committed(long tid, long ts, int from, int to, long amount, int backupsReturnedAtCommit) {}

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyCopyHoldsExactlyAPrefixOfTheCommitsAndKeepsTheTotal() throws Exception {
        GraphConfig config = GraphConfig.builder().pageCacheBytes(16 << 20).checkpointLogBytes(256 << 10)
                .gcIntervalMillis(5).build();
        ConcurrentGraphDB db = ConcurrentGraphDB.open(tmp.resolve("db"), config);
        boolean quiescent = false;
        Map<Long, Committed> committed = new ConcurrentHashMap<>();
        List<Set<Long>> acknowledgedBefore = new ArrayList<>();
        AtomicInteger backupsReturned = new AtomicInteger();
        long checkpointsBefore;
        try {
            long[] accounts = new long[ACCOUNTS];
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < ACCOUNTS; i++) {
                    accounts[i] = tx.addNode(Set.of("Account"), Map.of("balance", INITIAL, "no", (long) i));
                }
                tx.commit();
            }
            checkpointsBefore = db.checkpoints();
            AtomicLong progress = new AtomicLong();
            AtomicBoolean backupsDone = new AtomicBoolean();
            AtomicInteger writersLeft = new AtomicInteger(WRITERS);

            ConcurrencyTestSupport.runWorkers("backup-under-load", WRITERS + 2, index -> {
                if (index < WRITERS) {
                    try {
                        write(db, accounts, index, committed, backupsReturned, backupsDone, progress);
                    } finally {
                        writersLeft.decrementAndGet();
                    }
                } else if (index == WRITERS) {
                    try {
                        for (int i = 0; i < BACKUPS; i++) {
                            awaitCommits(committed, (i + 1) * 40L, writersLeft);
                            acknowledgedBefore.add(new HashSet<>(committed.keySet()));
                            Path target = tmp.resolve("copy-" + i);
                            if (i % 2 == 0) {
                                db.backup(target);
                            } else { // a page at a time, pausing now and then: checkpoints overlap the copy
                                AtomicInteger chunks = new AtomicInteger();
                                db.backup(target, new BackupCopier.Pacing(1, () -> {
                                    if (chunks.incrementAndGet() % 4 == 0) {
                                        sleep(1);
                                    }
                                }));
                            }
                            backupsReturned.incrementAndGet();
                            progress.incrementAndGet();
                        }
                    } finally {
                        backupsDone.set(true);
                    }
                } else {
                    while (!backupsDone.get() || writersLeft.get() > 0) { // forced checkpoints all along
                        db.checkpoint();
                        progress.incrementAndGet();
                        sleep(2);
                    }
                }
            }, progress, 60);
            assertTrue(db.checkpoints() > checkpointsBefore + BACKUPS, "checkpoints ran besides the backups'");
            quiescent = true;
        } finally {
            if (quiescent) {
                db.close();
            }
        }

        long total = 0;
        for (int i = 0; i < BACKUPS; i++) {
            verifyCopy(i, config, committed, acknowledgedBefore.get(i));
            total += acknowledgedBefore.get(i).size();
        }
        System.out.printf("BackupUnderLoadTest: %d transfers committed; %d backups held %d acknowledged transfers"
                + " between them%n", committed.size(), BACKUPS, total);
    }

    private static void write(ConcurrentGraphDB db, long[] accounts, int writer, Map<Long, Committed> committed,
            AtomicInteger backupsReturned, AtomicBoolean backupsDone, AtomicLong progress) {
        SplittableRandom rnd = new SplittableRandom(writer);
        for (long n = 0; n < MIN_TRANSFERS_PER_WRITER || !backupsDone.get(); ) {
            int a = rnd.nextInt(ACCOUNTS);
            int b = (a + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            long amount = 1 + rnd.nextInt(100);
            long tid = writer * 1_000_000L + n;
            try (Transaction tx = db.begin()) {
                long balanceA = longProperty(tx, accounts[a], "balance");
                long balanceB = longProperty(tx, accounts[b], "balance");
                tx.setNodeProperty(accounts[a], "balance", balanceA - amount);
                tx.setNodeProperty(accounts[b], "balance", balanceB + amount);
                tx.addNode(Set.of("Transfer"), Map.of("tid", tid));
                int returned = backupsReturned.get(); // read before commit() begins
                tx.commit();
                committed.put(tid, new Committed(tid, tx.commitTimestamp(), a, b, amount, returned));
                n++;
            } catch (WriteConflictException conflict) {
                // rolled back; try another transfer
            }
            progress.incrementAndGet();
        }
    }

    private void verifyCopy(int i, GraphConfig config, Map<Long, Committed> committed, Set<Long> acknowledged) {
        String name = "copy " + i;
        try (ConcurrentGraphDB copy = ConcurrentGraphDB.open(tmp.resolve("copy-" + i), config);
                Transaction tx = copy.begin()) {
            IntegrityReport report = copy.checkIntegrity();
            assertTrue(report.isClean(), () -> name + ": " + report);

            Set<Long> present = new HashSet<>();
            for (Node n : tx.nodesByLabel("Transfer")) {
                assertTrue(present.add((Long) n.properties().get("tid")), name + ": a transfer twice");
            }
            long newest = 0;
            for (long tid : present) {
                Committed c = committed.get(tid);
                assertTrue(c != null, name + ": transfer " + tid + " is in the copy but never committed");
                newest = Math.max(newest, c.ts());
            }
            long[] expected = new long[ACCOUNTS];
            java.util.Arrays.fill(expected, INITIAL);
            for (Committed c : committed.values()) {
                boolean in = present.contains(c.tid());
                assertEquals(c.ts() <= newest, in, name + ": transfer " + c.tid() + " at timestamp " + c.ts()
                        + " breaks the prefix ending at " + newest);
                if (acknowledged.contains(c.tid())) {
                    assertTrue(in, name + ": transfer " + c.tid() + " returned before the backup began, but is missing");
                }
                if (c.backupsReturnedAtCommit() > i) {
                    assertTrue(!in, name + ": transfer " + c.tid() + " began committing after the backup returned");
                }
                if (in) {
                    expected[c.from()] -= c.amount();
                    expected[c.to()] += c.amount();
                }
            }
            long sum = 0;
            for (Node account : tx.nodesByLabel("Account")) {
                int no = (int) (long) (Long) account.properties().get("no");
                long balance = (Long) account.properties().get("balance");
                assertEquals(expected[no], balance, name + ": account " + no + " is its initial balance plus exactly"
                        + " the transfers in the copy");
                sum += balance;
            }
            assertEquals(ACCOUNTS * INITIAL, sum, name + ": the total");
            assertTrue(present.containsAll(acknowledged));
        }
    }

    private static void awaitCommits(Map<Long, Committed> committed, long count, AtomicInteger writersLeft) {
        while (committed.size() < count && writersLeft.get() > 0) {
            sleep(1);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.sablegraph.concurrent;

import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import dev.sablegraph.internal.durability.BackupCopier;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child process of {@link BackupKillTest}: opens the database in {@code args[0]} (creating
 * {@value #ACCOUNTS} accounts and some ballast on the first run), starts two threads moving money
 * between the accounts, and backs up to {@code args[1]} a page at a time, slowly, so that the
 * parent can kill it in the middle of the copy. Prints {@code COPYING} when the copy has begun and
 * {@code DONE} when the backup returned, then goes on transferring until it is killed.
 */
public final class BackupKillWorkload {
    static final int ACCOUNTS = 10;
    static final long INITIAL = 1_000;

    private BackupKillWorkload() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path target = Path.of(args[1]);
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            long[] accounts = accounts(db);
            for (int t = 0; t < 2; t++) {
                int seed = t;
                Thread writer = new Thread(() -> transfer(db, accounts, seed));
                writer.setDaemon(true);
                writer.start();
            }
            AtomicInteger chunks = new AtomicInteger();
            db.backup(target, new BackupCopier.Pacing(1, () -> {
                if (chunks.incrementAndGet() == 1) {
                    print("COPYING");
                }
                sleep(3);
            }));
            print("DONE");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static long[] accounts(ConcurrentGraphDB db) {
        try (Transaction tx = db.begin()) {
            List<Node> found = tx.nodesByLabel("Account");
            if (!found.isEmpty()) {
                long[] ids = new long[ACCOUNTS];
                for (Node n : found) {
                    ids[(int) (long) (Long) n.properties().get("no")] = n.id();
                }
                return ids;
            }
            long[] ids = new long[ACCOUNTS];
            for (int i = 0; i < ACCOUNTS; i++) {
                ids[i] = tx.addNode(Set.of("Account"), Map.of("no", (long) i, "balance", INITIAL));
            }
            for (int i = 0; i < 4000; i++) { // a data file of a few hundred pages: the copy takes a while
                tx.addNode(Set.of("Ballast"), Map.of("no", (long) i, "payload", "b".repeat(300)));
            }
            tx.commit();
            return ids;
        }
    }

    private static void transfer(ConcurrentGraphDB db, long[] accounts, int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        while (true) {
            int a = rnd.nextInt(ACCOUNTS);
            int b = (a + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            try (Transaction tx = db.begin()) {
                long amount = 1 + rnd.nextInt(50);
                long balanceA = (Long) tx.getNode(accounts[a]).orElseThrow().properties().get("balance");
                long balanceB = (Long) tx.getNode(accounts[b]).orElseThrow().properties().get("balance");
                tx.setNodeProperty(accounts[a], "balance", balanceA - amount);
                tx.setNodeProperty(accounts[b], "balance", balanceB + amount);
                tx.commit();
            } catch (WriteConflictException conflict) {
                // the other writer got there first
            }
            if (rnd.nextInt(50) == 0) {
                db.checkpoint(); // checkpoints overwrite pages the copy has not reached yet
            }
        }
    }

    private static void print(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
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

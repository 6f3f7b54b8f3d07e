package dev.sablegraph.concurrent;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The child process of {@link CrashRecoveryTest}: commits transactions in a loop from two threads
 * and prints {@code TRY <seq> <deleted seq or -1>} before and {@code ACK <seq>} after each
 * {@code commit()}, until it is killed.
 *
 * <p>Each transaction adds an {@code Item} node with a unique {@code seq}, links it to the previous
 * item of its thread, and increments the {@code count} of the single {@code Counter} node; every
 * fifth also deletes an older item of its thread (edges first) and decrements the counter. So in
 * any committed state: counter == number of items, and every item's edges point at items. Each
 * item also holds a list value, {@link #trail}.
 */
public final class CrashWorkload {
    private CrashWorkload() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            long counter = counterNode(db);
            System.out.println("READY");
            System.out.flush();
            Thread[] threads = new Thread[2];
            for (int t = 0; t < threads.length; t++) {
                int worker = t;
                threads[t] = new Thread(() -> run(db, counter, seed * 31 + worker, worker));
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    private static void print(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    private static long counterNode(ConcurrentGraphDB db) {
        try (Transaction tx = db.begin()) {
            List<Node> found = tx.nodesByLabel("Counter");
            if (!found.isEmpty()) {
                return found.get(0).id();
            }
            long id = tx.addNode(Set.of("Counter"), Map.of("count", 0L));
            tx.commit();
            return id;
        }
    }

    /** An item's list property: its seq and worker, so recovery is checked on list values too. */
    static List<Long> trail(long seq, long worker) {
        return List.of(seq, worker);
    }

    private static void run(ConcurrentGraphDB db, long counter, long seed, int worker) {
        Random rnd = new Random(seed);
        long previous = -1;
        for (long i = 0; ; i++) {
            long seq = seed * 1_000_000 + i;
            for (;;) {
                try (Transaction tx = db.begin()) {
                    long count = (Long) tx.getNode(counter).orElseThrow().properties().get("count");
                    long item = tx.addNode(Set.of("Item"), Map.of("seq", seq, "worker", (long) worker,
                            "payload", new byte[rnd.nextInt(300)], "trail", trail(seq, worker)));
                    if (previous >= 0 && tx.getNode(previous).isPresent()) {
                        tx.addEdge(item, previous, "PREV", Map.of());
                    }
                    long delta = 1;
                    long victimSeq = -1;
                    if (i % 5 == 4) {
                        List<Node> mine = tx.findNodes("Item", "worker", (long) worker);
                        Node victim = mine.isEmpty() ? null : mine.get(rnd.nextInt(mine.size()));
                        if (victim != null && victim.id() != item) {
                            tx.edges(victim.id(), Direction.BOTH, null).forEach(e -> tx.deleteEdge(e.id()));
                            tx.deleteNode(victim.id());
                            victimSeq = (Long) victim.properties().get("seq");
                            delta = 0;
                        }
                    }
                    tx.setNodeProperty(counter, "count", count + delta);
                    print("TRY " + seq + " " + victimSeq);
                    tx.commit();
                    previous = item;
                    print("ACK " + seq);
                    break;
                } catch (WriteConflictException e) {
                    // the other worker updated the counter first: retry
                }
            }
        }
    }
}

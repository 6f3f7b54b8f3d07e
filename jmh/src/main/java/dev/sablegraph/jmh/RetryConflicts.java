package dev.sablegraph.jmh;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.WriteConflictException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Write conflicts per successful increment when {@code threads} threads each increment one node's
 * property {@code increments} times on a default (SYNC) database: once with the plain loop that
 * catches {@link WriteConflictException} and begins again at once, once with
 * {@code ConcurrentGraphDB.runInTransaction} (jittered exponential backoff). Each on a new
 * database; the final value is checked against the number of increments.
 *
 * <pre>java -cp jmh/target/benchmarks.jar dev.sablegraph.jmh.RetryConflicts [increments] [threads] [maxTransactionAttempts]</pre>
 *
 * Besides the conflicts it prints the most conflicts one increment met.
 */
public final class RetryConflicts {
    private RetryConflicts() {}

    /** One way of incrementing the counter once, however many attempts it takes; returns the conflicts met. */
    @FunctionalInterface
    private interface Increment {
        long run(ConcurrentGraphDB db, long id);
    }

    public static void main(String[] args) throws Exception {
        int increments = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        GraphConfig config = args.length > 2
                ? GraphConfig.builder().maxTransactionAttempts(Integer.parseInt(args[2])).build()
                : GraphConfig.defaults();
        System.out.printf("%d threads x %d increments of one node's property, SYNC, maxTransactionAttempts %d%n",
                threads, increments, config.maxTransactionAttempts());
        System.out.printf("%-22s %10s %12s %20s %14s %10s%n", "loop", "increments", "conflicts", "conflicts/increment",
                "most for one", "ms");
        measure("catch and retry", config, threads, increments, RetryConflicts::naive);
        measure("runInTransaction", config, threads, increments, RetryConflicts::withRetryHelper);
    }

    /** The loop the API offered before: catch the conflict, begin again at once. */
    private static long naive(ConcurrentGraphDB db, long id) {
        long conflicts = 0;
        for (;;) {
            try (Transaction tx = db.begin()) {
                long n = (Long) tx.getNode(id).orElseThrow().properties().get("n");
                tx.setNodeProperty(id, "n", n + 1);
                tx.commit();
                return conflicts;
            } catch (WriteConflictException e) {
                conflicts++;
            }
        }
    }

    private static long withRetryHelper(ConcurrentGraphDB db, long id) {
        long[] attempts = {0};
        db.runInTransaction(tx -> {
            attempts[0]++;
            long n = (Long) tx.getNode(id).orElseThrow().properties().get("n");
            tx.setNodeProperty(id, "n", n + 1);
        });
        return attempts[0] - 1;
    }

    private static void measure(String name, GraphConfig config, int threads, int increments, Increment increment)
            throws Exception {
        Path dir = Files.createTempDirectory("sable-retry");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config)) {
            long id;
            try (Transaction tx = db.begin()) {
                id = tx.addNode(Set.of("Counter"), Map.of("n", 0L));
                tx.commit();
            }
            AtomicLong conflicts = new AtomicLong();
            AtomicLong most = new AtomicLong();
            Thread[] workers = new Thread[threads];
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                workers[t] = new Thread(() -> {
                    for (int i = 0; i < increments; i++) {
                        long met = increment.run(db, id);
                        conflicts.addAndGet(met);
                        most.accumulateAndGet(met, Math::max);
                    }
                });
                workers[t].start();
            }
            for (Thread w : workers) {
                w.join();
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            long total = (long) threads * increments;
            long value;
            try (Transaction tx = db.begin()) {
                value = (Long) tx.getNode(id).orElseThrow().properties().get("n");
            }
            if (value != total) {
                throw new IllegalStateException(name + ": value " + value + " after " + total + " increments");
            }
            System.out.printf("%-22s %,10d %,12d %20.2f %,14d %,10d%n", name, total, conflicts.get(),
                    conflicts.get() / (double) total, most.get(), millis);
        } finally {
            GraphDatasets.deleteRecursively(dir);
        }
    }
}

package dev.sablegraph.jmh;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.core.MvccMetrics;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.WriteConflictException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures that version chains and the data file stay bounded while one node is updated over and
 * over with no long reader: {@code threads} writers set one property of the same node, retrying on
 * conflicts, until {@code updates} commits succeeded; every 100,000 commits it prints the number of
 * versions held, the reclamation lag and the file size.
 *
 * <pre>java -cp jmh/target/benchmarks.jar dev.sablegraph.jmh.HotNodeChurn [updates] [threads]</pre>
 */
public final class HotNodeChurn {
    private HotNodeChurn() {}

    public static void main(String[] args) throws Exception {
        long updates = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path dir = Files.createTempDirectory("sable-hot-node");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, GraphConfig.defaults())) {
            long id;
            try (Transaction tx = db.begin()) {
                id = tx.addNode(Set.of("Hot"), Map.of("n", 0L, "name", "hot"));
                tx.commit();
            }
            AtomicLong done = new AtomicLong();
            AtomicLong conflicts = new AtomicLong();
            long maxVersions = 0;
            Thread[] workers = new Thread[threads];
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                workers[t] = new Thread(() -> {
                    while (done.get() < updates) {
                        try (Transaction tx = db.begin()) {
                            long n = (Long) tx.getNode(id).orElseThrow().properties().get("n");
                            tx.setNodeProperty(id, "n", n + 1);
                            tx.commit();
                            done.incrementAndGet();
                        } catch (WriteConflictException e) {
                            conflicts.incrementAndGet();
                        }
                    }
                });
                workers[t].start();
            }
            long nextReport = 100_000;
            System.out.printf("%12s %10s %10s %10s %12s %12s%n", "commits", "versions", "chains", "lag", "file bytes", "conflicts");
            while (done.get() < updates) {
                Thread.sleep(5);
                MvccMetrics m = db.metrics();
                maxVersions = Math.max(maxVersions, m.versions());
                if (done.get() >= nextReport) {
                    db.flush();
                    System.out.printf("%,12d %,10d %,10d %,10d %,12d %,12d%n", done.get(), m.versions(), m.versionChains(),
                            m.reclamationLag(), size(dir), conflicts.get());
                    nextReport += 100_000;
                }
            }
            for (Thread w : workers) {
                w.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            db.collectGarbage();
            db.flush();
            try (Transaction tx = db.begin()) {
                long n = (Long) tx.getNode(id).orElseThrow().properties().get("n");
                System.out.printf("final value %,d (commits %,d), max versions seen %,d, after collection %s%n",
                        n, done.get(), maxVersions, db.metrics());
                System.out.printf("%,.0f commits/s with %d threads, file %,d bytes%n", done.get() / seconds, threads, size(dir));
                if (n != done.get()) {
                    throw new IllegalStateException("lost updates: value " + n + " after " + done.get() + " commits");
                }
            }
        } finally {
            GraphDatasets.deleteRecursively(dir);
        }
    }

    private static long size(Path dir) throws IOException {
        return Files.size(dir.resolve("data.sable"));
    }
}

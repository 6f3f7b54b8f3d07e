package dev.sablegraph.jmh;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.GraphConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How long recovery takes for a log of a given size.
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.sablegraph.jmh.RecoveryTime load DIR 1024   # MiB of log, then halt
 * java -cp jmh/target/benchmarks.jar dev.sablegraph.jmh.RecoveryTime recover DIR      # times the open
 * </pre>
 *
 * {@code load} updates 1,000 nodes with 4 KiB values (ASYNC, no checkpoint) until the log holds
 * the given size, forces it, and halts the JVM without closing: the next open must replay it all.
 */
public final class RecoveryTime {
    private RecoveryTime() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[1]);
        GraphConfig config = GraphConfig.builder().durability(Durability.ASYNC)
                .checkpointLogBytes(1L << 40).build();
        if (args[0].equals("load")) {
            long target = Long.parseLong(args[2]) << 20;
            ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config);
            long[] ids = new long[1000];
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = tx.addNode(Set.of("Hot"), Map.of("i", (long) i));
                }
                tx.commit();
            }
            db.checkpoint(); // the base: everything after it is replayed
            Random rnd = new Random(1);
            byte[] value = new byte[4096];
            long commits = 0;
            long t0 = System.nanoTime();
            while (walBytes(dir) < target) {
                for (int k = 0; k < 1000; k++) {
                    rnd.nextBytes(value);
                    try (Transaction tx = db.begin()) {
                        tx.setNodeProperty(ids[rnd.nextInt(ids.length)], "blob", value);
                        tx.commit();
                    }
                    commits++;
                }
            }
            try (Transaction tx = db.begin()) {
                tx.setNodeProperty(ids[0], "last", commits);
                tx.commit();
            }
            db.flushLog();
            System.out.printf("loaded %,d commits, %,d MiB of log in %.1f s; halting without close%n",
                    commits + 1, walBytes(dir) >> 20, (System.nanoTime() - t0) / 1e9);
            System.out.flush();
            Runtime.getRuntime().halt(0);
        } else {
            long t0 = System.nanoTime();
            try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config); Transaction tx = db.begin()) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("recovered in %.2f s (open including replay and the checkpoint after it); "
                        + "%d Hot nodes, last=%s%n", seconds, tx.nodesByLabel("Hot").size(),
                        tx.nodesByLabel("Hot").get(0).properties().get("last"));
            }
        }
    }

    private static long walBytes(Path dir) throws IOException {
        Path wal = dir.resolve("wal");
        if (!Files.exists(wal)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(wal)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}

package dev.sablegraph.jmh;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.GraphConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What indexes cost writers: commits per second of node inserts, each node labelled {@code Person}
 * with five properties (name, age, score, city, active), into a database that starts empty, with
 * {@code indexes} = {@code none} (no index), {@code one} (an index on {@code :Person(name)}) or
 * {@code all} (an index on each of the five keys: what indexing every (label, key) pair costs).
 * {@code nodesPerCommit} = 1 measures commits as an application makes them one by one; 100 shows
 * the indexing work itself, which a single fsync per commit otherwise hides. Multiply the score by
 * {@code nodesPerCommit} for nodes per second.
 *
 * <p>{@link #main} runs the same inserts without JMH, the three index settings alternating round
 * by round (so that load from other processes on a shared machine falls on all of them alike),
 * and prints the median rate of each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class IndexWriteCost {
    static final List<String> KEYS = List.of("name", "age", "score", "city", "active");

    @Param({"none", "one", "all"})
    public String indexes;

    @Param({"1", "100"})
    public int nodesPerCommit;

    @Param({"SYNC"})
    public Durability durability;

    private Path dir;
    private ConcurrentGraphDB db;
    private long next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("sable-index-write-cost");
        db = ConcurrentGraphDB.open(dir, GraphConfig.builder().durability(durability).build());
        List<String> indexed = switch (indexes) {
            case "none" -> List.of();
            case "one" -> KEYS.subList(0, 1);
            case "all" -> KEYS;
            default -> throw new IllegalArgumentException("indexes must be none, one or all, was " + indexes);
        };
        for (String key : indexed) {
            db.createIndex("Person", key);
        }
        if (!db.awaitIndexesOnline(Duration.ofMinutes(1))) {
            throw new IllegalStateException("indexes not online: " + db.indexes());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        System.out.printf("%n[index write cost] indexes=%s nodes=%d index entries=%s%n", indexes, next, db.indexes());
        db.close();
        GraphDatasets.deleteRecursively(dir);
    }

    /**
     * {@code java -cp jmh/target/benchmarks.jar dev.sablegraph.jmh.IndexWriteCost [rounds [nodes]]}:
     * per round and index setting, a new database; {@code nodes} inserted 100 per commit under
     * {@code ASYNC} (the indexing work), then 2,000 commits of one node under {@code SYNC} (what a
     * one-node-per-transaction application sees). Defaults: 5 rounds, 200,000 nodes.
     */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        List<String> settings = List.of("none", "one", "all");
        Map<String, List<Double>> bulk = new java.util.TreeMap<>();
        Map<String, List<Double>> single = new java.util.TreeMap<>();
        for (String setting : settings) { // warm-up, not counted: the first run in a JVM is slower
            rate(setting, Durability.ASYNC, 100, nodes / 200);
            rate(setting, Durability.SYNC, 1, 500);
        }
        for (int round = 0; round < rounds; round++) {
            for (String setting : settings) {
                bulk.computeIfAbsent(setting, k -> new java.util.ArrayList<>())
                        .add(rate(setting, Durability.ASYNC, 100, nodes / 100));
                single.computeIfAbsent(setting, k -> new java.util.ArrayList<>())
                        .add(rate(setting, Durability.SYNC, 1, 2_000));
            }
        }
        for (String setting : settings) {
            System.out.printf("indexes=%-4s  ASYNC, 100 nodes/commit: median %,8.0f nodes/s  %s%n", setting,
                    median(bulk.get(setting)), bulk.get(setting));
            System.out.printf("indexes=%-4s  SYNC, 1 node/commit:     median %,8.0f commits/s  %s%n", setting,
                    median(single.get(setting)), single.get(setting));
        }
    }

    /** Nodes per second of {@code commits} commits of {@code perCommit} nodes into a new database. */
    private static double rate(String indexes, Durability durability, int perCommit, int commits) throws IOException {
        IndexWriteCost run = new IndexWriteCost();
        run.indexes = indexes;
        run.durability = durability;
        run.nodesPerCommit = perCommit;
        run.setUp();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < commits; i++) {
                run.insert();
            }
            return (double) commits * perCommit / ((System.nanoTime() - t0) / 1e9);
        } finally {
            run.db.close();
            GraphDatasets.deleteRecursively(run.dir);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @Benchmark
    public long insert() {
        try (Transaction tx = db.begin()) {
            for (int i = 0; i < nodesPerCommit; i++) {
                long n = next++;
                tx.addNode(Set.of("Person"), Map.of("name", "person-" + n, "age", n % 90, "score", n * 0.5,
                        "city", "city-" + (n % 50), "active", n % 3 == 0));
            }
            tx.commit();
            return next;
        }
    }
}

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

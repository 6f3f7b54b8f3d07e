package dev.sablegraph.jmh;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.PropertyRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Range queries with an index against the same query without one (the label's nodes read,
 * filtered and sorted): {@value #NODES} nodes labelled {@code Person}, node {@code i} with
 * {@code age = i} (a long) and {@code name = "person-" + i}; {@code indexed} says whether
 * {@code :Person(age)} and {@code :Person(name)} have indexes.
 *
 * <ul>
 *   <li>{@code ageRange}: the nodes with {@code age} in [x, x + 100), ascending (100 hits).</li>
 *   <li>{@code oldestTen}: the ten largest ages, descending ({@code limit(10)}).</li>
 *   <li>{@code namePrefixRange}: names in ["person-12", "person-13"): 1,111 hits sharing their first
 *       8 bytes, the case where strings are ordered in memory run by run.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RangeQueryRate {
    static final int NODES = 100_000;

    @Param({"true", "false"})
    public boolean indexed;

    private Path dir;
    private ConcurrentGraphDB db;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("sable-range-query");
        db = ConcurrentGraphDB.open(dir, GraphConfig.builder().durability(Durability.ASYNC).build());
        for (int batch = 0; batch < NODES; batch += 10_000) {
            try (Transaction tx = db.begin()) {
                for (long i = batch; i < batch + 10_000; i++) {
                    tx.addNode(Set.of("Person"), Map.of("age", i, "name", "person-" + i));
                }
                tx.commit();
            }
        }
        if (indexed) {
            db.createIndex("Person", "age");
            db.createIndex("Person", "name");
            if (!db.awaitIndexesOnline(Duration.ofMinutes(5))) {
                throw new IllegalStateException("indexes not online: " + db.indexes());
            }
        }
        db.checkpoint();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        db.close();
        GraphDatasets.deleteRecursively(dir);
    }

    @Benchmark
    public void ageRange(Blackhole bh) {
        long x = ThreadLocalRandom.current().nextLong(NODES - 100);
        try (Transaction tx = db.begin(); Stream<Node> nodes = tx.findNodes("Person", "age", x, true, x + 100, false)) {
            nodes.forEach(bh::consume);
        }
    }

    @Benchmark
    public void oldestTen(Blackhole bh) {
        try (Transaction tx = db.begin();
                Stream<Node> nodes = tx.findNodes(PropertyRange.on("Person", "age").descending().limit(10))) {
            nodes.forEach(bh::consume);
        }
    }

    @Benchmark
    public void namePrefixRange(Blackhole bh) {
        try (Transaction tx = db.begin();
                Stream<Node> nodes = tx.findNodes("Person", "name", "person-12", true, "person-13", false)) {
            nodes.forEach(bh::consume);
        }
    }
}

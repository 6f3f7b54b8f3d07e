package dev.sablegraph.jmh;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import dev.sablegraph.internal.graph.UnloggedGraph;
import dev.sablegraph.core.PageCacheMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Graph operations on the {@link GraphDatasets} graphs of 100K and 1M nodes (5 {@code LINK} edges
 * per node): node read by id, property lookup through the index, label scan, 2-hop traversal, and
 * insertion of nodes and edges into the loaded graph.
 *
 * <p>The graph is built once per size and kept on disk across forks (see {@link GraphDatasets}); each
 * trial reopens it with a cold page cache of {@code -Dsable.bench.pageCacheMiB} (default 128 MiB, the
 * {@link GraphConfig#defaults() default}). Read benchmarks open the cached graph itself and never write
 * to it. The insert benchmarks are single shots of {@value #BATCH} inserts, each into a fresh private
 * copy of the loaded graph (cold page cache), so the graph grows by one batch at most and the cached
 * graph stays untouched; the score is per insert (1e6 / score = inserts per second). A shot is short
 * (0.15 s to 1.5 s), so they take more iterations: 6 warm-up and 10 measured shots. It includes the
 * dirty pages written by evictions during the batch but not the flush at close, which is printed.
 * After every iteration the page cache hit ratio of that iteration is printed, and readers print
 * the average result size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GraphBenchmark {
    @Param({"100000", "1000000"})
    public int nodes;

    /** Inserts per measured batch of the bulk insert benchmarks. */
    static final int BATCH = 50_000;

    private UnloggedGraph db;
    private Path dataset;
    private Path copy;
    private String benchmark;
    private PageCacheMetrics before;
    private long calls;
    private long results;
    private int nextLabel;

    static GraphConfig config() {
        long mib = Long.getLong("sable.bench.pageCacheMiB", GraphConfig.DEFAULT_PAGE_CACHE_BYTES >> 20);
        return GraphConfig.builder().pageCacheBytes(mib << 20).build();
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
        String name = params.getBenchmark();
        benchmark = name.substring(name.lastIndexOf('.') + 1);
        dataset = GraphDatasets.prepare(nodes, config());
        if (!writes()) {
            db = open(dataset);
        }
    }

    @Setup(Level.Iteration)
    public void setUpIteration() throws IOException {
        if (writes()) {
            // Each batch starts from the loaded graph (a fresh copy, cold page cache).
            long t0 = System.nanoTime();
            copy = GraphDatasets.copyOf(dataset);
            System.out.printf("%n[graph] copied the dataset for %s in %.1f s%n", benchmark, (System.nanoTime() - t0) / 1e9);
            db = open(copy);
        }
        before = db.pageCacheMetrics();
        calls = 0;
        results = 0;
    }

    private boolean writes() {
        return benchmark.startsWith("bulkInsert");
    }

    private UnloggedGraph open(Path dir) {
        UnloggedGraph g = UnloggedGraph.open(dir, config());
        if (g.nodeCount() != nodes) {
            g.close();
            throw new IllegalStateException("dataset " + dir + " has " + g.nodeCount() + " nodes, expected " + nodes);
        }
        System.out.printf("%n[graph] %s nodes=%d edges=%d file=%.1f MiB pageCache=%d MiB%n", benchmark, g.nodeCount(),
                g.edgeCount(), GraphDatasets.directorySize(dir) / 1048576.0, config().pageCacheBytes() >> 20);
        return g;
    }

    /** A node by id, all its properties read. */
    @Benchmark
    public void readNodeById(Blackhole bh) {
        long id = ThreadLocalRandom.current().nextInt(nodes);
        Node n = db.getNode(id).orElseThrow();
        calls++;
        results += n.properties().size();
        bh.consume(n.labels());
        for (Map.Entry<String, Object> e : n.properties().entrySet()) {
            bh.consume(e.getKey());
            bh.consume(e.getValue());
        }
    }

    /** Nodes of one label with one {@code group} value, via the property index: nodes / 1000 results. */
    @Benchmark
    public List<Node> findByProperty() {
        int g = ThreadLocalRandom.current().nextInt(GraphDatasets.GROUPS);
        List<Node> found = db.findNodes(GraphDatasets.label(g), "group", (long) g);
        calls++;
        results += found.size();
        return found;
    }

    /** Counts every node of one label (nodes / 10), streaming; the label rotates per call. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long labelScan() {
        String label = GraphDatasets.label(nextLabel++);
        long count;
        try (Stream<Node> s = db.streamNodesByLabel(label)) {
            count = s.count();
        }
        calls++;
        results += count;
        return count;
    }

    /** Nodes within two outgoing LINK hops of a random node, the start included (at most 31). */
    @Benchmark
    public long twoHop() {
        long start = ThreadLocalRandom.current().nextInt(nodes);
        long count;
        try (Stream<Long> s = db.traverse(start, Direction.OUTGOING, GraphDatasets.EDGE_TYPE, 2)) {
            count = s.count();
        }
        calls++;
        results += count;
        return count;
    }

    /**
     * {@value #BATCH} nodes, each with one label and two properties, added to the loaded graph (a
     * copy); the score is per node.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = 6)
    @Measurement(iterations = 10)
    public long bulkInsertNodes() {
        long last = 0;
        for (int k = 0; k < BATCH; k++) {
            long i = nodes + k;
            last = db.addNode(Set.of(GraphDatasets.label(i)), Map.of("name", "n" + i, "group", i % GraphDatasets.GROUPS));
        }
        calls += BATCH;
        return last;
    }

    /**
     * {@value #BATCH} LINK edges between random existing nodes added to the loaded graph (a copy);
     * the score is per edge.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = 6)
    @Measurement(iterations = 10)
    public long bulkInsertEdges() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long last = 0;
        for (int k = 0; k < BATCH; k++) {
            last = db.addEdge(r.nextInt(nodes), r.nextInt(nodes), GraphDatasets.EDGE_TYPE, Map.of());
        }
        calls += BATCH;
        return last;
    }

    @TearDown(Level.Iteration)
    public void tearDownIteration() throws IOException {
        PageCacheMetrics now = db.pageCacheMetrics();
        long hits = now.hits() - before.hits();
        long misses = now.misses() - before.misses();
        System.out.printf("%n[graph] %s nodes=%d calls=%d avgResult=%.2f | page cache frames=%d hits=%d misses=%d "
                        + "evictions=%d flushes=%d hitRatio=%.4f | db nodes=%d edges=%d%n",
                benchmark, nodes, calls, calls == 0 ? 0.0 : (double) results / calls, now.frames(), hits, misses,
                now.evictions() - before.evictions(), now.flushes() - before.flushes(),
                hits + misses == 0 ? 0.0 : (double) hits / (hits + misses), db.nodeCount(), db.edgeCount());
        if (writes()) {
            long t0 = System.nanoTime();
            db.close();
            System.out.printf("[graph] %s: close (flush) after the batch took %.2f s%n", benchmark,
                    (System.nanoTime() - t0) / 1e9);
            GraphDatasets.deleteRecursively(copy);
            db = null;
            copy = null;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (db != null) {
            db.close();
        }
    }
}

package dev.sablegraph.jmh;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import dev.sablegraph.internal.graph.UnloggedGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The concurrent-throughput suite: one transaction per operation on an embedded database of
 * 100,000 preloaded nodes (label {@code Person}, three properties, ten {@code KNOWS} edges each).
 * Threads come from JMH's {@code -t}.
 *
 * <ul>
 *   <li>{@code read}: begin, {@code getNode} of a random node, read all its properties, close.</li>
 *   <li>{@code write}: begin, {@code addNode} with one label and two properties, commit.</li>
 *   <li>{@code mixed}: 80% read, 20% write, chosen per operation.</li>
 *   <li>{@code update}: begin, set {@code age} (no index covers it) of a random node, commit; a
 *       write conflict (another thread updated that node first) is retried on another node.</li>
 *   <li>{@code mapFloor}: the same random reads from a {@code ConcurrentHashMap<Long, Node>}:
 *       the cost of one map lookup, to say how close the read path comes to it.</li>
 *   <li>{@code twoHop}: the nodes within two {@code KNOWS} hops of a random node (about 110).</li>
 *   <li>{@code propertyLookup}: {@code findNodes("Person", "name", ...)} of a random node (one hit),
 *       through the index on {@code :Person(name)} ({@link DatasetShape#indexedKeys()}).</li>
 *   <li>{@code labelScan}: stream all 100,000 {@code Person} nodes and count them.</li>
 * </ul>
 * Latency percentiles come from JMH's sample mode, e.g. {@code -bm sample -tu us}.
 * {@code -Dbench.singleThreadWarmupSeconds=S} runs the measured operation on one thread for S
 * seconds before JMH's warm-up ({@link SingleThreadWarmUp}; none by default).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConcurrentThroughput {
    static final int NODES = DatasetShape.NODES;
    static final int EDGES_PER_NODE = DatasetShape.EDGES_PER_NODE;

    @Param({"GLOBAL_MUTEX", "READ_WRITE", "OPTIMISTIC"})
    public LockStrategy lockStrategy;

    @Param({"SYNC"})
    public Durability durability;

    private Path dir;
    private ConcurrentGraphDB db;
    private long[] ids;
    private ConcurrentHashMap<Long, Node> floor;
    private long forcesBefore;
    private long commitsBefore;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
        dir = GraphDatasets.copyOf(prepare());
        db = ConcurrentGraphDB.open(dir, GraphConfig.builder().lockStrategy(lockStrategy).durability(durability).build());
        forcesBefore = db.logForces();
        commitsBefore = db.metrics().lastCommit();
        ids = new long[NODES];
        floor = new ConcurrentHashMap<>(NODES * 2);
        try (Transaction tx = db.begin()) {
            int i = 0;
            for (Node n : tx.nodesByLabel(DatasetShape.LABEL)) {
                ids[i++] = n.id();
                floor.put(n.id(), n);
            }
            if (i != NODES) {
                throw new IllegalStateException("dataset has " + i + " nodes, expected " + NODES);
            }
        }
        double seconds = SingleThreadWarmUp.seconds(0);
        if (seconds > 0) {
            long calls = SingleThreadWarmUp.run(this, params.getBenchmark(), seconds);
            System.out.printf("%n[sable] single-threaded warm-up: %d ops in %.1f s%n", calls, seconds);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        long commits = db.metrics().lastCommit() - commitsBefore;
        long forces = db.logForces() - forcesBefore;
        System.out.printf("%n[durability] %s commits=%d logForces=%d forcesPerCommit=%.3f checkpoints=%d%n",
                durability, commits, forces, commits == 0 ? 0.0 : (double) forces / commits, db.checkpoints());
        System.out.printf("[checkpoints] %s meanSwitchMicros=%.0f%n", db.checkpointMetrics(),
                db.checkpointMetrics().meanSwitchMicros());
        System.out.printf("[mvcc] %s%n[page cache] %s hitRatio=%.3f%n", db.metrics(), db.pageCacheMetrics(),
                db.pageCacheMetrics().hitRatio());
        db.close();
        GraphDatasets.deleteRecursively(dir);
    }

    private long randomId() {
        return ids[ThreadLocalRandom.current().nextInt(NODES)];
    }

    @Benchmark
    public void read(Blackhole bh) {
        try (Transaction tx = db.begin()) {
            Node n = tx.getNode(randomId()).orElseThrow();
            for (Object v : n.properties().values()) {
                bh.consume(v);
            }
        }
    }

    @Benchmark
    public long write() {
        for (;;) {
            try (Transaction tx = db.begin()) {
                long id = tx.addNode(Set.of(DatasetShape.LABEL), DatasetShape.NEW_NODE);
                tx.commit();
                return id;
            } catch (WriteConflictException e) {
                // adding nodes never conflicts; kept so the benchmark states the retry policy
            }
        }
    }

    @Benchmark
    public void update() {
        for (;;) {
            try (Transaction tx = db.begin()) {
                tx.setNodeProperty(randomId(), DatasetShape.AGE, ThreadLocalRandom.current().nextLong(90));
                tx.commit();
                return;
            } catch (WriteConflictException e) {
                // two threads picked one node: the later commit loses, and tries again elsewhere
            }
        }
    }

    @Benchmark
    public void mixed(Blackhole bh) {
        if (ThreadLocalRandom.current().nextInt(5) == 0) {
            bh.consume(write());
        } else {
            read(bh);
        }
    }

    @Benchmark
    public void mapFloor(Blackhole bh) {
        Node n = floor.get(randomId());
        for (Object v : n.properties().values()) {
            bh.consume(v);
        }
    }

    @Benchmark
    public long twoHop() {
        try (Transaction tx = db.begin()) {
            return tx.traverse(randomId(), Direction.OUTGOING, DatasetShape.EDGE_TYPE, 2).count();
        }
    }

    @Benchmark
    public Node propertyLookup() {
        int i = ThreadLocalRandom.current().nextInt(NODES);
        try (Transaction tx = db.begin()) {
            return tx.findNodes(DatasetShape.LABEL, DatasetShape.NAME, DatasetShape.name(i)).get(0);
        }
    }

    @Benchmark
    public long labelScan() {
        try (Transaction tx = db.begin(); Stream<Node> nodes = tx.streamNodesByLabel(DatasetShape.LABEL)) {
            return nodes.count();
        }
    }

    /** The preloaded graph ({@link DatasetShape}), built once per code version and copied for each trial. */
    static Path prepare() throws IOException {
        return DatasetCache.prepare("throughput-n" + NODES + "-e" + EDGES_PER_NODE + "-idx_"
                + String.join("_", DatasetShape.indexedKeys()), dir -> {
            try (UnloggedGraph g = UnloggedGraph.open(dir)) {
                for (String key : DatasetShape.indexedKeys()) {
                    g.createIndex(DatasetShape.LABEL, key);
                }
                long[] nodeIds = new long[NODES];
                for (int i = 0; i < NODES; i++) {
                    nodeIds[i] = g.addNode(Set.of(DatasetShape.LABEL), DatasetShape.properties(i));
                }
                for (int i = 0; i < NODES; i++) {
                    for (int k = 1; k <= EDGES_PER_NODE; k++) {
                        g.addEdge(nodeIds[i], nodeIds[DatasetShape.edgeTarget(i, k)], DatasetShape.EDGE_TYPE, Map.of());
                    }
                }
            }
        });
    }
}

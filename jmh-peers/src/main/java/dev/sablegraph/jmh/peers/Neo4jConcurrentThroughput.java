package dev.sablegraph.jmh.peers;

import dev.sablegraph.jmh.DatasetShape;
import dev.sablegraph.jmh.SingleThreadWarmUp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.ResourceIterable;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.TransientFailureException;
import org.neo4j.io.ByteUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Sable's {@code ConcurrentThroughput} workloads on Neo4j embedded (5.26.x, community), through its
 * Java API, one transaction per operation, on the same dataset ({@link DatasetShape}: 100,000
 * {@code Person} nodes with three properties, ten {@code KNOWS} edges each). Threads come from
 * JMH's {@code -t}.
 *
 * <ul>
 *   <li>{@code read}: begin, {@code getNodeById} of a random node, read all its properties, close.</li>
 *   <li>{@code write}: begin, create a node with one label and two properties, {@code commit()}:
 *       durable on return (Neo4j forces its transaction log on commit, with group commit).</li>
 *   <li>{@code mixed}: 80% read, 20% write, chosen per operation.</li>
 *   <li>{@code twoHop}: the distinct nodes within two outgoing {@code KNOWS} hops of a random node,
 *       start included (breadth-first, each node once, like Sable's {@code traverse}).</li>
 *   <li>{@code propertyLookup}: {@code findNodes(Person, "name", ...)} of a random node through a
 *       range index (one hit).</li>
 *   <li>{@code labelScan}: iterate all {@code Person} nodes (token lookup index) and count them.</li>
 * </ul>
 *
 * <p>Both engines have the same indexes ({@link DatasetShape#indexedKeys()}): a range index on
 * {@code :Person(name)} here and a schema index on it in Sable, so a write maintains the same index
 * entries on both ({@code -Dbench.indexes=name,age,score} indexes all three on both sides). Page cache: 128 MiB, Sable's default. Everything else is Neo4j's default.
 *
 * <p>The store is built once (see {@link Neo4jDataset}) and copied for each trial. Before JMH's
 * warm-up each trial runs the measured operation on one thread ({@link SingleThreadWarmUp}, 10 s
 * unless {@code -Dbench.singleThreadWarmupSeconds} says otherwise): Neo4j's JIT warm-up under 50
 * threads on two cores takes tens of seconds, and a cold peer would flatter Sable.
 *
 * <p>The fork needs the JVM flags that Neo4j's own {@code neo4j.conf} ships ({@link #ADD_OPENS_NIO}
 * and the others below): without them its page cache takes a slow path and it cannot preallocate
 * its transaction log. The {@link Fork} annotation adds them; a runner that sets
 * {@code jvmArgsAppend} itself must add {@link #JVM_FLAGS} too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        Neo4jConcurrentThroughput.ADD_OPENS_NIO,
        Neo4jConcurrentThroughput.ADD_OPENS_IO,
        Neo4jConcurrentThroughput.ADD_OPENS_NIO_CH,
        Neo4jConcurrentThroughput.NATIVE_ACCESS})
public class Neo4jConcurrentThroughput {
    public static final String ADD_OPENS_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    public static final String ADD_OPENS_IO = "--add-opens=java.base/java.io=ALL-UNNAMED";
    public static final String ADD_OPENS_NIO_CH = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    /** JDK 17 knows this flag (JEP 412); it only silences warnings there. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    public static final List<String> JVM_FLAGS = List.of(ADD_OPENS_NIO, ADD_OPENS_IO, ADD_OPENS_NIO_CH, NATIVE_ACCESS);

    static final Label PERSON = Label.label(DatasetShape.LABEL);
    static final RelationshipType KNOWS = RelationshipType.withName(DatasetShape.EDGE_TYPE);
    static final long PAGE_CACHE_BYTES = ByteUnit.mebiBytes(128);
    private static final int NODES = DatasetShape.NODES;

    private Path home;
    private DatabaseManagementService dbms;
    private GraphDatabaseService db;
    private long[] ids;
    private final AtomicLong retries = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
        Path prepared = Neo4jDataset.prepare();
        home = Files.createTempDirectory("sable-peers-neo4j-copy");
        long t0 = System.nanoTime();
        Neo4jDataset.copyTree(prepared, home);
        long t1 = System.nanoTime();
        dbms = open(home);
        db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        requireJvmFlags(home);
        ids = new long[NODES];
        try (Transaction tx = db.beginTx(); ResourceIterator<Node> nodes = tx.findNodes(PERSON)) {
            tx.schema().awaitIndexesOnline(10, TimeUnit.MINUTES);
            int i = 0;
            while (nodes.hasNext()) {
                if (i == NODES) {
                    throw new IllegalStateException("dataset has more than " + NODES + " nodes");
                }
                ids[i++] = nodes.next().getId();
            }
            if (i != NODES) {
                throw new IllegalStateException("dataset has " + i + " nodes, expected " + NODES);
            }
        }
        long t2 = System.nanoTime();
        double seconds = SingleThreadWarmUp.seconds(10);
        long ops = SingleThreadWarmUp.run(this, params.getBenchmark(), seconds);
        System.out.printf("%n[neo4j] copy %.1f s, open %.1f s; single-threaded warm-up: %d ops in %.1f s%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, ops, seconds);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        System.out.printf("%n[neo4j] write retries (transient failures): %d%n", retries.get());
        dbms.shutdown();
        Neo4jDataset.deleteRecursively(home);
    }

    /**
     * Refuses to measure a crippled Neo4j: without {@link #JVM_FLAGS} its page cache logs that it
     * falls back to a slow mode, and its log channels cannot use native calls.
     */
    static void requireJvmFlags(Path home) throws IOException {
        Path log = home.resolve("logs").resolve("debug.log");
        if (!Files.exists(log)) {
            return;
        }
        try (Stream<String> lines = Files.lines(log)) {
            List<String> bad = lines.filter(l -> l.contains("using fallback mode") || l.contains("Unable to advise")
                    || l.contains("Unable to evict")).limit(3).toList();
            if (!bad.isEmpty()) {
                throw new IllegalStateException("Neo4j runs without the JVM flags it needs (" + JVM_FLAGS
                        + " in the fork's JVM arguments): " + bad);
            }
        }
    }

    static DatabaseManagementService open(Path home) {
        return new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.pagecache_memory, PAGE_CACHE_BYTES)
                .build();
    }

    private long randomId() {
        return ids[ThreadLocalRandom.current().nextInt(NODES)];
    }

    @Benchmark
    public void read(Blackhole bh) {
        try (Transaction tx = db.beginTx()) {
            Node n = tx.getNodeById(randomId());
            for (Object v : n.getAllProperties().values()) {
                bh.consume(v);
            }
        }
    }

    @Benchmark
    public long write() {
        for (;;) {
            try (Transaction tx = db.beginTx()) {
                Node n = tx.createNode(PERSON);
                for (Map.Entry<String, Object> p : DatasetShape.NEW_NODE.entrySet()) {
                    n.setProperty(p.getKey(), p.getValue());
                }
                tx.commit();
                return n.getId();
            } catch (TransientFailureException e) {
                retries.incrementAndGet(); // creating nodes should never need it; kept as in Sable's
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
    public long twoHop() {
        long start = randomId();
        try (Transaction tx = db.beginTx()) {
            Set<Long> visited = new HashSet<>();
            visited.add(start);
            List<Node> layer = List.of(tx.getNodeById(start));
            for (int depth = 0; depth < 2 && !layer.isEmpty(); depth++) {
                List<Node> next = new ArrayList<>();
                for (Node node : layer) {
                    try (ResourceIterable<Relationship> rels = node.getRelationships(Direction.OUTGOING, KNOWS)) {
                        for (Relationship r : rels) {
                            Node other = r.getEndNode();
                            if (visited.add(other.getId())) {
                                next.add(other);
                            }
                        }
                    }
                }
                layer = next;
            }
            return visited.size();
        }
    }

    @Benchmark
    public long propertyLookup() {
        int i = ThreadLocalRandom.current().nextInt(NODES);
        try (Transaction tx = db.beginTx();
                ResourceIterator<Node> hits = tx.findNodes(PERSON, DatasetShape.NAME, DatasetShape.name(i))) {
            long first = hits.next().getId();
            while (hits.hasNext()) { // all hits, as Sable's findNodes returns them all
                hits.next();
            }
            return first;
        }
    }

    @Benchmark
    public long labelScan() {
        try (Transaction tx = db.beginTx(); ResourceIterator<Node> nodes = tx.findNodes(PERSON)) {
            long n = 0;
            while (nodes.hasNext()) {
                nodes.next();
                n++;
            }
            return n;
        }
    }
}

package dev.sablegraph.jmh;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import dev.sablegraph.gremlin.SableGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.tinkerpop.gremlin.process.traversal.Traversal;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.structure.T;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.tinkergraph.structure.TinkerGraph;
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

/**
 * Gremlin traversals on the {@link ConcurrentThroughput} dataset ({@link DatasetShape}: 100,000
 * {@code Person} nodes, ten {@code KNOWS} edges each, an index on {@code :Person(name)}), each query
 * three ways: through Gremlin on {@link SableGraph} ({@code sable*}), through Gremlin on an in-memory
 * {@link TinkerGraph} loaded from the same {@link DatasetShape} with the same ids and an index on
 * {@code name} ({@code tinker*}), and through Sable's own {@link Transaction} API on the very
 * database the SableGraph wraps ({@code api*}). The ratios {@code sable/api} (what the Gremlin layer
 * costs) and {@code sable/tinker} are what this suite is for.
 *
 * <ul>
 *   <li>{@code point}: the node whose {@code name} is that of a random node, through the index
 *       ({@code pointPlan*}: only TinkerPop's building of that traversal and its strategies);</li>
 *   <li>{@code oneHop}: how many {@code KNOWS} edges lead out of a random node (ten);</li>
 *   <li>{@code twoHop}: how many two-step {@code KNOWS} walks start at a random node (a hundred);</li>
 *   <li>{@code groupCount}: the {@code Person} nodes counted by {@code age} (a scan of all of them);</li>
 *   <li>{@code paths}: the first {@value #PATHS} two-step paths from a random node, as id lists.</li>
 * </ul>
 *
 * <p>Each Sable operation (Gremlin or API) runs in its own transaction, as an application's request
 * would: the Gremlin methods end the thread's transaction with {@code tx().rollback()} (read-only).
 * Every method draws its random nodes from the same seeded sequence ({@link Inputs}). The first
 * inputs are checked to give the same answers three ways before measuring.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class GremlinTraversals {
    static final int PATHS = 10;
    private static final String LABEL = DatasetShape.LABEL;
    private static final String KNOWS = DatasetShape.EDGE_TYPE;

    /** The random node indexes (0..NODES-1), the same sequence for every benchmark method. */
    @State(Scope.Thread)
    public static class Inputs {
        private static final int SIZE = 1 << 16;
        final int[] nodes = new int[SIZE];
        private int next;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom rnd = new SplittableRandom(7);
            for (int i = 0; i < SIZE; i++) {
                nodes[i] = rnd.nextInt(DatasetShape.NODES);
            }
        }

        int next() {
            int i = nodes[next];
            next = (next + 1) & (SIZE - 1);
            return i;
        }
    }

    /** The dataset in Sable (a private copy of ConcurrentThroughput's), as a SableGraph and its database. */
    @State(Scope.Benchmark)
    public static class Sable {
        Path dir;
        SableGraph graph;
        GraphTraversalSource g;
        ConcurrentGraphDB db;
        /** Sable node id of node index i; the same ids the TinkerGraph gets. */
        long[] ids;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = GraphDatasets.copyOf(ConcurrentThroughput.prepare());
            graph = SableGraph.open(dir);
            g = graph.traversal();
            db = graph.database();
            ids = nodeIds(db);
            check(g, ids);
            try (Transaction tx = db.begin()) {
                checkApi(tx, ids);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            graph.close();
            GraphDatasets.deleteRecursively(dir);
        }
    }

    /** The dataset in a TinkerGraph, built from {@link DatasetShape} with the ids Sable gave its nodes. */
    @State(Scope.Benchmark)
    public static class Tinker {
        TinkerGraph graph;
        GraphTraversalSource g;
        long[] ids;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Path copy = GraphDatasets.copyOf(ConcurrentThroughput.prepare());
            try (ConcurrentGraphDB db = ConcurrentGraphDB.open(copy)) {
                ids = nodeIds(db);
            }
            GraphDatasets.deleteRecursively(copy);
            graph = TinkerGraph.open();
            graph.createIndex(DatasetShape.NAME, Vertex.class);
            Vertex[] vertices = new Vertex[DatasetShape.NODES];
            for (int i = 0; i < DatasetShape.NODES; i++) {
                vertices[i] = graph.addVertex(T.id, ids[i], T.label, LABEL, DatasetShape.NAME, DatasetShape.name(i),
                        DatasetShape.AGE, DatasetShape.age(i), DatasetShape.SCORE, DatasetShape.score(i));
            }
            for (int i = 0; i < DatasetShape.NODES; i++) {
                for (int k = 1; k <= DatasetShape.EDGES_PER_NODE; k++) {
                    vertices[i].addEdge(KNOWS, vertices[DatasetShape.edgeTarget(i, k)]);
                }
            }
            g = graph.traversal();
            check(g, ids);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            graph.close();
        }
    }

    /** Node ids by node index: the dataset adds node i as the i-th Person, so id order is index order. */
    static long[] nodeIds(ConcurrentGraphDB db) {
        long[] ids = new long[DatasetShape.NODES];
        try (Transaction tx = db.begin(); Stream<Node> nodes = tx.streamNodesByLabel(LABEL)) {
            int i = 0;
            for (Node n : (Iterable<Node>) nodes::iterator) {
                if (!DatasetShape.name(i).equals(n.properties().get(DatasetShape.NAME))) {
                    throw new IllegalStateException("node " + n.id() + " is not node index " + i);
                }
                ids[i++] = n.id();
            }
            if (i != DatasetShape.NODES) {
                throw new IllegalStateException("dataset has " + i + " nodes, expected " + DatasetShape.NODES);
            }
        }
        return ids;
    }

    /** Checks what the Gremlin queries answer for the first inputs against the dataset's formula. */
    static void check(GraphTraversalSource g, long[] ids) {
        boolean transactional = g.getGraph().features().graph().supportsTransactions();
        Inputs in = new Inputs();
        in.setUp();
        for (int n = 0; n < 20; n++) {
            int i = in.next();
            expect("point " + i, ids[i], ((Vertex) g.V().has(LABEL, DatasetShape.NAME, DatasetShape.name(i)).next()).id());
            expect("oneHop " + i, (long) DatasetShape.EDGES_PER_NODE, g.V(ids[i]).out(KNOWS).count().next());
            expect("twoHop " + i, (long) DatasetShape.EDGES_PER_NODE * DatasetShape.EDGES_PER_NODE,
                    g.V(ids[i]).out(KNOWS).out(KNOWS).count().next());
            checkPaths(i, ids(g.V(ids[i]).out(KNOWS).out(KNOWS).path().limit(PATHS).toList()), ids);
            if (transactional) {
                g.tx().rollback();
            }
        }
        expect("groupCount", expectedGroupCount(), g.V().hasLabel(LABEL).<Object>groupCount().by(DatasetShape.AGE).next());
        if (transactional) {
            g.tx().rollback();
        }
    }

    /** The same check for the Sable API methods. */
    static void checkApi(Transaction tx, long[] ids) {
        Inputs in = new Inputs();
        in.setUp();
        for (int n = 0; n < 20; n++) {
            int i = in.next();
            expect("point " + i, ids[i], tx.findNodes(LABEL, DatasetShape.NAME, DatasetShape.name(i)).get(0).id());
            expect("oneHop " + i, (long) DatasetShape.EDGES_PER_NODE, oneHop(tx, ids[i]));
            expect("twoHop " + i, (long) DatasetShape.EDGES_PER_NODE * DatasetShape.EDGES_PER_NODE, twoHop(tx, ids[i]));
            checkPaths(i, paths(tx, ids[i]), ids);
        }
        expect("groupCount", expectedGroupCount(), groupCount(tx));
    }

    private static Map<Object, Long> expectedGroupCount() {
        Map<Object, Long> counts = new HashMap<>();
        for (int i = 0; i < DatasetShape.NODES; i++) {
            counts.merge(DatasetShape.age(i), 1L, Long::sum);
        }
        return counts;
    }

    /** PATHS paths, each a walk of two KNOWS edges from node i (the order of edges is the engine's). */
    private static void checkPaths(int i, List<List<Object>> paths, long[] ids) {
        Map<Long, Integer> index = new HashMap<>();
        for (int k = 0; k < ids.length; k++) {
            index.put(ids[k], k);
        }
        expect("paths from " + i, PATHS, paths.size());
        for (List<Object> p : paths) {
            expect("path start", ids[i], p.get(0));
            for (int step = 1; step < 3; step++) {
                int from = index.get((Long) p.get(step - 1));
                int to = index.get((Long) p.get(step));
                boolean edge = false;
                for (int k = 1; k <= DatasetShape.EDGES_PER_NODE; k++) {
                    edge |= DatasetShape.edgeTarget(from, k) == to;
                }
                if (!edge) {
                    throw new IllegalStateException("path " + p + " from node index " + i + " is no walk");
                }
            }
        }
    }

    private static void expect(String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }

    // ---------------------------------------------------------------- point lookup by indexed name

    @Benchmark
    public Object pointSable(Sable s, Inputs in) {
        try {
            return s.g.V().has(LABEL, DatasetShape.NAME, DatasetShape.name(in.next())).next();
        } finally {
            s.graph.tx().rollback();
        }
    }

    @Benchmark
    public Object pointTinker(Tinker t, Inputs in) {
        return t.g.V().has(LABEL, DatasetShape.NAME, DatasetShape.name(in.next())).next();
    }

    @Benchmark
    public Object pointApi(Sable s, Inputs in) {
        try (Transaction tx = s.db.begin()) {
            return tx.findNodes(LABEL, DatasetShape.NAME, DatasetShape.name(in.next())).get(0);
        }
    }

    /**
     * What TinkerPop spends on {@code point} before reading anything: building the traversal and
     * applying its strategies (the same for every provider; {@code pointPlanTinker} is the same
     * work on TinkerGraph's strategy list). Not executed, so no transaction is opened.
     */
    @Benchmark
    public Object pointPlanSable(Sable s, Inputs in) {
        Traversal.Admin<?, ?> t = s.g.V().has(LABEL, DatasetShape.NAME, DatasetShape.name(in.next())).asAdmin();
        t.applyStrategies();
        return t;
    }

    @Benchmark
    public Object pointPlanTinker(Tinker t, Inputs in) {
        Traversal.Admin<?, ?> traversal = t.g.V().has(LABEL, DatasetShape.NAME, DatasetShape.name(in.next())).asAdmin();
        traversal.applyStrategies();
        return traversal;
    }

    // ---------------------------------------------------------------- 1-hop count

    @Benchmark
    public long oneHopSable(Sable s, Inputs in) {
        try {
            return s.g.V(s.ids[in.next()]).out(KNOWS).count().next();
        } finally {
            s.graph.tx().rollback();
        }
    }

    @Benchmark
    public long oneHopTinker(Tinker t, Inputs in) {
        return t.g.V(t.ids[in.next()]).out(KNOWS).count().next();
    }

    @Benchmark
    public long oneHopApi(Sable s, Inputs in) {
        try (Transaction tx = s.db.begin()) {
            return oneHop(tx, s.ids[in.next()]);
        }
    }

    static long oneHop(Transaction tx, long id) {
        return tx.edges(id, Direction.OUTGOING, KNOWS).size();
    }

    // ---------------------------------------------------------------- 2-hop count

    @Benchmark
    public long twoHopSable(Sable s, Inputs in) {
        try {
            return s.g.V(s.ids[in.next()]).out(KNOWS).out(KNOWS).count().next();
        } finally {
            s.graph.tx().rollback();
        }
    }

    @Benchmark
    public long twoHopTinker(Tinker t, Inputs in) {
        return t.g.V(t.ids[in.next()]).out(KNOWS).out(KNOWS).count().next();
    }

    @Benchmark
    public long twoHopApi(Sable s, Inputs in) {
        try (Transaction tx = s.db.begin()) {
            return twoHop(tx, s.ids[in.next()]);
        }
    }

    static long twoHop(Transaction tx, long id) {
        long walks = 0;
        for (Edge e : tx.edges(id, Direction.OUTGOING, KNOWS)) {
            walks += tx.edges(e.to(), Direction.OUTGOING, KNOWS).size();
        }
        return walks;
    }

    // ---------------------------------------------------------------- groupCount by age

    @Benchmark
    public Map<Object, Long> groupCountSable(Sable s) {
        try {
            return s.g.V().hasLabel(LABEL).<Object>groupCount().by(DatasetShape.AGE).next();
        } finally {
            s.graph.tx().rollback();
        }
    }

    @Benchmark
    public Map<Object, Long> groupCountTinker(Tinker t) {
        return t.g.V().hasLabel(LABEL).<Object>groupCount().by(DatasetShape.AGE).next();
    }

    @Benchmark
    public Map<Object, Long> groupCountApi(Sable s) {
        try (Transaction tx = s.db.begin()) {
            return groupCount(tx);
        }
    }

    static Map<Object, Long> groupCount(Transaction tx) {
        Map<Object, Long> counts = new HashMap<>();
        try (Stream<Node> nodes = tx.streamNodesByLabel(LABEL)) {
            nodes.forEach(n -> {
                Object age = n.properties().get(DatasetShape.AGE);
                if (age != null) {
                    counts.merge(age, 1L, Long::sum);
                }
            });
        }
        return counts;
    }

    // ---------------------------------------------------------------- 2-hop paths, first PATHS

    @Benchmark
    public List<List<Object>> pathsSable(Sable s, Inputs in) {
        try {
            return ids(s.g.V(s.ids[in.next()]).out(KNOWS).out(KNOWS).path().limit(PATHS).toList());
        } finally {
            s.graph.tx().rollback();
        }
    }

    @Benchmark
    public List<List<Object>> pathsTinker(Tinker t, Inputs in) {
        return ids(t.g.V(t.ids[in.next()]).out(KNOWS).out(KNOWS).path().limit(PATHS).toList());
    }

    @Benchmark
    public List<List<Object>> pathsApi(Sable s, Inputs in) {
        try (Transaction tx = s.db.begin()) {
            return paths(tx, s.ids[in.next()]);
        }
    }

    static List<List<Object>> paths(Transaction tx, long id) {
        List<List<Object>> paths = new ArrayList<>(PATHS);
        for (Edge e1 : tx.edges(id, Direction.OUTGOING, KNOWS)) {
            try (Stream<Edge> next = tx.streamEdges(e1.to(), Direction.OUTGOING, KNOWS)) {
                for (Edge e2 : (Iterable<Edge>) next::iterator) {
                    paths.add(List.of(id, e1.to(), e2.to()));
                    if (paths.size() == PATHS) {
                        return paths;
                    }
                }
            }
        }
        return paths;
    }

    /** A Gremlin path of vertices as the list of their ids. */
    private static List<List<Object>> ids(List<org.apache.tinkerpop.gremlin.process.traversal.Path> paths) {
        List<List<Object>> out = new ArrayList<>(paths.size());
        for (org.apache.tinkerpop.gremlin.process.traversal.Path p : paths) {
            List<Object> ids = new ArrayList<>(p.size());
            for (Object o : p.objects()) {
                ids.add(((Vertex) o).id());
            }
            out.add(ids);
        }
        return out;
    }
}

package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Scans, counts, the catalog and the streams against an in-memory model of what each snapshot
 * sees. Random operations run in up to three transactions open at once; each transaction's model
 * is the committed model when it began plus its own writes, and a commit that succeeds applies
 * its writes to the committed model (the engine decides about conflicts; this test is about
 * reads). Version collection runs only when an operation asks for it, so that deleted entities
 * stay physically in the store while an older snapshot is open, and are purged when none is.
 */
class ScanModelTest {
    private static final String[] LABELS = {"A", "B", "C"};
    private static final String[] TYPES = {"R", "S", "T"};
    private static final String[] KEYS = {"k", "m", "w"};
    private static final int SLOTS = 3;

    enum Kind {
        BEGIN, ADD_NODE, ADD_EDGE, DELETE_EDGE, DELETE_NODE, SET_NODE_PROPERTY, REMOVE_NODE_PROPERTY, ADD_LABEL,
        REMOVE_LABEL, SET_EDGE_PROPERTY, COMMIT, ROLLBACK, COLLECT, CHECK
    }

    record Op(Kind kind, int slot, int a, int b, int c) {
        @Override
        public String toString() {
            return kind + "(tx " + slot + ", " + a + ", " + b + ", " + c + ")";
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> slot = Arbitraries.integers().between(0, SLOTS - 1);
        Arbitrary<Integer> n = Arbitraries.integers().between(0, 1000);
        Map<Kind, Integer> weights = new TreeMap<>(Map.ofEntries(Map.entry(Kind.BEGIN, 6), Map.entry(Kind.ADD_NODE, 10),
                Map.entry(Kind.ADD_EDGE, 12), Map.entry(Kind.DELETE_EDGE, 5), Map.entry(Kind.DELETE_NODE, 4),
                Map.entry(Kind.SET_NODE_PROPERTY, 4), Map.entry(Kind.REMOVE_NODE_PROPERTY, 2),
                Map.entry(Kind.ADD_LABEL, 3), Map.entry(Kind.REMOVE_LABEL, 3), Map.entry(Kind.SET_EDGE_PROPERTY, 2),
                Map.entry(Kind.COMMIT, 6), Map.entry(Kind.ROLLBACK, 1), Map.entry(Kind.COLLECT, 2),
                Map.entry(Kind.CHECK, 6)));
        List<Tuple.Tuple2<Integer, Arbitrary<Op>>> choices = new ArrayList<>();
        weights.forEach((kind, weight) -> choices.add(Tuple.of(weight,
                Combinators.combine(slot, n, n, n).as((s, a, b, c) -> new Op(kind, s, a, b, c)))));
        return Arbitraries.frequencyOf(choices).list().ofMinSize(10).ofMaxSize(70);
    }

    /** One open transaction and the model of what it sees. */
    private static final class Open {
        final Transaction tx;
        final TreeMap<Long, Node> nodes;
        final TreeMap<Long, Edge> edges;
        final Map<Long, Node> nodeWrites = new HashMap<>(); // null: deleted
        final Map<Long, Edge> edgeWrites = new HashMap<>();

        Open(Transaction tx, TreeMap<Long, Node> nodes, TreeMap<Long, Edge> edges) {
            this.tx = tx;
            this.nodes = new TreeMap<>(nodes);
            this.edges = new TreeMap<>(edges);
        }

        void putNode(Node n) {
            nodes.put(n.id(), n);
            nodeWrites.put(n.id(), n);
        }

        void removeNode(long id) {
            nodes.remove(id);
            nodeWrites.put(id, null);
        }

        void putEdge(Edge e) {
            edges.put(e.id(), e);
            edgeWrites.put(e.id(), e);
        }

        void removeEdge(long id) {
            edges.remove(id);
            edgeWrites.put(id, null);
        }

        boolean hasEdges(long node) {
            return edges.values().stream().anyMatch(e -> e.from() == node || e.to() == node);
        }
    }

    @Property(tries = 120)
    void everySnapshotReadsWhatTheModelSays(@ForAll("ops") List<Op> ops, @ForAll LockStrategy strategy)
            throws IOException {
        Path dir = Files.createTempDirectory("scan-model");
        GraphConfig config = GraphConfig.builder().lockStrategy(strategy).gcIntervalMillis(3_600_000)
                .durability(Durability.ASYNC).pageCacheBytes(2 << 20).walSegmentBytes(1 << 20).build();
        TreeMap<Long, Node> committedNodes = new TreeMap<>();
        TreeMap<Long, Edge> committedEdges = new TreeMap<>();
        Open[] open = new Open[SLOTS];
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config)) {
            for (Op op : ops) {
                Open o = open[op.slot()];
                if (op.kind() == Kind.BEGIN) {
                    if (o == null) {
                        open[op.slot()] = new Open(db.begin(), committedNodes, committedEdges);
                    }
                    continue;
                }
                if (op.kind() == Kind.COLLECT) {
                    db.collectGarbage();
                    continue;
                }
                if (o == null) {
                    continue;
                }
                try {
                    switch (op.kind()) {
                        case COMMIT -> {
                            open[op.slot()] = null;
                            Iterator<Node> unread = o.tx.allNodes().iterator();
                            try {
                                o.tx.commit();
                                o.nodeWrites.forEach((id, n) -> put(committedNodes, id, n));
                                o.edgeWrites.forEach((id, e) -> put(committedEdges, id, e));
                            } catch (WriteConflictException e) {
                                o.tx.close();
                            }
                            assertThrows(IllegalStateException.class, unread::hasNext, "a stream outlived its transaction");
                        }
                        case ROLLBACK -> {
                            open[op.slot()] = null;
                            Stream<Edge> unread = o.tx.allEdges();
                            o.tx.rollback();
                            assertThrows(IllegalStateException.class, unread::count, "a stream outlived its transaction");
                        }
                        case CHECK -> check(o);
                        default -> write(o, op);
                    }
                } catch (WriteConflictException e) {
                    o.tx.close(); // the engine's call: a concurrent commit came first
                    open[op.slot()] = null;
                }
            }
            for (Open o : open) {
                if (o != null) {
                    check(o);
                    o.tx.close();
                }
            }
            db.collectGarbage();
            try (Transaction tx = db.begin()) {
                check(new Open(tx, committedNodes, committedEdges));
            }
            assertEquals(List.of(), db.checkIntegrity().problems());
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static <T> void put(Map<Long, T> map, long id, T value) {
        if (value == null) {
            map.remove(id);
        } else {
            map.put(id, value);
        }
    }

    private static <T> T pick(Map<Long, T> map, int seed) {
        if (map.isEmpty()) {
            return null;
        }
        return new ArrayList<>(map.values()).get(seed % map.size());
    }

    private static void write(Open o, Op op) {
        Transaction tx = o.tx;
        switch (op.kind()) {
            case ADD_NODE -> {
                Set<String> labels = new HashSet<>();
                for (int i = 0; i < LABELS.length; i++) {
                    if ((op.a() >> i & 1) != 0) {
                        labels.add(LABELS[i]);
                    }
                }
                Map<String, Object> props = new HashMap<>();
                if (op.b() % 3 > 0) {
                    props.put(KEYS[op.b() % 2], (long) (op.c() % 4));
                }
                long id = tx.addNode(labels, props);
                o.putNode(new Node(id, Set.copyOf(labels), Map.copyOf(props)));
            }
            case ADD_EDGE -> {
                Node from = pick(o.nodes, op.a());
                Node to = op.c() % 5 == 0 ? from : pick(o.nodes, op.b()); // self-loops often
                if (from != null) {
                    Map<String, Object> props = op.c() % 2 == 0 ? Map.of() : Map.of(KEYS[2], (long) op.c());
                    String type = TYPES[op.c() % TYPES.length];
                    long id = tx.addEdge(from.id(), to.id(), type, props);
                    o.putEdge(new Edge(id, from.id(), to.id(), type, props));
                }
            }
            case DELETE_EDGE -> {
                Edge e = pick(o.edges, op.a());
                if (e != null) {
                    tx.deleteEdge(e.id());
                    o.removeEdge(e.id());
                }
            }
            case DELETE_NODE -> {
                TreeMap<Long, Node> loose = new TreeMap<>();
                o.nodes.forEach((id, n) -> {
                    if (!o.hasEdges(id)) {
                        loose.put(id, n);
                    }
                });
                Node n = pick(loose, op.a());
                if (n != null) {
                    tx.deleteNode(n.id());
                    o.removeNode(n.id());
                }
            }
            case SET_NODE_PROPERTY, REMOVE_NODE_PROPERTY -> {
                Node n = pick(o.nodes, op.a());
                if (n != null) {
                    String key = KEYS[op.b() % KEYS.length];
                    Map<String, Object> props = new HashMap<>(n.properties());
                    if (op.kind() == Kind.SET_NODE_PROPERTY) {
                        tx.setNodeProperty(n.id(), key, (long) (op.c() % 4));
                        props.put(key, (long) (op.c() % 4));
                    } else {
                        tx.removeNodeProperty(n.id(), key);
                        props.remove(key);
                    }
                    o.putNode(new Node(n.id(), n.labels(), Map.copyOf(props)));
                }
            }
            case ADD_LABEL, REMOVE_LABEL -> {
                Node n = pick(o.nodes, op.a());
                if (n != null) {
                    String label = LABELS[op.b() % LABELS.length];
                    Set<String> labels = new HashSet<>(n.labels());
                    boolean changed = op.kind() == Kind.ADD_LABEL ? labels.add(label) : labels.remove(label);
                    boolean said = op.kind() == Kind.ADD_LABEL ? tx.addLabel(n.id(), label) : tx.removeLabel(n.id(), label);
                    assertEquals(changed, said);
                    if (changed) {
                        o.putNode(new Node(n.id(), Set.copyOf(labels), n.properties()));
                    }
                }
            }
            case SET_EDGE_PROPERTY -> {
                Edge e = pick(o.edges, op.a());
                if (e != null) {
                    String key = KEYS[op.b() % KEYS.length];
                    tx.setEdgeProperty(e.id(), key, (long) op.c());
                    Map<String, Object> props = new HashMap<>(e.properties());
                    props.put(key, (long) op.c());
                    o.putEdge(new Edge(e.id(), e.from(), e.to(), e.type(), Map.copyOf(props)));
                }
            }
            default -> throw new AssertionError(op);
        }
    }

    /** Every scan, count, catalog answer and stream of the transaction against its model. */
    private static void check(Open o) {
        Transaction tx = o.tx;
        List<Node> nodes = List.copyOf(o.nodes.values());
        List<Edge> edges = List.copyOf(o.edges.values());
        assertEquals(nodes, list(tx::allNodes), "allNodes");
        assertEquals(edges, list(tx::allEdges), "allEdges");
        assertEquals(nodes.size(), tx.countNodes(), "countNodes");
        assertEquals(edges.size(), tx.countEdges(), "countEdges");

        Set<String> labels = new TreeSet<>();
        Set<String> keys = new TreeSet<>();
        nodes.forEach(n -> {
            labels.addAll(n.labels());
            keys.addAll(n.properties().keySet());
        });
        Set<String> types = new TreeSet<>();
        edges.forEach(e -> {
            types.add(e.type());
            keys.addAll(e.properties().keySet());
        });
        assertEquals(labels, tx.labels(), "labels");
        assertEquals(types, tx.edgeTypes(), "edgeTypes");
        assertEquals(keys, tx.propertyKeys(), "propertyKeys");

        for (String label : LABELS) {
            List<Node> with = nodes.stream().filter(n -> n.labels().contains(label)).toList();
            assertEquals(with.size(), tx.countNodes(label), "countNodes " + label);
            assertEquals(with, tx.nodesByLabel(label), "nodesByLabel " + label);
            assertEquals(with, list(() -> tx.streamNodesByLabel(label)), "streamNodesByLabel " + label);
            for (String key : KEYS) {
                for (long value = 0; value < 4; value++) {
                    long v = value;
                    List<Node> found = with.stream().filter(n -> Long.valueOf(v).equals(n.properties().get(key))).toList();
                    assertEquals(found, tx.findNodes(label, key, v), "findNodes");
                    assertEquals(found, list(() -> tx.streamFindNodes(label, key, v)), "streamFindNodes");
                }
            }
        }

        List<Long> ids = new ArrayList<>(o.nodes.keySet());
        ids.add(o.nodes.isEmpty() ? 0 : o.nodes.lastKey() + 1); // not a node it sees
        for (long id : ids) {
            for (Direction d : Direction.values()) {
                for (String type : new String[] {null, TYPES[0], TYPES[1], TYPES[2], "NONE"}) {
                    List<Edge> at = o.nodes.containsKey(id)
                            ? edges.stream().filter(e -> touches(e, id, d, type)).toList() : List.of();
                    String what = "node " + id + " " + d + " " + type;
                    assertEquals(at.size(), tx.degree(id, d, type), "degree " + what);
                    assertEquals(at, tx.edges(id, d, type), "edges " + what);
                    assertEquals(at, list(() -> tx.streamEdges(id, d, type)), "streamEdges " + what);
                    List<Long> neighbours = new ArrayList<>(new LinkedHashSet<>(
                            at.stream().map(e -> e.from() == id ? e.to() : e.from()).toList()));
                    assertEquals(neighbours, tx.neighbours(id, d, type), "neighbours " + what);
                    assertEquals(neighbours, list(() -> tx.streamNeighbours(id, d, type)), "streamNeighbours " + what);
                }
                assertEquals(tx.degree(id, d, null), tx.degree(id, d));
            }
        }
    }

    private static <T> List<T> list(Supplier<Stream<T>> stream) {
        try (Stream<T> s = stream.get()) {
            return s.toList();
        }
    }

    private static boolean touches(Edge e, long node, Direction d, String type) {
        if (type != null && !type.equals(e.type())) {
            return false;
        }
        return switch (d) {
            case OUTGOING -> e.from() == node;
            case INCOMING -> e.to() == node;
            case BOTH -> e.from() == node || e.to() == node;
        };
    }
}

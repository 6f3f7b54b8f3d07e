package dev.sablegraph.internal.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of random operations against {@link UnloggedGraph} and a plain in-memory model, comparing
 * every read, with close-and-reopen mixed in. A small page cache makes eviction part of the test.
 */
class GraphModelTest {
    private static final String[] LABELS = {"Person", "City", "Company", "Tag"};
    private static final String[] TYPES = {"KNOWS", "LIVES_IN", "WORKS_AT"};
    private static final String[] KEYS = {"name", "age", "score", "flag", "blob"};

    @TempDir
    Path dir;

    record ModelNode(Set<String> labels, Map<String, Object> props) {}

    record ModelEdge(long from, long to, String type, Map<String, Object> props) {}

    private final TreeMap<Long, ModelNode> nodes = new TreeMap<>();
    private final TreeMap<Long, ModelEdge> edges = new TreeMap<>();
    private Random rnd;

    private UnloggedGraph open() {
        return UnloggedGraph.open(dir, GraphConfig.builder().pageCacheBytes(1 << 20).build());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void randomOperationsMatchTheModel(long seed) {
        rnd = new Random(seed);
        UnloggedGraph db = open();
        try {
            for (int step = 0; step < 4000; step++) {
                int op = rnd.nextInt(100);
                if (op < 20) {
                    addNode(db);
                } else if (op < 40) {
                    addEdge(db);
                } else if (op < 52) {
                    setNodeProperty(db);
                } else if (op < 57) {
                    removeNodeProperty(db);
                } else if (op < 62) {
                    setEdgeProperty(db);
                } else if (op < 70) {
                    deleteEdge(db);
                } else if (op < 76) {
                    deleteNode(db);
                } else if (op < 80) {
                    toggleLabel(db);
                } else if (op < 81) {
                    db.close();
                    db = open();
                } else {
                    checkRandomReads(db);
                }
                if (step % 1000 == 999) {
                    checkEverything(db);
                }
                if (step % 700 == 350) {
                    toggleIndex(db); // findNodes must answer alike with and without an index
                }
            }
            db.close();
            db = open();
            checkEverything(db);
            assertEquals(nodes.size(), db.nodeCount());
            assertEquals(edges.size(), db.edgeCount());
        } finally {
            db.close();
        }
    }

    private void toggleIndex(UnloggedGraph db) {
        String label = LABELS[rnd.nextInt(LABELS.length)];
        String key = KEYS[rnd.nextInt(KEYS.length)];
        boolean indexed = db.indexes().stream().anyMatch(i -> i.label().equals(label) && i.key().equals(key));
        if (indexed) {
            db.dropIndex(label, key);
        } else {
            db.createIndex(label, key);
        }
        assertTrue(db.checkIntegrity().isClean(), () -> db.checkIntegrity().toString());
    }

    private Object randomValue() {
        return switch (rnd.nextInt(6)) {
            case 0 -> "v" + rnd.nextInt(20);
            case 1 -> (long) rnd.nextInt(20);
            case 2 -> rnd.nextInt(4) / 2.0;
            case 3 -> rnd.nextBoolean();
            case 4 -> randomList();
            default -> new byte[] {(byte) rnd.nextInt(3), 7};
        };
    }

    /** A list of 0 to 2 Longs or Strings from two values each: few distinct lists, so lookups hit. */
    private List<Object> randomList() {
        boolean strings = rnd.nextBoolean();
        List<Object> list = new ArrayList<>();
        for (int i = rnd.nextInt(3); i > 0; i--) {
            list.add(strings ? "v" + rnd.nextInt(2) : (Object) (long) rnd.nextInt(2));
        }
        return List.copyOf(list);
    }

    private Map<String, Object> randomProps() {
        Map<String, Object> p = new HashMap<>();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            p.put(KEYS[rnd.nextInt(KEYS.length)], randomValue());
        }
        return p;
    }

    private long randomNodeId() {
        if (nodes.isEmpty() || rnd.nextInt(10) == 0) {
            return rnd.nextInt(10) == 0 ? -1 : rnd.nextInt(1000);
        }
        Long k = nodes.ceilingKey((long) rnd.nextInt((int) (nodes.lastKey() + 1)));
        return k == null ? nodes.firstKey() : k;
    }

    private long randomEdgeId() {
        if (edges.isEmpty() || rnd.nextInt(10) == 0) {
            return rnd.nextInt(1000);
        }
        Long k = edges.ceilingKey((long) rnd.nextInt((int) (edges.lastKey() + 1)));
        return k == null ? edges.firstKey() : k;
    }

    private void addNode(UnloggedGraph db) {
        Set<String> labels = new HashSet<>();
        for (String l : LABELS) {
            if (rnd.nextInt(3) == 0) {
                labels.add(l);
            }
        }
        Map<String, Object> props = randomProps();
        long id = db.addNode(labels, props);
        nodes.put(id, new ModelNode(new HashSet<>(labels), new HashMap<>(props)));
    }

    private void addEdge(UnloggedGraph db) {
        long from = randomNodeId();
        long to = rnd.nextInt(8) == 0 ? from : randomNodeId();
        String type = TYPES[rnd.nextInt(TYPES.length)];
        Map<String, Object> props = randomProps();
        if (!nodes.containsKey(from) || !nodes.containsKey(to)) {
            assertThrows(EntityNotFoundException.class, () -> db.addEdge(from, to, type, props));
            return;
        }
        long id = db.addEdge(from, to, type, props);
        edges.put(id, new ModelEdge(from, to, type, new HashMap<>(props)));
    }

    private void setNodeProperty(UnloggedGraph db) {
        long id = randomNodeId();
        String key = KEYS[rnd.nextInt(KEYS.length)];
        Object v = randomValue();
        if (!nodes.containsKey(id)) {
            assertThrows(EntityNotFoundException.class, () -> db.setNodeProperty(id, key, v));
            return;
        }
        db.setNodeProperty(id, key, v);
        nodes.get(id).props().put(key, v);
    }

    private void removeNodeProperty(UnloggedGraph db) {
        long id = randomNodeId();
        String key = KEYS[rnd.nextInt(KEYS.length)];
        if (!nodes.containsKey(id)) {
            assertThrows(EntityNotFoundException.class, () -> db.removeNodeProperty(id, key));
            return;
        }
        db.removeNodeProperty(id, key);
        nodes.get(id).props().remove(key);
    }

    private void setEdgeProperty(UnloggedGraph db) {
        long id = randomEdgeId();
        String key = KEYS[rnd.nextInt(KEYS.length)];
        Object v = randomValue();
        if (!edges.containsKey(id)) {
            assertThrows(EntityNotFoundException.class, () -> db.setEdgeProperty(id, key, v));
            return;
        }
        db.setEdgeProperty(id, key, v);
        edges.get(id).props().put(key, v);
    }

    private void deleteEdge(UnloggedGraph db) {
        long id = randomEdgeId();
        if (!edges.containsKey(id)) {
            assertThrows(EntityNotFoundException.class, () -> db.deleteEdge(id));
            return;
        }
        db.deleteEdge(id);
        edges.remove(id);
    }

    private void deleteNode(UnloggedGraph db) {
        long id = randomNodeId();
        if (!nodes.containsKey(id)) {
            assertThrows(EntityNotFoundException.class, () -> db.deleteNode(id));
            return;
        }
        boolean hasEdges = edges.values().stream().anyMatch(e -> e.from() == id || e.to() == id);
        if (hasEdges) {
            GraphException e = assertThrows(GraphException.class, () -> db.deleteNode(id));
            assertTrue(e.getMessage().contains("edges"), e.getMessage());
            return;
        }
        db.deleteNode(id);
        nodes.remove(id);
    }

    private void toggleLabel(UnloggedGraph db) {
        long id = randomNodeId();
        String label = LABELS[rnd.nextInt(LABELS.length)];
        if (!nodes.containsKey(id)) {
            assertThrows(EntityNotFoundException.class, () -> db.addLabel(id, label));
            return;
        }
        Set<String> labels = nodes.get(id).labels();
        if (labels.contains(label)) {
            assertTrue(db.removeLabel(id, label));
            labels.remove(label);
        } else {
            assertTrue(db.addLabel(id, label));
            labels.add(label);
        }
    }

    private void checkRandomReads(UnloggedGraph db) {
        long n = randomNodeId();
        checkNode(db, n);
        long e = randomEdgeId();
        checkEdge(db, e);
        checkAdjacency(db, n);
        String label = LABELS[rnd.nextInt(LABELS.length)];
        String key = KEYS[rnd.nextInt(KEYS.length)];
        checkFind(db, label, key, randomValue());
    }

    private void checkEverything(UnloggedGraph db) {
        for (long id = -1; id <= (nodes.isEmpty() ? 5 : nodes.lastKey() + 5); id++) {
            checkNode(db, id);
            checkAdjacency(db, id);
        }
        for (long id = 0; id <= (edges.isEmpty() ? 5 : edges.lastKey() + 5); id++) {
            checkEdge(db, id);
        }
        for (String label : LABELS) {
            List<Long> expected = nodes.entrySet().stream().filter(en -> en.getValue().labels().contains(label))
                    .map(Map.Entry::getKey).toList();
            assertEquals(expected, db.nodesByLabel(label).stream().map(Node::id).toList(), "label " + label);
            for (String key : KEYS) {
                for (Object v : List.of("v1", 3L, 0.5, true, new byte[] {1, 7})) {
                    checkFind(db, label, key, v);
                }
            }
        }
    }

    private void checkNode(UnloggedGraph db, long id) {
        ModelNode m = nodes.get(id);
        Optional<Node> got = db.getNode(id);
        if (m == null) {
            assertTrue(got.isEmpty(), "node " + id + " should not exist");
            return;
        }
        assertTrue(got.isPresent(), "node " + id + " should exist");
        assertEquals(m.labels(), got.get().labels(), "labels of " + id);
        assertPropsEqual(m.props(), got.get().properties());
    }

    private void checkEdge(UnloggedGraph db, long id) {
        ModelEdge m = edges.get(id);
        Optional<Edge> got = db.getEdge(id);
        if (m == null) {
            assertTrue(got.isEmpty(), "edge " + id + " should not exist");
            return;
        }
        Edge e = got.orElseThrow();
        assertEquals(m.from(), e.from());
        assertEquals(m.to(), e.to());
        assertEquals(m.type(), e.type());
        assertPropsEqual(m.props(), e.properties());
    }

    private void checkAdjacency(UnloggedGraph db, long node) {
        for (Direction d : Direction.values()) {
            for (String type : new String[] {null, TYPES[rnd.nextInt(TYPES.length)]}) {
                List<Long> expected = edges.entrySet().stream().filter(en -> {
                    ModelEdge e = en.getValue();
                    boolean typeOk = type == null || e.type().equals(type);
                    boolean dirOk = switch (d) {
                        case OUTGOING -> e.from() == node;
                        case INCOMING -> e.to() == node;
                        case BOTH -> e.from() == node || e.to() == node;
                    };
                    return typeOk && dirOk;
                }).map(Map.Entry::getKey).sorted().toList();
                List<Long> got = db.edges(node, d, type).stream().map(Edge::id).sorted().toList();
                assertEquals(expected, got, "edges of " + node + " " + d + " " + type);
            }
        }
    }

    private void checkFind(UnloggedGraph db, String label, String key, Object value) {
        List<Long> expected = nodes.entrySet().stream().filter(en -> en.getValue().labels().contains(label)
                && dev.sablegraph.core.PropertyValues.sameValue(en.getValue().props().get(key), value)).map(Map.Entry::getKey).toList();
        List<Long> got = db.findNodes(label, key, value).stream().map(Node::id).sorted(Comparator.naturalOrder()).toList();
        assertEquals(expected, got, "findNodes " + label + " " + key + "=" + value);
    }

    private static void assertPropsEqual(Map<String, Object> expected, Map<String, Object> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            Object a = actual.get(e.getKey());
            if (e.getValue() instanceof byte[] b) {
                assertArrayEquals(b, (byte[]) a);
            } else {
                assertEquals(e.getValue(), a, "property " + e.getKey());
            }
        }
    }

    static List<Long> ids(List<Node> nodes) {
        List<Long> out = new ArrayList<>();
        nodes.forEach(n -> out.add(n.id()));
        return out;
    }
}

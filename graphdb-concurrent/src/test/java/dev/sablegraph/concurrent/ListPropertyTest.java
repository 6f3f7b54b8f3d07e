package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Durability;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * List property values through the transaction API: written, read back unmodifiable with their
 * stored element types, found by whole-list equality in the property index, refused (naming the
 * key, changing nothing) when malformed, and kept across reopen and crash recovery.
 */
class ListPropertyTest {
    private static final Map<String, Object> LISTS = Map.of(
            "names", List.of("a", "b"),
            "flags", List.of(true, false, true),
            "counts", List.of(1, 2L, (short) 3, (byte) 4),
            "weights", List.of(0.5f, 2.25),
            "none", List.of());
    private static final Map<String, Object> STORED = Map.of(
            "names", List.of("a", "b"),
            "flags", List.of(true, false, true),
            "counts", List.of(1L, 2L, 3L, 4L),
            "weights", List.of(0.5, 2.25),
            "none", List.of());

    @TempDir
    Path dir;

    @Test
    void listsReadBackUnmodifiableWithTheirStoredElementTypes() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            long node;
            long edge;
            try (Transaction tx = db.begin()) {
                node = tx.addNode(Set.of("P"), LISTS);
                edge = tx.addEdge(node, node, "SELF", LISTS);
                assertStored(tx.getNode(node).orElseThrow().properties(), "own writes");
                assertStored(tx.getEdge(edge).orElseThrow().properties(), "own edge writes");
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                assertStored(tx.getNode(node).orElseThrow().properties(), "committed");
                assertStored(tx.getEdge(edge).orElseThrow().properties(), "committed edge");
                tx.setNodeProperty(node, "counts", List.of(9));
                tx.setEdgeProperty(edge, "weights", List.of(1.5f));
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                assertEquals(List.of(9L), tx.getNode(node).orElseThrow().properties().get("counts"));
                assertEquals(List.of(1.5), tx.getEdge(edge).orElseThrow().properties().get("weights"));
            }
        }
    }

    @Test
    void theCallersListIsCopiedIn() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir); Transaction tx = db.begin()) {
            List<Object> mine = new ArrayList<>(List.of("x"));
            long node = tx.addNode(Set.of(), Map.of("xs", mine));
            tx.setNodeProperty(node, "ys", mine);
            mine.add("y");
            Node n = tx.getNode(node).orElseThrow();
            assertEquals(List.of("x"), n.properties().get("xs"));
            assertEquals(List.of("x"), n.properties().get("ys"));
        }
    }

    @Test
    void findNodesMatchesWholeListsWithTheSameNarrowingAsSingleValues() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            long a;
            long b;
            long empty;
            try (Transaction tx = db.begin()) {
                a = tx.addNode(Set.of("P"), Map.of("xs", List.of(1L, 2L), "ws", List.of(1.5)));
                b = tx.addNode(Set.of("P"), Map.of("xs", List.of(2L, 1L)));
                empty = tx.addNode(Set.of("P"), Map.of("xs", List.of()));
                assertEquals(List.of(a), ids(tx.findNodes("P", "xs", List.of(1, 2))), "own writes");
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                assertEquals(List.of(a), ids(tx.findNodes("P", "xs", List.of(1, 2))), "Integer elements find Long ones");
                assertEquals(List.of(a), ids(tx.findNodes("P", "xs", List.of((short) 1, (byte) 2))));
                assertEquals(List.of(a), ids(tx.findNodes("P", "ws", List.of(1.5f))), "Float elements find Double ones");
                assertEquals(List.of(b), ids(tx.findNodes("P", "xs", new ArrayList<>(List.of(2L, 1L)))));
                assertEquals(List.of(empty), ids(tx.findNodes("P", "xs", List.of())));
                assertEquals(List.of(), tx.findNodes("P", "xs", 1L), "an element does not find the list holding it");
                assertEquals(List.of(), tx.findNodes("P", "xs", List.of(1L)), "nor does a part of it");
                assertEquals(List.of(), tx.findNodes("P", "xs", List.of(1.0, 2.0)), "Doubles are not Longs");
                assertEquals(List.of(), tx.findNodes("Q", "xs", List.of(1L, 2L)), "another label");

                tx.setNodeProperty(a, "xs", List.of(3L));
                assertEquals(List.of(), tx.findNodes("P", "xs", List.of(1L, 2L)), "the old list is gone for the writer");
                assertEquals(List.of(a), ids(tx.findNodes("P", "xs", List.of(3))));
                try (Transaction reader = db.begin()) {
                    tx.commit();
                    assertEquals(List.of(a), ids(reader.findNodes("P", "xs", List.of(1L, 2L))), "an older snapshot");
                }
            }
            try (Transaction tx = db.begin()) {
                assertEquals(List.of(), tx.findNodes("P", "xs", List.of(1L, 2L)));
                assertEquals(List.of(a), ids(tx.findNodes("P", "xs", List.of(3L))));
            }
            IntegrityReport report = db.checkIntegrity();
            assertTrue(report.isClean(), report.toString());
        }
    }

    @Test
    void aMalformedListIsRefusedNamingTheKeyAndChangesNothing() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            long node;
            try (Transaction tx = db.begin()) {
                node = tx.addNode(Set.of("P"), Map.of("xs", List.of(1L)));
                tx.commit();
            }
            List<Object> withNull = Arrays.asList(1L, null);
            List<Object> mixed = List.of(1L, "one");
            List<Object> nested = List.of(List.of(1L));
            try (Transaction tx = db.begin()) {
                for (Object bad : List.of(withNull, mixed, nested)) {
                    Map<String, Object> props = new HashMap<>(Map.of("ok", "fine"));
                    props.put("bad", bad);
                    assertNamesKey("bad", () -> tx.addNode(Set.of("P"), props));
                    assertNamesKey("bad", () -> tx.addEdge(node, node, "T", props));
                    assertNamesKey("xs", () -> tx.setNodeProperty(node, "xs", bad));
                    assertNamesKey("bad", () -> tx.setEdgeProperty(-1, "bad", bad));
                    assertNamesKey("xs", () -> tx.findNodes("P", "xs", bad));
                }
                assertEquals(List.of(1L), tx.getNode(node).orElseThrow().properties().get("xs"), "unchanged");
                assertEquals(1, tx.nodesByLabel("P").size(), "no node added");
                assertEquals(List.of(), tx.edges(node, dev.sablegraph.core.Direction.BOTH, null), "no edge added");
                tx.setNodeProperty(node, "xs", List.of(2L)); // still usable
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                assertEquals(List.of(2L), tx.getNode(node).orElseThrow().properties().get("xs"));
            }
        }
    }

    /** A list's encoded size counts toward its commit record, which must fit a log segment. */
    @Test
    void aListLargerThanALogSegmentIsRefusedAtItsWriteAndChangesNothing() {
        GraphConfig config = GraphConfig.builder().walSegmentBytes(1 << 16).build();
        List<Long> fits = LongStream.range(0, 4_000).boxed().toList(); // 8 bytes each: 32 KB encoded
        List<Long> tooLarge = LongStream.range(0, 10_000).boxed().toList(); // 80 KB: more than the 64 KiB segment
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config)) {
            long node;
            try (Transaction tx = db.begin()) {
                node = tx.addNode(Set.of("P"), Map.of("xs", fits));
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> tx.setNodeProperty(node, "xs", tooLarge));
                assertTrue(e.getMessage().contains("walSegmentBytes"), e.getMessage());
                assertEquals(fits, tx.getNode(node).orElseThrow().properties().get("xs"), "its own view unchanged");
                tx.setNodeProperty(node, "other", 1L);
                tx.commit(); // still usable: the refused write changed nothing
            }
            try (Transaction tx = db.begin()) {
                assertEquals(fits, tx.getNode(node).orElseThrow().properties().get("xs"));
                assertEquals(List.of(), tx.findNodes("P", "xs", tooLarge));
            }
            IntegrityReport report = db.checkIntegrity();
            assertTrue(report.isClean(), report.toString());
        }
    }

    @Test
    void listsSurviveReopen() {
        long node;
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir); Transaction tx = db.begin()) {
            node = tx.addNode(Set.of("P"), LISTS);
            tx.commit();
        }
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            try (Transaction tx = db.begin()) {
                assertStored(tx.getNode(node).orElseThrow().properties(), "after reopen");
                assertEquals(List.of(node), ids(tx.findNodes("P", "counts", List.of(1, 2, 3, 4))));
            }
            IntegrityReport report = db.checkIntegrity();
            assertTrue(report.isClean(), report.toString());
        }
    }

    /** A crash image taken between checkpoints: the lists come back from the log alone. */
    @Test
    void listsSurviveCrashRecoveryFromTheLog() throws IOException {
        Path live = dir.resolve("live");
        Path crashed = dir.resolve("crashed");
        GraphConfig config = GraphConfig.builder().durability(Durability.ASYNC).checkpointLogBytes(1L << 40)
                .gcIntervalMillis(60_000).build();
        List<Long> nodes = new ArrayList<>();
        long edge;
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(live, config)) {
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < 50; i++) {
                    nodes.add(tx.addNode(Set.of("P"), Map.of("i", List.of(i, i + 1), "all", LISTS.get("names"))));
                }
                edge = tx.addEdge(nodes.get(0), nodes.get(1), "T", LISTS);
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                tx.setNodeProperty(nodes.get(0), "i", List.of("changed"));
                tx.setNodeProperty(nodes.get(1), "i", List.of());
                tx.setEdgeProperty(edge, "weights", List.of(-0.0, Double.NaN));
                tx.commit();
            }
            db.flushLog();
            assertEquals(0, db.checkpoints(), "no checkpoint: recovery must replay the log");
            ConcurrencyTestSupport.copyCrashImage(live, crashed);
        }
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(crashed, config)) {
            try (Transaction tx = db.begin()) {
                assertEquals(List.of("changed"), tx.getNode(nodes.get(0)).orElseThrow().properties().get("i"));
                assertEquals(List.of(), tx.getNode(nodes.get(1)).orElseThrow().properties().get("i"));
                for (int i = 2; i < nodes.size(); i++) {
                    assertEquals(List.of((long) i, i + 1L), tx.getNode(nodes.get(i)).orElseThrow().properties().get("i"));
                    assertEquals(List.of(nodes.get(i)), ids(tx.findNodes("P", "i", List.of(i, i + 1))));
                }
                assertEquals(List.of(nodes.get(0)), ids(tx.findNodes("P", "i", List.of("changed"))));
                assertEquals(50, tx.findNodes("P", "all", List.of("a", "b")).size());
                Edge e = tx.getEdge(edge).orElseThrow();
                assertEquals(List.of(-0.0, Double.NaN), e.properties().get("weights"));
                assertEquals(STORED.get("counts"), e.properties().get("counts"));
            }
            IntegrityReport report = db.checkIntegrity();
            assertTrue(report.isClean(), report.toString());
        }
    }

    private static void assertStored(Map<String, Object> props, String when) {
        assertEquals(STORED, props, when);
        for (Map.Entry<String, Object> p : STORED.entrySet()) {
            List<?> expected = (List<?>) p.getValue();
            List<?> actual = (List<?>) props.get(p.getKey());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).getClass(), actual.get(i).getClass(), when + ": element type of " + p.getKey());
            }
            assertThrows(UnsupportedOperationException.class, actual::clear, when + ": " + p.getKey() + " is unmodifiable");
        }
    }

    private static void assertNamesKey(String key, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }

    private static List<Long> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }
}

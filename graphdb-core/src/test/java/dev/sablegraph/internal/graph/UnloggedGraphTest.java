package dev.sablegraph.internal.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.DatabaseLockedException;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class UnloggedGraphTest {
    @TempDir
    Path dir;

    @Test
    void everyOperationSurvivesCloseAndReopen() {
        long a;
        long b;
        long c;
        long knows;
        long livesIn;
        try (UnloggedGraph db = UnloggedGraph.open(dir)) {
            a = db.addNode(Set.of("Person"), Map.of("name", "Alice", "age", 34));
            b = db.addNode(Set.of("Person", "Admin"), Map.of("name", "Bob"));
            c = db.addNode(Set.of("City"), Map.of("name", "Oslo"));
            knows = db.addEdge(a, b, "KNOWS", Map.of("since", 2019));
            livesIn = db.addEdge(a, c, "LIVES_IN", Map.of());
            long temp = db.addEdge(b, c, "LIVES_IN", Map.of());
            db.setNodeProperty(b, "age", 41);
            db.removeNodeProperty(a, "age");
            db.setEdgeProperty(knows, "weight", 0.5f);
            db.deleteEdge(temp);
            db.addLabel(c, "Capital");
            db.removeLabel(b, "Admin");
            long gone = db.addNode(Set.of("Temp"), Map.of());
            db.deleteNode(gone);
        }
        try (UnloggedGraph db = UnloggedGraph.open(dir)) {
            assertEquals(new Node(a, Set.of("Person"), Map.of("name", "Alice")), db.getNode(a).orElseThrow());
            assertEquals(new Node(b, Set.of("Person"), Map.of("name", "Bob", "age", 41L)), db.getNode(b).orElseThrow());
            assertEquals(Set.of("City", "Capital"), db.getNode(c).orElseThrow().labels());
            Edge k = db.getEdge(knows).orElseThrow();
            assertEquals(Map.of("since", 2019L, "weight", 0.5d), k.properties());
            assertEquals(List.of(knows, livesIn), db.edges(a, Direction.OUTGOING, null).stream().map(Edge::id).sorted().toList());
            assertEquals(List.of(), db.edges(b, Direction.OUTGOING, null));
            assertEquals(List.of(a, b), db.nodesByLabel("Person").stream().map(Node::id).toList());
            assertEquals(List.of(), db.nodesByLabel("Temp"));
            assertEquals(List.of(b), db.findNodes("Person", "age", 41).stream().map(Node::id).toList());
            assertEquals(List.of(), db.findNodes("Person", "age", 34));
            assertEquals(3, db.nodeCount());
            assertEquals(2, db.edgeCount());
            // New ids keep growing after reopen: nothing is reused.
            long d = db.addNode(Set.of(), Map.of());
            assertTrue(d > c);
        }
    }

    @Test
    void badInputIsRefusedNamingTheArgumentAndChangesNothing() {
        try (UnloggedGraph db = UnloggedGraph.open(dir)) {
            long a = db.addNode(Set.of("A"), Map.of("k", 1));
            Map<String, Object> withNull = new HashMap<>();
            withNull.put("k", null);
            assertMessage(() -> db.addNode(null, Map.of()), "labels");
            assertMessage(() -> db.addNode(Set.of(""), Map.of()), "label");
            assertMessage(() -> db.addNode(Set.of("A"), null), "properties");
            assertMessage(() -> db.addNode(Set.of("A"), withNull), "k");
            assertMessage(() -> db.addNode(Set.of("A"), Map.of("", 1)), "key");
            assertMessage(() -> db.addNode(Set.of("A"), Map.of("k", new Object())), "unsupported type");
            assertMessage(() -> db.addEdge(a, a, "", Map.of()), "type");
            assertMessage(() -> db.addEdge(a, a, null, Map.of()), "type");
            assertMessage(() -> db.setNodeProperty(a, null, 1), "key");
            assertMessage(() -> db.setNodeProperty(a, "x", Set.of()), "unsupported type");
            assertMessage(() -> db.setNodeProperty(a, "x", List.of(List.of())), "lists do not nest");
            assertMessage(() -> db.setNodeProperty(a, "x", List.of(1, "one")), "'x'");
            assertMessage(() -> db.findNodes("A", "k", null), "k");
            assertMessage(() -> db.edges(a, null, null), "direction");
            assertThrows(EntityNotFoundException.class, () -> db.addEdge(a, 999, "T", Map.of()));
            assertThrows(EntityNotFoundException.class, () -> db.setNodeProperty(999, "k", 1));
            assertThrows(EntityNotFoundException.class, () -> db.deleteNode(-5));
            assertThrows(EntityNotFoundException.class, () -> db.deleteEdge(0));
            assertEquals(Optional.empty(), db.getNode(999));
            assertEquals(Optional.empty(), db.getNode(-1));
            assertEquals(Optional.empty(), db.getEdge(42));
            assertEquals(List.of(), db.edges(999, Direction.BOTH, null));
            // Nothing of the refused calls is visible, and the database still works.
            assertEquals(1, db.nodeCount());
            assertEquals(0, db.edgeCount());
            assertEquals(Map.of("k", 1L), db.getNode(a).orElseThrow().properties());
            db.addEdge(a, a, "SELF", Map.of());
            assertEquals(1, db.edges(a, Direction.BOTH, null).size(), "a self-loop is listed once for BOTH");
            assertEquals(1, db.edges(a, Direction.INCOMING, "SELF").size());
        }
    }

    private static void assertMessage(Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should name " + fragment);
    }

    @Test
    void valuesAreNormalisedCopiedAndReturnedUnmodifiable() {
        try (UnloggedGraph db = UnloggedGraph.open(dir)) {
            byte[] blob = {1, 2, 3};
            long a = db.addNode(Set.of("A"), Map.of("i", 7, "s", (short) 2, "b", (byte) 1, "f", 1.5f, "blob", blob));
            blob[0] = 99;
            Node n = db.getNode(a).orElseThrow();
            assertEquals(7L, n.properties().get("i"));
            assertEquals(2L, n.properties().get("s"));
            assertEquals(1L, n.properties().get("b"));
            assertEquals(1.5d, n.properties().get("f"));
            byte[] out = (byte[]) n.properties().get("blob");
            assertArrayEquals(new byte[] {1, 2, 3}, out);
            out[0] = 42;
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) db.getNode(a).orElseThrow().properties().get("blob"));
            assertNotSame(out, db.getNode(a).orElseThrow().properties().get("blob"));
            assertThrows(UnsupportedOperationException.class, () -> n.properties().put("x", 1L));
            assertThrows(UnsupportedOperationException.class, () -> n.labels().add("B"));
            assertEquals(List.of(a), db.findNodes("A", "i", 7).stream().map(Node::id).toList(), "Integer finds Long");
            assertEquals(List.of(a), db.findNodes("A", "blob", new byte[] {1, 2, 3}).stream().map(Node::id).toList());
        }
    }

    @Test
    void secondOpenIsRefusedAndUseAfterCloseIsIllegalState() {
        UnloggedGraph db = UnloggedGraph.open(dir);
        assertThrows(DatabaseLockedException.class, () -> UnloggedGraph.open(dir));
        db.close();
        db.close();
        assertThrows(IllegalStateException.class, () -> db.getNode(0));
        assertThrows(IllegalStateException.class, () -> db.addNode(Set.of(), Map.of()));
        try (UnloggedGraph again = UnloggedGraph.open(dir)) {
            assertEquals(0, again.nodeCount());
        }
    }

    @Test
    void traversalAndShortestPath() {
        try (UnloggedGraph db = UnloggedGraph.open(dir)) {
            // A chain 0→1→2→3→4 of NEXT edges, plus a SKIP shortcut 0→3 and an island.
            List<Long> n = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                n.add(db.addNode(Set.of("N"), Map.of("i", i)));
            }
            for (int i = 0; i < 4; i++) {
                db.addEdge(n.get(i), n.get(i + 1), "NEXT", Map.of());
            }
            db.addEdge(n.get(0), n.get(3), "SKIP", Map.of());
            long island = db.addNode(Set.of(), Map.of());
            assertEquals(List.of(n.get(0), n.get(1), n.get(2)),
                    db.traverse(n.get(0), Direction.OUTGOING, "NEXT", 2).toList());
            assertEquals(Set.of(n.get(0), n.get(1), n.get(3)),
                    db.traverse(n.get(0), Direction.OUTGOING, null, 1).collect(Collectors.toSet()));
            assertEquals(List.of(n.get(4), n.get(3), n.get(2), n.get(1), n.get(0)),
                    db.traverse(n.get(4), Direction.INCOMING, "NEXT", 10).toList());
            assertEquals(Optional.of(List.of(n.get(0), n.get(3), n.get(4))),
                    db.shortestPath(n.get(0), n.get(4), Direction.OUTGOING, null));
            assertEquals(Optional.of(List.of(n.get(0), n.get(1), n.get(2), n.get(3), n.get(4))),
                    db.shortestPath(n.get(0), n.get(4), Direction.OUTGOING, "NEXT"));
            assertEquals(Optional.empty(), db.shortestPath(n.get(4), n.get(0), Direction.OUTGOING, null));
            assertEquals(Optional.of(List.of(n.get(4), n.get(3), n.get(0))),
                    db.shortestPath(n.get(4), n.get(0), Direction.BOTH, null));
            assertEquals(Optional.empty(), db.shortestPath(n.get(0), island, Direction.BOTH, null));
            assertEquals(List.of(n.get(1), n.get(3)), db.neighbours(n.get(0), Direction.OUTGOING, null).stream().sorted().toList());
        }
    }

    @Test
    void labelScanStreamsInIdOrderWhileWritesInterleave() {
        try (UnloggedGraph db = UnloggedGraph.open(dir, GraphConfig.builder().pageCacheBytes(1 << 20).build())) {
            Set<Long> expected = new HashSet<>();
            for (int i = 0; i < 20_000; i++) {
                long id = db.addNode(Set.of(i % 2 == 0 ? "Even" : "Odd"), Map.of());
                if (i % 2 == 0) {
                    expected.add(id);
                }
            }
            long previous = -1;
            int seen = 0;
            var it = db.streamNodesByLabel("Even").iterator();
            while (it.hasNext()) {
                long id = it.next().id();
                assertTrue(id > previous, "ids ascend");
                previous = id;
                assertTrue(expected.contains(id));
                seen++;
                if (seen % 1000 == 0) {
                    db.addNode(Set.of("Odd"), Map.of()); // writes between steps do not break the stream
                }
            }
            assertEquals(expected.size(), seen);
        }
    }
}

package dev.sablegraph.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sablegraph.internal.graph.UnloggedGraph;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code byte[]} property values are copied in and out of {@link Node} and {@link Edge}: however a
 * caller reaches an array (get, values, entries, forEach), it is a copy, so a {@code Node} that a
 * cache hands to many readers stays as it was read.
 */
class ByteArrayValueTest {
    private static final byte[] ORIGINAL = {1, 2, 3};

    @TempDir
    Path dir;

    @Test
    void everyWayToReachAnArrayGivesACopy() {
        byte[] in = ORIGINAL.clone();
        Node n = new Node(1, Set.of("N"), Map.of("blob", in, "name", "x"));
        Edge e = new Edge(2, 1, 1, "R", Map.of("blob", in));
        scribbleOn(in);
        assertBlob(n.properties().get("blob"), "after the caller changed the array it passed in");
        assertBlob(e.properties().get("blob"), "an edge after the caller changed the array it passed in");

        scribbleOn(n.properties().get("blob"));
        scribbleOn(n.properties().getOrDefault("blob", null));
        n.properties().values().forEach(ByteArrayValueTest::scribbleIfArray);
        n.properties().entrySet().forEach(entry -> scribbleIfArray(entry.getValue()));
        n.properties().forEach((k, v) -> scribbleIfArray(v));
        scribbleOn(e.properties().get("blob"));
        assertBlob(n.properties().get("blob"), "the node");
        assertBlob(e.properties().get("blob"), "the edge");
        assertEquals("x", n.properties().get("name"));
    }

    @Test
    void mapsWithArraysStayUnmodifiableAndCompareByContent() {
        Node n = new Node(1, Set.of(), Map.of("blob", ORIGINAL.clone()));
        Map<String, Object> p = n.properties();
        assertThrows(UnsupportedOperationException.class, () -> p.put("x", 1L));
        assertThrows(UnsupportedOperationException.class, () -> p.remove("blob"));
        assertThrows(UnsupportedOperationException.class, () -> p.entrySet().iterator().next().setValue(new byte[0]));
        assertThrows(UnsupportedOperationException.class, p::clear);

        assertEquals(n, new Node(1, Set.of(), Map.of("blob", ORIGINAL.clone())), "equal content, equal nodes");
        assertEquals(n.hashCode(), new Node(1, Set.of(), Map.of("blob", ORIGINAL.clone())).hashCode());
        assertEquals(n.hashCode(), n.hashCode());
        assertNotEquals(n, new Node(1, Set.of(), Map.of("blob", new byte[] {1, 2, 4})));
        assertSame(p, new Node(1, Set.of("L"), p).properties(), "an unchanged map is shared, its arrays never leave it");
    }

    @Test
    void mapsWithoutArraysCostNothingExtra() {
        Map<String, Object> p = Map.of("name", "x", "n", 1L);
        assertSame(p, new Node(1, Set.of(), p).properties(), "an immutable map without arrays is kept as it is");
        Map<String, Object> mutable = new HashMap<>(p);
        Node n = new Node(1, Set.of(), mutable);
        mutable.put("name", "y");
        assertEquals("x", n.properties().get("name"), "a mutable map is copied in");
    }

    @Test
    void graphDbCopiesInAndOut() {
        try (UnloggedGraph db = UnloggedGraph.open(dir)) {
            byte[] added = ORIGINAL.clone();
            byte[] set = ORIGINAL.clone();
            long a = db.addNode(Set.of("N"), Map.of("added", added));
            db.setNodeProperty(a, "set", set);
            long e = db.addEdge(a, a, "R", Map.of("added", added));
            db.setEdgeProperty(e, "set", set);
            scribbleOn(added);
            scribbleOn(set);

            Node n = db.getNode(a).orElseThrow();
            scribbleOn(n.properties().get("added"));
            scribbleOn(n.properties().get("set"));
            assertBlob(n.properties().get("added"), "the same Node read again");
            assertBlob(n.properties().get("set"), "the same Node read again");
            assertBlob(db.getNode(a).orElseThrow().properties().get("added"), "a later read");
            assertBlob(db.getNode(a).orElseThrow().properties().get("set"), "a later read");

            Edge edge = db.getEdge(e).orElseThrow();
            scribbleOn(edge.properties().get("added"));
            assertBlob(edge.properties().get("added"), "the same Edge read again");
            assertBlob(db.getEdge(e).orElseThrow().properties().get("added"), "a later edge read");
            assertBlob(db.getEdge(e).orElseThrow().properties().get("set"), "a later edge read");
        }
    }

    private static void scribbleIfArray(Object value) {
        if (value instanceof byte[] b) {
            b[0] = 99;
        }
    }

    private static void scribbleOn(Object array) {
        ((byte[]) array)[0] = 99;
    }

    private static void assertBlob(Object actual, String read) {
        assertArrayEquals(ORIGINAL, (byte[]) actual, read + " sees a change made to another copy");
    }
}
